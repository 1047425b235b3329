"""Statuses from facts: matched files + rules + as-of date in, per-indicator statuses out.

Pure: no I/O, no clock. Scan, watch and the tests all call this with the facts
they gathered, so the rules of docs/statuses.md live in one place only. Each file's own
result (its date, its status) is evaluate/files.py's; here they are put together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import cast

from zi_audit.core.facts import FileFacts
from zi_audit.core.statuses import INDICATOR_ORDER, ITEM_PRECEDENCE
from zi_audit.evaluate.asof import open_as_of
from zi_audit.evaluate.files import FileJudge, judge_files
from zi_audit.evaluate.model import (
    FileResult,
    FilesPart,
    Fill,
    IndicatorResult,
    ItemResult,
    SlotResult,
)
from zi_audit.match.folders import folder_names
from zi_audit.rules.model import Evidence, Indicator, RuleSet
from zi_audit.rules.periods import Period, Window, slots
from zi_audit.util.timezones import WIB


def _best(statuses: Sequence[str]) -> str | None:
    for status in ITEM_PRECEDENCE:
        if status in statuses:
            return status
    return None


def _worst(statuses: Sequence[str]) -> str:
    return min(statuses, key=INDICATOR_ORDER.index)


def _open_status(end: dt.date, grace: int, as_of: dt.date) -> str:
    return "missing" if end + dt.timedelta(days=grace) < as_of else "pending"


# Per slot, its files' paths and their standing there; then the files that wait.
Placed = tuple[list[tuple[list[str], list[str]]], list[tuple[str, dt.date, str]]]


def _place(periods: list[Period], files: Iterable[FileResult]) -> Placed:
    """Give each file to a slot (the period its name names, else the one holding its date).

    A file dated before the first slot (within the plan year) counts for the first; one
    dated between or after slots waits (the second list) for `_fill_slots`. A file's
    place depends on itself only: a run of files is placed once and kept (FilesPart).
    """
    got: list[tuple[list[str], list[str]]] = [([], []) for _ in periods]
    overflow: list[tuple[str, dt.date, str]] = []
    for f in files:
        if f.status == "outdated":
            continue
        day = f.date.day
        valid = "invalid" if f.status == "invalid" else "present"
        named = f.date.period
        if named.kind != "day":
            # A recap named for a stretch (`Januari–Maret`, `TW I`, `Semester I`) fills every
            # slot it covers, dated by what it covers: made in August, it is not late for March.
            covered = [
                n for n, p in enumerate(periods) if named.start <= p.start and p.end <= named.end
            ]
            if covered:
                for n in covered:
                    got[n][0].append(f.path)
                    got[n][1].append(valid)
                continue
        slot = next((n for n, p in enumerate(periods) if p.contains(day)), None)
        if slot is None and f.date.period.kind == "day":
            if day < periods[0].start:
                slot = 0
            else:
                overflow.append((f.path, day, f.status))
        if slot is not None:
            got[slot][0].append(f.path)
            got[slot][1].append(valid)
    return got, overflow


def _fill_slots(
    periods: list[Period],
    way: int,
    files: Sequence[FileResult | FilesPart],
    item: Evidence,
    as_of: dt.date,
) -> tuple[SlotResult, ...]:
    """The slots filled (`way`: which of the item's ways of dividing its window, for the
    runs placed already). A file dated between or after slots fills the latest empty slot
    begun before it (a recap is written after its period): on time within the grace days,
    `late` after them."""
    grace = dt.timedelta(days=item.grace_days)
    if not any(isinstance(f, FilesPart) for f in files):
        got, overflow = _place(periods, cast(Sequence[FileResult], files))
    else:  # in path order, runs and files alike
        got, overflow = _joined(
            [f.fills[way] if isinstance(f, FilesPart) else _placed(periods, f) for f in files],
            len(periods),
        )
    for path, day, file_status in overflow:
        for n in reversed(range(len(periods))):
            if not got[n][0] and periods[n].start <= day:
                on_time = day <= periods[n].end + grace
                status = (
                    "invalid" if file_status == "invalid" else ("present" if on_time else "late")
                )
                got[n][0].append(path)
                got[n][1].append(status)
                break
    return tuple(
        SlotResult(
            period,
            _best(entries[1]) or _open_status(period.end, item.grace_days, as_of),
            tuple(entries[0]),
        )
        for period, entries in zip(periods, got, strict=True)
    )


def _placed(periods: list[Period], f: FileResult) -> Fill:
    got, overflow = _place(periods, (f,))
    return tuple((tuple(paths), tuple(marks)) for paths, marks in got), tuple(overflow)


def _joined(fills: Iterable[Fill], slot_count: int) -> Placed:
    """Runs' and files' places, one after the other."""
    got: list[tuple[list[str], list[str]]] = [([], []) for _ in range(slot_count)]
    overflow: list[tuple[str, dt.date, str]] = []
    for slot_lists, waiting in fills:
        for (paths, marks), (more_paths, more_marks) in zip(got, slot_lists, strict=True):
            paths += more_paths
            marks += more_marks
        overflow += waiting
    return got, overflow


def _ways(item: Evidence, window: Window) -> list[list[Period]]:
    """The ways of dividing the window into slots the item may be judged by (none: the
    window as one)."""
    alternatives: list[list[Period]] = []
    if len(window.parts) > 1:
        alternatives.append(list(window.parts))
    alternatives += [slots(window, every) for every in item.every]
    return alternatives


def files_part(
    item: Evidence, indicator_window: Window, files: Sequence[FileResult | FilesPart]
) -> FilesPart:
    """A run of an item's files (and runs), as a later scan takes it whole."""
    ways = _ways(item, item.window or indicator_window)
    paths: list[str] = []
    statuses: set[str] = set()
    usable: list[str] = []
    for f in files:
        if isinstance(f, FilesPart):
            paths += f.paths
            statuses |= f.statuses
            usable += f.usable
        else:
            paths.append(f.path)
            statuses.add(f.status)
            if f.status in ("present", "late"):
                usable.append(f.facts.sha256 or f.path)
    fills: list[Fill] = []
    for way, periods in enumerate(ways):
        got, overflow = _joined(
            [f.fills[way] if isinstance(f, FilesPart) else _placed(periods, f) for f in files],
            len(periods),
        )
        fills.append((tuple((tuple(p), tuple(m)) for p, m in got), tuple(overflow)))
    return FilesPart(tuple(paths), frozenset(statuses), tuple(usable), tuple(fills))


_ITEM_RANK = ("present", "late", "pending", "outdated", "invalid", "missing")


def evaluate_item(
    item: Evidence,
    indicator_window: Window,
    paths: Sequence[str],
    facts: Mapping[str, FileFacts],
    as_of: dt.date,
    year: int,
    folder: str,
    tz: dt.tzinfo = WIB,
    judge: FileJudge | None = None,
) -> ItemResult:
    """`judge`: where the files' results come from (evaluate/files.py); by default each is
    computed from its facts. It may give runs of files taken whole (FilesPart)."""
    window = item.window or indicator_window
    judged = (judge or judge_files(facts, year, tz))(item, window, sorted(paths))
    files = tuple(f for f in judged if not isinstance(f, FilesPart))
    parts: tuple[tuple[int, FilesPart], ...] = ()
    statuses = [f.status for f in files]
    if len(files) != len(judged):
        parts = _parts_at(judged)
        statuses += [s for _, part in parts for s in part.statuses]

    alternatives = _ways(item, window)
    if not alternatives:
        status = _best(statuses) or _open_status(window.end, item.grace_days, as_of)
        return ItemResult(item, window, status, files, None, window.end, folder, 0, parts)

    best: tuple[str, tuple[SlotResult, ...]] | None = None
    for way, periods in enumerate(alternatives):
        filled = _fill_slots(periods, way, judged, item, as_of)
        status = _worst([s.status for s in filled])
        if status in ("missing", "pending") and statuses and set(statuses) == {"outdated"}:
            status = "outdated"
        if best is None or _ITEM_RANK.index(status) < _ITEM_RANK.index(best[0]):
            best = (status, filled)
    assert best is not None
    status, filled = best
    open_ends = [s.period.end for s in filled if s.status in ("missing", "pending")]
    deadline = min(open_ends) if open_ends else window.end
    return ItemResult(item, window, status, files, filled, deadline, folder, 0, parts)


def _parts_at(judged: Sequence[FileResult | FilesPart]) -> tuple[tuple[int, FilesPart], ...]:
    """The runs among an item's results, each with how many files come before it."""
    out: list[tuple[int, FilesPart]] = []
    files = 0
    for f in judged:
        if isinstance(f, FilesPart):
            out.append((files, f))
        else:
            files += 1
    return tuple(out)


def expected_folder(
    indicator: Indicator, folders: Mapping[str, str], layout: Mapping[str, str]
) -> str:
    """Where this indicator's evidence belongs: the team's own folder for it when there is one,
    else the nearest folder it has plus the numbered subfolders `zi-audit init` would create."""
    levels = (indicator.id, indicator.area, indicator.component)
    for n, ident in enumerate(levels):
        if ident in folders:
            if n == 0:
                return folders[ident]
            missing = layout[indicator.id].split("/")[-n:]
            return "/".join([folders[ident], *missing])
    return layout[indicator.id]


class EvaluationMemo:
    """Each indicator's result with the inputs that made it, kept between the scans of one
    watch: an update re-evaluates only the indicators whose files, facts or folder moved.
    Evaluation is pure, so the same inputs give the same result."""

    def __init__(self) -> None:
        self.results: dict[str, tuple[object, IndicatorResult]] = {}
        self.evaluated = 0  # indicators evaluated (not taken from the memo) by the last call


def evaluate(
    rules: RuleSet,
    matches: Mapping[str, Sequence[str]],
    facts: Mapping[str, FileFacts],
    as_of: dt.date,
    folders: Mapping[str, str] | None = None,
    memo: EvaluationMemo | None = None,
) -> tuple[IndicatorResult, ...]:
    """`matches` maps evidence keys (`1.3.2/1`) to the root-relative paths that match them;
    `folders` maps indicator, area and component ids to the team's own folders for them."""
    folders = folders or {}
    layout = folder_names(rules)
    judged_as_of = open_as_of(rules, as_of)
    indicators = []
    if memo is not None:
        memo.evaluated = 0
    for ind in rules.indicators:
        folder = expected_folder(ind, folders, layout)
        inputs: object = None
        if memo is not None and ind.planned and ind.window is not None:
            # Each item's paths and their facts as two tuples, not a pair per file: the
            # memo holds these for every matched file of the share (1.3 MB at 18,000).
            paths = [tuple(matches.get(e.key, ())) for e in ind.evidence]
            inputs = (
                rules,
                judged_as_of,
                folder,
                [(p, tuple(map(facts.__getitem__, p))) for p in paths],
            )
            kept = memo.results.get(ind.id)
            if kept is not None and kept[0] == inputs:
                indicators.append(kept[1])
                continue
            memo.evaluated += 1
        result = evaluate_indicator(rules, ind, matches, facts, judged_as_of, folder)
        if memo is not None and inputs is not None:
            memo.results[ind.id] = (inputs, result)
        indicators.append(result)
    return tuple(indicators)


def evaluate_indicator(
    rules: RuleSet,
    ind: Indicator,
    matches: Mapping[str, Sequence[str]],
    facts: Mapping[str, FileFacts],
    judged_as_of: dt.date,
    folder: str,
    judge: FileJudge | None = None,
) -> IndicatorResult:
    """One indicator's result; `judged_as_of` is `open_as_of(rules, as_of)`; `judge` as
    for evaluate_item."""
    if not ind.planned or ind.window is None:
        return IndicatorResult(ind, "not_planned", ())
    items = []
    for e in ind.evidence:
        if e.applies_to and rules.unit_kind not in e.applies_to:
            window = e.window or ind.window
            items.append(ItemResult(e, window, "not_applicable", (), None, window.end, folder))
            continue
        found = evaluate_item(
            e,
            ind.window,
            matches.get(e.key, ()),
            facts,
            judged_as_of,
            rules.year,
            folder,
            rules.zone,
            judge,
        )
        items.append(_plan_keys(found, judged_as_of))
    counted = [i.status for i in items if i.status != "not_applicable"]
    status = _worst(counted) if counted else "not_applicable"
    return IndicatorResult(ind, status, tuple(items))


def _plan_keys(result: ItemResult, as_of: dt.date) -> ItemResult:
    """What the plan says beyond files and dates: `min` distinct documents, evidence
    another office provides (`provided_by`), evidence needed only if something happened
    (`only_if`). docs/rules.md."""
    e = result.evidence
    usable = {f.facts.sha256 or f.path for f in result.files if f.status in ("present", "late")}
    for _, part in result.parts:
        usable.update(part.usable)
    status = result.status
    if len(usable) < e.minimum and status in ("present", "late"):
        status = _open_status(result.deadline, e.grace_days, as_of)  # 2 of 3 is not done
    if not usable and not result.files and not result.parts and status in ("missing", "pending"):
        if e.provided_by:
            status = "provided"
        elif e.only_if:
            status = "not_required"
    return result._replace(status=status, have=len(usable))


# Statuses an unreadable folder cannot change: the evidence is there, or not asked for.
_SETTLED = ("present", "late", "provided", "not_required", "not_applicable")


def under_blind(ident: str, blind: frozenset[str]) -> bool:
    """Whether a plan id lies under one whose folder could not be read (`blind`)."""
    return any(ident == b or ident.startswith(b + ".") for b in blind)


def mark_unreadable(
    indicators: Sequence[IndicatorResult], blind: frozenset[str]
) -> tuple[IndicatorResult, ...]:
    """Indicators under a folder that could not be read (`blind`: the component, area or
    indicator ids whose folders those are) are `unreadable` where their evidence is not
    already complete: what the folder holds is unknown, so nothing there is missing."""
    if not blind:
        return tuple(indicators)
    out = []
    for res in indicators:
        ident = res.indicator.id
        if not under_blind(ident, blind):
            out.append(res)
            continue
        items = tuple(
            i if i.status in _SETTLED else i._replace(status="unreadable") for i in res.items
        )
        out.append(res._replace(items=items, status=_worst([i.status for i in items])))
    return tuple(out)
