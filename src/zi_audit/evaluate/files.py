"""One matched file's result for one evidence item: its date and its status.

A file's result depends on the item's rules, its path and its facts, never on the other
files of the item nor on the as-of date (those decide the item's status, in
evaluate/statuses.py). That is what lets a rescan take an unchanged file's result from
the last scan although its indicator must be computed again (state/filememo.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import NamedTuple, Protocol, TypeVar

from zi_audit.core.facts import FileFacts
from zi_audit.evaluate.model import DocDate, FileResult, FilesPart
from zi_audit.evaluate.namedates import date_in_name, years_in_name
from zi_audit.rules.model import Evidence
from zi_audit.rules.periods import Period, Window, day_period, month_period
from zi_audit.util.timezones import WIB

_T = TypeVar("_T")
LIMIT = 65536  # names a memo holds before it starts again


class _Memo(dict[str, _T]):
    """What a name says, made once per name (a folder's files share its date; an item's
    files are dated again each time a watch computes it): a dict entry each. lru_cache
    kept a linked node and a key beside each, and a name's date twice (the file's, and
    the name's under it): 7 MB of a watch on the bench share. Emptied when it holds LIMIT
    names: a watch that runs for months meets new names without end."""

    def __init__(self, make: Callable[[str], _T]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, name: str) -> _T:
        if len(self) >= LIMIT:
            self.clear()
        found = self[name] = self.make(name)
        return found


class _Dates(NamedTuple):
    """The dates names give for one plan year."""

    # A file's name, by its path: the string the walk holds already (a name cut from it
    # was one more string per file, 1.5 MB of a watch on the bench share).
    files: _Memo[DocDate | None]
    folders: _Memo[DocDate | None]  # the nearest folder on a path that names one
    parts: _Memo[Period | None]  # one folder's name


@cache
def _dates(year: int) -> _Dates:
    parts: _Memo[Period | None] = _Memo(lambda part: date_in_name(part, year))

    def nearest(folder: str) -> DocDate | None:
        for part in reversed(folder.split("/")):
            found = parts[part]
            if found is not None:
                return DocDate(found, "folder")
        return None

    def own(relpath: str) -> DocDate | None:
        found = date_in_name(relpath.rpartition("/")[2], year)
        return None if found is None else DocDate(found, "filename")

    return _Dates(_Memo(own), _Memo(nearest), parts)


# The years a name carries, as a tuple: most carry none (the one empty tuple), and a set
# of one year is four times the size of a tuple of it.
_years_in_name: _Memo[tuple[int, ...]] = _Memo(lambda name: tuple(sorted(years_in_name(name))))


def document_date(relpath: str, facts: FileFacts, year: int, tz: dt.tzinfo = WIB) -> DocDate:
    """Its own words first (a decree's "pada tanggal", a letter's date line), then its name,
    the nearest folder's name, its metadata, its modification time (docs/statuses.md)."""
    if facts.text_date is not None:
        return DocDate(day_period(facts.text_date), "text")
    folder = relpath.rpartition("/")[0]
    dates = _dates(year)
    found = dates.files[relpath] or (dates.folders[folder] if folder else None)
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


def _names_year(relpath: str, year: int) -> bool:
    """Whether the file's name, or a folder's on its path, names the plan year."""
    return any(year in _years_in_name[part] for part in relpath.split("/"))


def _carries_other_year(relpath: str, year: int) -> bool:
    name = relpath.rpartition("/")[2]
    years = _years_in_name[name]
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
