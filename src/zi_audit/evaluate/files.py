"""One matched file's result for one evidence item: its date and its status.

A file's result depends on the item's rules, its path and its facts, never on the other
files of the item nor on the as-of date (those decide the item's status, in
evaluate/statuses.py). That is what lets a rescan take an unchanged file's result from
the last scan although its indicator must be computed again (state/filememo.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Protocol

from zi_audit.core.facts import FileFacts
from zi_audit.evaluate.model import DocDate, FileResult, FilesPart
from zi_audit.evaluate.namedates import date_in_name, years_in_name
from zi_audit.rules.model import Evidence
from zi_audit.rules.periods import Period, Window, day_period, month_period
from zi_audit.util.timezones import WIB

_date_in_name = lru_cache(maxsize=65536)(date_in_name)
_years_in_name = lru_cache(maxsize=65536)(years_in_name)


def document_date(relpath: str, facts: FileFacts, year: int, tz: dt.tzinfo = WIB) -> DocDate:
    """Its own words first (a decree's "pada tanggal", a letter's date line), then its name,
    the nearest folder's name, its metadata, its modification time (docs/statuses.md)."""
    if facts.text_date is not None:
        return DocDate(day_period(facts.text_date), "text")
    folder, _, name = relpath.rpartition("/")
    found = _name_date(name, year) or (_folder_date(folder, year) if folder else None)
    if found is not None:
        return found
    if facts.content_date is not None:
        when = facts.content_date
        day = when.astimezone(tz).date() if when.tzinfo else when.date()
        if facts.content_precision == "year":
            return DocDate(
                Period(dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), "year"), "content"
            )
        if facts.content_precision == "month":
            return DocDate(month_period(day.year, day.month), "content")
        return DocDate(day_period(day), "content")
    return DocDate(day_period(dt.datetime.fromtimestamp(facts.mtime, tz).date()), "mtime")


# The dates names give, made once per name and per folder: a folder's files share its date.
@lru_cache(maxsize=65536)
def _name_date(name: str, year: int) -> DocDate | None:
    found = _date_in_name(name, year)
    return None if found is None else DocDate(found, "filename")


@lru_cache(maxsize=16384)
def _folder_date(folder: str, year: int) -> DocDate | None:
    """The date of the nearest folder on the path that names one."""
    for part in reversed(folder.split("/")):
        found = _date_in_name(part, year)
        if found is not None:
            return DocDate(found, "folder")
    return None


def _names_year(relpath: str, year: int) -> bool:
    """Whether the file's name, or a folder's on its path, names the plan year."""
    return any(year in _years_in_name(part) for part in relpath.split("/"))


def _carries_other_year(relpath: str, year: int) -> bool:
    name = relpath.rpartition("/")[2]
    years = _years_in_name(name)
    return bool(years) and year not in years


def content_problems(item: Evidence, path: str, facts: FileFacts, year: int) -> tuple[str, ...]:
    """What a document's words say against it for this item: words the item needs that its
    text lacks (`words_missing:…`), or a title or number naming another year although it is
    filed for the plan year (`other_year:…`). Where its text was not read (a scan, no OCR)
    and the item needs words: `text_unread`, a note, not a problem."""
    if facts.text is None:
        return ("text_unread",) if item.words else ()  # counted by its name, as before
    out: list[str] = []
    missing = [w for w in item.words if not _holds(facts.text, w)]
    if missing:
        out.append("words_missing:" + ", ".join(w.replace("|", " / ") for w in missing))
    named = facts.text_years
    if named and year not in named and _names_year(path, year):
        out.append("other_year:" + ", ".join(str(y) for y in named))
    return tuple(out)


def _holds(text: str, words: str) -> bool:
    """`words` is a phrase, or alternatives `a|b` of which one will do, matched as whole words."""
    padded = f" {text} "
    return any(f" {alt} " in padded for alt in words.split("|"))


def file_status(
    item: Evidence,
    path: str,
    date: DocDate,
    facts: FileFacts,
    window: Window,
    year: int,
    why: tuple[str, ...] = (),
) -> str:
    if not facts.valid or any(w.startswith("words_missing:") for w in why):
        return "invalid"
    # A year in the name (or a folder's), or in the title of a decree dated by its own
    # words, says which plan year a document belongs to: an SK for year N signed in
    # December of N-1 is N's, prepared early, not last year's.
    early = date.day.year < year and (
        _names_year(path, year) or (date.source == "text" and year in facts.text_years)
    )
    if (
        (date.day.year < year and not early)
        or (item.year_bound and _carries_other_year(path, year))
        or any(w.startswith("other_year:") for w in why)
    ):
        return "outdated"
    if date.day > window.end + dt.timedelta(days=item.grace_days):
        return "late"
    return "present"


def file_result(
    item: Evidence, window: Window, path: str, facts: FileFacts, year: int, tz: dt.tzinfo
) -> FileResult:
    date = document_date(path, facts, year, tz)
    why = content_problems(item, path, facts, year)
    return FileResult(
        path, date, facts, file_status(item, path, date, facts, window, year, why), why
    )


class FileJudge(Protocol):
    """The results of an item's files, in the order of `paths` (sorted); a run of them may
    be given whole, as the last scan kept it (state/filememo.py)."""

    def __call__(
        self, item: Evidence, window: Window, paths: Sequence[str]
    ) -> tuple[FileResult | FilesPart, ...]: ...


def judge_files(facts: Mapping[str, FileFacts], year: int, tz: dt.tzinfo) -> FileJudge:
    """Every file's result computed from its facts."""

    def judge(item: Evidence, window: Window, paths: Sequence[str]) -> tuple[FileResult, ...]:
        return tuple(file_result(item, window, p, facts[p], year, tz) for p in paths)

    return judge
