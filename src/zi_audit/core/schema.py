"""The report document's shape: every key of the JSON report, typed.

docs/json-report.md describes each key; this is the same contract as Python types, so
mypy checks every renderer against it. Keys may be added, never change meaning.
"""

from __future__ import annotations

import json
from typing import Any, NotRequired, TypedDict, cast


class DueDoc(TypedDict):
    start: str
    end: str


class FileDoc(TypedDict):
    path: str
    date: str
    date_source: str  # filename | folder | content | mtime
    valid: bool
    problems: list[str]
    status: str
    size: int
    period: NotRequired[str]
    notes: NotRequired[list[str]]
    detail: NotRequired[str]
    content_source: NotRequired[str | None]
    raw_date: NotRequired[str | None]
    pages: NotRequired[int]


class SlotDoc(TypedDict):
    label: str
    kind: str
    start: str
    end: str
    status: str
    files: list[str]


class ExpectedDoc(TypedDict):
    folder: str
    patterns: list[str]
    in_folder: list[str]
    types: list[str]


class ItemDoc(TypedDict):
    key: str
    name: str
    status: str
    files: list[FileDoc]
    due: DueDoc
    deadline: str
    expected: ExpectedDoc
    slots: NotRequired[list[SlotDoc]]
    have: NotRequired[int]  # distinct usable documents, when the plan asks for several
    need: NotRequired[int]  # how many the plan asks for (`min`)
    provided_by: NotRequired[str]  # the office that supplies it
    pic: NotRequired[str]  # who answers for it (the rule file's pic)
    only_if: NotRequired[str]  # the event that makes it required


class IndicatorDoc(TypedDict):
    pic: NotRequired[str]  # who answers for it (the configuration's owner of its component)
    lke: NotRequired[str]  # the LKE row it answers, part:id
    id: str
    component: str
    area: str
    text: str
    action: str
    status: str
    due: DueDoc | None
    window: str | None
    evidence: list[ItemDoc]


class ComponentDoc(TypedDict):
    id: str
    name: str
    done: int  # complete indicators (statuses.COMPLETE)
    planned: int  # indicators with evidence planned


class SummaryDoc(TypedDict):
    indicators: int
    by_status: dict[str, int]
    complete: int  # statuses.COMPLETE: the one "selesai" figure every output shows
    planned: int  # indicators minus not_planned
    gaps: int  # evidence items missing, invalid, outdated or late
    invalid_files: int
    due_soon: int


class DueSoonDoc(TypedDict):
    indicator: str
    key: str
    name: str
    deadline: str
    days_left: int
    level: int  # 1, 7 or SOON_DAYS: how loud
    folder: str
    patterns: list[str]


class UnmatchedDoc(TypedDict):
    path: str
    indicator: str
    evidence: str
    score: float


class ProblemDoc(TypedDict):
    path: str
    code: str
    detail: str


# "from" is a Python keyword, so this one is spelled the functional way.
MovedDoc = TypedDict("MovedDoc", {"from": str, "to": str})


class RegressedDoc(TypedDict):
    indicator: str
    files: list[str]  # its evidence files that went since the last scan


class ChangesDoc(TypedDict):
    previous: str | None
    regressed: list[RegressedDoc]  # complete before, not now
    statuses: dict[str, list[str]]  # indicator -> [status before, status now], changed only
    completed: list[str]
    overdue: list[str]
    added: list[str]
    changed: list[str]
    moved: list[MovedDoc]
    disappeared: list[str]


class FolderCountDoc(TypedDict):
    folder: str
    files: int


class TrendDoc(TypedDict):
    as_of: str
    scanned_at: str  # when the scan ran, ISO 8601 with its UTC offset
    components: dict[str, list[int]]  # component -> [complete, planned]
    by_status: dict[str, int]
    pemenuhan: float | None  # the LKE Pemenuhan score then (None before it was scored)


class PlanDoc(TypedDict):
    title: str
    unit: str
    year: int
    ended: bool  # the as-of date is past the plan year: the rules need the new year's plan


class ReportDoc(TypedDict):
    tool: str
    version: str
    root: str
    rules: str
    as_of: str
    summary: SummaryDoc
    indicators: list[IndicatorDoc]
    unmatched_files: list[str]  # likely homes first; at most UNMATCHED_KEPT unless --all
    unmatched: list[UnmatchedDoc]
    unmatched_count: NotRequired[int]  # every file that matched no evidence
    unmatched_folders: NotRequired[list[FolderCountDoc]]  # where they are, most first
    problems: list[ProblemDoc]
    files_seen: int
    stats: dict[str, int]
    plan: PlanDoc
    components: list[ComponentDoc]
    due_soon: list[DueSoonDoc]
    changes: NotRequired[ChangesDoc]
    trend: NotRequired[list[TrendDoc]]
    lke: NotRequired[LkeDoc]


class LkeRowDoc(TypedDict):
    key: str  # part:id, e.g. pemenuhan:1.i.a
    part: str
    id: str
    type: str  # yesno | abc | abcd | abcde | percent
    indicators: list[str]  # plan indicators linked to it
    status: str  # scored | uncovered | numeric | no_evidence_planned
    share: float  # of its evidence items complete (statuses.COMPLETE)
    answer: str | None  # the answer the evidence supports today
    value: float
    ceiling_answer: str | None  # if every pending item arrives
    ceiling: float
    claimed: NotRequired[str]  # the team's own answer (answers file)


class ClaimDoc(TypedDict):
    key: str
    id: str
    claimed: str  # what the team answered
    supported: str | None  # what the evidence supports
    indicators: list[str]


class PartValueDoc(TypedDict):
    value: float
    ceiling: float
    weight: float


class LkeAreaDoc(TypedDict):
    area: str
    name: str
    pemenuhan: PartValueDoc
    reform: PartValueDoc
    value: float  # both parts
    ceiling: float
    weight: float


class PartScoreDoc(TypedDict):
    value: float
    ceiling: float
    max: float


class HasilDoc(TypedDict):
    ipak: float | None
    kinerja: float | None
    bersih: float | None  # Hasil I: ipak + kinerja
    prima: float | None  # Hasil II: ipkp
    value: float | None
    max: float
    missing: list[str]  # the figures the team has not entered


class ConditionDoc(TypedDict):
    name: str  # total | pengungkit | area | area_pemenuhan | area_reform | bersih | ipak | kinerja | prima
    area: str | None
    required: float
    actual: float | None  # None: not known (Hasil not entered)
    ok: bool | None
    short: float | None  # how far below (a share, for the area conditions)
    short_points: float | None  # for the area conditions: the LKE points missing


class ReadinessDoc(TypedDict):
    reached: bool | None  # None: cannot be told yet
    conditions: list[ConditionDoc]


class FixDoc(TypedDict):
    indicator: str
    key: str
    name: str
    status: str
    lke: str
    points: float  # what its LKE row would gain if it were complete
    deadline: str


class LkeDoc(TypedDict):
    rows: list[LkeRowDoc]
    areas: list[LkeAreaDoc]
    pemenuhan: PartScoreDoc
    reform: PartScoreDoc
    pengungkit: PartScoreDoc
    hasil: HasilDoc
    total: float | None
    readiness: dict[str, ReadinessDoc]  # wbk, wbbm
    uncovered: list[str]  # LKE rows no plan indicator covers (still scored: 0)
    shared: list[str]  # LKE rows more than one plan indicator claims
    fix_first: list[FixDoc]
    claims: list[ClaimDoc]  # answers the evidence does not support: what the TPI strikes first
    unreadable: NotRequired[int]  # rows with an item whose folder could not be read


# The roll-up of a share that holds several units (`scan --units`): one row per unit.
class WorstDoc(TypedDict):
    indicator: str
    name: str
    status: str


class UnitRow(TypedDict):
    name: str
    folder: str
    exit_code: int
    complete: int | None
    planned: int | None
    missing: int | None
    invalid: int | None
    pemenuhan: float | None
    components: dict[str, list[int]]  # component -> [complete, planned]
    lke_areas: dict[str, float]  # LKE area number -> percent of its weight the evidence supports
    worst: list[WorstDoc]  # the unit's first gaps, as its own report ranks them


class RollupDoc(TypedDict):
    tool: str
    as_of: str | None
    units: list[UnitRow]


class Written(dict[str, Any]):
    """A part of the report together with the text the JSON report writes for it: a kept
    indicator's fragment (state/results.py) is written as it was read, not encoded again
    (9 MB a night on a 100,000-file share). A copy is a plain dict: a part changed after
    it was read (an owner added) is encoded as usual."""

    __slots__ = ("text",)

    def __init__(self, data: dict[str, Any], text: str) -> None:
        super().__init__(data)
        self.text = text


def written(doc: IndicatorDoc) -> IndicatorDoc:
    """The part as the report writes it: `json.dumps(doc, ensure_ascii=False)`."""
    return cast(
        IndicatorDoc, Written(cast(dict[str, Any], doc), json.dumps(doc, ensure_ascii=False))
    )


def read_written(text: str) -> IndicatorDoc:
    """A part from the text the report writes for it (ValueError if it is not JSON)."""
    return cast(IndicatorDoc, Written(json.loads(text), text))
