"""Each matched file's result, kept with its indicator's fragment, so that an indicator
computed again for one changed file takes its other files' results from the last scan.

The bench share's largest item holds 5,100 files: a night that adds one file there used
to decode, date and encode all of them again. A file's result depends on its item's
rules, its path and its verdict only (evaluate/files.py), so it is kept per file with a
digest of the verdict's stored text (its `stamp`, inspection/table.py), and reused where
the rules (the store's `base`) and that digest are the same. What is reused is what the
item's status is put together from (status, date, content hash) and the file's part of
the fragment, as the text the last scan wrote (report/fragment.py); nothing is decoded.

Kept beside the fragment (state/results.py), one JSON list a line per file: path, item
key, size, mtime (ns), sha256 (the history reads these five), the stamp's digest, the
status, the date (`source|start|end|kind`), and for an invalid file its path's mark
(evaluate/model.py, `path_mark`: the summary counts a kept fragment's invalid files by
these, and a file's validity is its verdict's, so a reused row keeps it). Where each
file's part lies in the fragment's text (its start and end) is kept apart, as one flat
list: a reused file's line is then written again as it was read, never encoded again
(encoding 15,000 rows was 30 ms of a changed night).

Most files of such an indicator are not even taken one by one: the runs of an item's
files kept by folder (state/chunks.py) that still hold are taken whole first, and only
the rows of the runs a change landed in are read (decoding 15,000 rows was 20 ms more).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any, NamedTuple

from zi_audit.core.facts import FileFacts
from zi_audit.core.statuses import ITEM_PRECEDENCE
from zi_audit.evaluate.files import FileJudge, file_result
from zi_audit.evaluate.model import (
    MARK,
    DocDate,
    FileResult,
    FilesPart,
    IndicatorResult,
    KeptIndicator,
    kept_rows,
)
from zi_audit.rules.model import Evidence, Indicator
from zi_audit.rules.periods import Period, Window
from zi_audit.state import chunks
from zi_audit.state.chunks import Chunk
from zi_audit.state.keptwrite import FragmentWriter, Kept, Reused

Entry = list[Any]  # one file's row, as the module's docstring lists its fields


class Prior(NamedTuple):
    """An indicator's kept fragment as the results store gives it (state/results.py): its
    text, its files' rows (a JSON list a line), where their parts lie (a JSON list) and
    its runs of files kept whole (state/chunks.py)."""

    text: str
    files: str
    spans: str
    chunks: str = ""


_PATH, _KEY, _DIGEST, _STATUS, _DATE, _MARK = 0, 1, 5, 6, 7, 8
# A file's kept row: the row, its line as kept, and where its part lies.
Row = tuple[Entry, str, int, int]
_FIELDS = 9
_encode = json.JSONEncoder().encode  # ASCII: a name's undecodable bytes kept escaped
_PART = '{"path": '  # how a file's part begins (report/document.py, file_doc)


def digest(stamp: str) -> str:
    """The stamp's digest: a verdict's text can hold a document's words (kilobytes)."""
    return hashlib.blake2b(stamp.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _places(spans: list[Any], size: int) -> bool:
    """Whether kept places are pairs of numbers, each a stretch of a text of `size`
    characters. (Checked a column at a time: a loop of ours per row was a third of
    reading 15,000 rows.)"""
    if len(spans) % 2 or (spans and set(map(type, spans)) != {int}):
        return False
    starts, ends = spans[0::2], spans[1::2]
    return not spans or (
        min(starts) >= 0 and max(ends) <= size and all(map(int.__lt__, starts, ends))
    )


def _reads(rows: list[Entry], count: int) -> bool:
    """Whether kept rows are as this module writes them, `count` of them, each with a
    mark that is one or none."""
    if len(rows) != count or not rows:
        return len(rows) == count
    if set(map(type, rows)) != {list} or set(map(len, rows)) != {_FIELDS}:
        return False
    marks = [row[_MARK] for row in rows]
    return set(map(type, marks)) == {str} and set(map(len, marks)) <= {0, MARK}


@lru_cache(maxsize=4096)
def _date_of(text: str) -> DocDate:
    """A kept date (`source|start|end|kind`): most files share one (ValueError if damaged)."""
    source, start, end, kind = text.split("|")
    return DocDate(Period(dt.date.fromisoformat(start), dt.date.fromisoformat(end), kind), source)


class FileMemo:
    """One indicator's kept file results: those that still hold (`match`), the results its
    evaluation takes (`judge`) and the rows to keep for the next scan (`fragment`). Made
    for one indicator at a time: the rows of its 5,000 files live while it is computed,
    not those of every indicator a night computes again (20 MB on the bench share). Runs
    of files kept whole (state/chunks.py) are taken first; only the other files' rows are
    read."""

    def __init__(self, kept: Prior | None) -> None:
        """`kept`: the indicator's kept fragment text, files' rows, their places and runs
        (rows that do not read as this module writes them are no memo: their files are
        computed; runs that do not are none: their files are taken one by one)."""
        self._text = self._files = ""
        self._spans: list[int] = []
        self._runs: dict[str, list[Chunk]] = {}
        self._lines: list[str] | None = None
        # item key -> the runs taken, each with the place of its first file
        self._taken: dict[str, list[tuple[int, Chunk]]] = {}
        # item key -> path -> its kept result, its line, its mark and its part's place
        self._reused: dict[str, dict[str, Reused]] = {}
        self.reused = 0  # file results taken from the last scan (one by one or in runs)
        self.rows_read = 0  # kept rows decoded (those of runs taken whole never are)
        if kept is None:
            return
        text, files, spans_text, runs = kept
        try:
            spans = json.loads(spans_text)
            if not (isinstance(spans, list) and _places(spans, len(text))):
                return
        except ValueError:
            return
        self._text, self._files, self._spans = text, files, spans
        try:
            self._runs = chunks.decode(runs, (len(text), len(files))) if runs else {}
        except (ValueError, TypeError, IndexError, KeyError):
            self._runs = {}

    def _rows(self, ranges: Sequence[tuple[int, int]] | None) -> dict[str, dict[str, Row]]:
        """The kept rows in these ranges of rows (None: all), by item and path: {} where
        they do not read as this module writes them."""
        if self._lines is None:
            self._lines = self._files.split("\n") if self._files else []
            if 2 * len(self._lines) != len(self._spans):  # a line holding two rows: no memo
                self._lines = []
        lines, spans = self._lines, self._spans
        if not lines:
            return {}
        by_item: dict[str, dict[str, Row]] = {}
        for r0, r1 in [(0, len(lines))] if ranges is None else ranges:
            try:
                rows = kept_rows("\n".join(lines[r0:r1]))
                places = spans[2 * r0 : 2 * r1]
                if not _reads(rows, len(places) // 2):
                    continue
            except ValueError:
                continue
            self.rows_read += len(rows)
            at = iter(places)
            for row, line, start, end in zip(rows, lines[r0:r1], at, at, strict=False):
                by_item.setdefault(row[_KEY], {})[row[_PATH]] = (row, line, start, end)
        return by_item

    def match(
        self,
        ind: Indicator,
        matches: Mapping[str, Sequence[str]],
        digest_of: Callable[[str], str],
        known: Mapping[str, str],
    ) -> set[str]:
        """Take the kept runs and results whose verdicts have not moved (`digest_of`: a
        file's verdict's digest, `digest` of its stamp; `known`: those made already); the
        paths still to compute. A kept row whose status is not a file's, whose date does
        not read or that does not say where its part lies is no memo (that file is
        computed)."""
        todo: set[str] = set()
        rest: dict[str, list[str]] = {}
        ranges: list[tuple[int, int]] | None = [] if self._runs else None
        for e in ind.evidence:
            paths = sorted(matches.get(e.key, ()))
            rest[e.key] = left = self._take_runs(e.key, paths, known, digest_of)
            if ranges is not None and left:  # the rows of its runs not taken are read
                held = {id(c) for _, c in self._taken[e.key]}
                ranges += [
                    (c.row, c.row + len(c.part.paths))
                    for c in self._runs.get(e.key, [])
                    if id(c) not in held
                ]
        by_item = self._rows(ranges) if any(rest.values()) else {}
        text = self._text
        for key, left in rest.items():
            rows = by_item.get(key, {})
            reused = self._reused.setdefault(key, {})
            for path in left:
                kept = rows.get(path)
                if kept is None:
                    todo.add(path)
                    continue
                row, line, start, end = kept
                status = row[_STATUS]
                try:
                    if not (
                        row[_DIGEST] == digest_of(path)
                        and status in ITEM_PRECEDENCE  # a file's own statuses
                        and text.startswith(_PART, start)
                        and text[end - 1] == "}"
                    ):
                        todo.add(path)
                        continue
                    facts = FileFacts(row[2], row[3] / 1e9, sha256=row[4])
                    result = FileResult(path, _date_of(row[_DATE]), facts, status)
                except (ValueError, TypeError, AttributeError):
                    todo.add(path)
                    continue
                reused[path] = (result, line, row[_MARK], start, end)
        return todo

    def _take_runs(
        self,
        key: str,
        paths: list[str],
        known: Mapping[str, str],
        digest_of: Callable[[str], str],
    ) -> list[str]:
        """Take the item's kept runs that hold (state/chunks.py); its paths left."""
        rows_kept = len(self._spans) // 2
        got = [
            (at, c)
            for at, c in chunks.taken(self._runs.get(key, []), paths, known, digest_of, self._text)
            if c.row + len(c.part.paths) <= rows_kept
        ]
        got.sort(key=lambda taken: taken[0])
        self._taken[key] = got
        left: list[str] = []
        done = 0
        for at, c in got:
            left += paths[done:at]
            done = at + len(c.part.paths)
        return left + paths[done:]

    def judge(self, facts: Mapping[str, FileFacts], year: int, tz: dt.tzinfo) -> FileJudge:
        """Kept runs and results where they hold, else computed from the facts."""
        reused, taken = self._reused, self._taken

        def one(
            item: Evidence, window: Window, path: str, kept: Mapping[str, Reused]
        ) -> FileResult:
            got = kept.get(path)
            if got is not None:
                self.reused += 1
                return got[0]
            return file_result(item, window, path, facts[path], year, tz)

        def judge(
            item: Evidence, window: Window, paths: Sequence[str]
        ) -> tuple[FileResult | FilesPart, ...]:
            out: list[FileResult | FilesPart] = []
            kept = reused.get(item.key, {})
            done = 0
            for at, c in taken.get(item.key, ()):
                out += [one(item, window, p, kept) for p in paths[done:at]]
                out.append(c.part)
                self.reused += len(c.part.paths)
                done = at + len(c.part.paths)
            out += [one(item, window, p, kept) for p in paths[done:]]
            return tuple(out)

        return judge

    def fragment(
        self, res: IndicatorResult, digest_of: Callable[[str], str]
    ) -> tuple[KeptIndicator, str, str]:
        """The result as the next scan keeps it: the fragment's text, head and invalid
        files, and the files' rows to keep with it; where their parts lie (JSON) and its
        runs (state/chunks.py)."""
        kept = {id(got[0]): got for of_item in self._reused.values() for got in of_item.values()}
        runs = {id(c.part): c for taken in self._taken.values() for _, c in taken}
        old = Kept(self._text, self._files, self._spans, kept, runs)
        return FragmentWriter(old, res, digest_of).written()
