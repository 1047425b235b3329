"""The data that flows between the stages: facts about files in, results out.

Plain frozen dataclasses so that evaluation stays a pure function; the report
document (report/document.py) is built from a `Report` once per scan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from zi_audit.core.facts import FileFacts
from zi_audit.core.problems import WalkProblem
from zi_audit.rules.model import Evidence, Indicator, RuleSet
from zi_audit.rules.periods import Period, Window


@dataclass(frozen=True)
class DocDate:
    period: Period
    source: str  # text | filename | folder | content | mtime

    @property
    def day(self) -> dt.date:
        return self.period.start


@dataclass(frozen=True)
class FileResult:
    path: str
    date: DocDate
    facts: FileFacts
    status: str  # present | late | outdated | invalid
    # What its words say against it for this item (`words_missing:…`, `other_year:…`)
    why: tuple[str, ...] = ()


@dataclass(frozen=True)
class SlotResult:
    period: Period
    status: str
    files: tuple[str, ...]


@dataclass(frozen=True)
class ItemResult:
    evidence: Evidence
    window: Window
    status: str
    files: tuple[FileResult, ...]
    slots: tuple[SlotResult, ...] | None
    deadline: dt.date
    folder: str  # where the team should look / file it, root-relative
    have: int = 0  # distinct usable documents (by content), for items that need several


@dataclass(frozen=True)
class IndicatorResult:
    indicator: Indicator
    status: str
    items: tuple[ItemResult, ...]


@dataclass(frozen=True)
class Report:
    """One scan, assembled by the pipeline: the evaluation's results and what the walk saw."""

    rules: RuleSet
    root: str
    as_of: dt.date
    indicators: tuple[IndicatorResult, ...]
    unmatched: tuple[str, ...] = ()
    problems: tuple[WalkProblem, ...] = ()
    files_seen: int = 0
    stats: Mapping[str, int] = field(default_factory=dict)
    # unmatched path -> (indicator, item key, score) of the likeliest home
    suggestions: Mapping[str, tuple[str, str, float]] = field(default_factory=dict)
