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
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any, NamedTuple, cast

from zi_audit.core.facts import FileFacts
from zi_audit.core.schema import IndicatorDoc, Written
from zi_audit.core.statuses import ITEM_PRECEDENCE
from zi_audit.evaluate.files import FileJudge, file_result
from zi_audit.evaluate.model import (
    MARK,
    DocDate,
    FileResult,
    IndicatorResult,
    KeptIndicator,
    kept_rows,
    path_mark,
)
from zi_audit.report.document import indicator_doc
from zi_audit.report.fragment import file_text, indicator_text, part_text
from zi_audit.rules.model import Evidence, Indicator
from zi_audit.rules.periods import Period, Window

Entry = list[Any]  # one file's row, as the module's docstring lists its fields


class Prior(NamedTuple):
    """An indicator's kept fragment as the results store gives it (state/results.py): its
    text, its files' rows (a JSON list a line) and where their parts lie (a JSON list)."""

    text: str
    files: str
    spans: str


_PATH, _KEY, _DIGEST, _STATUS, _DATE, _MARK = 0, 1, 5, 6, 7, 8
# A file's kept result, as reused: its result, its line, its mark, its part's place.
Reused = tuple[FileResult, str, str, int, int]
_FIELDS = 9
_encode = json.JSONEncoder().encode  # ASCII: a name's undecodable bytes kept escaped
_PART = '{"path": '  # how a file's part begins (report/document.py, file_doc)


def digest(stamp: str) -> str:
    """The stamp's digest: a verdict's text can hold a document's words (kilobytes)."""
    return hashlib.blake2b(stamp.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _date_text(date: DocDate) -> str:
    p = date.period
    return f"{date.source}|{p.start.isoformat()}|{p.end.isoformat()}|{p.kind}"


def _reads(rows: list[Entry], spans: list[int], size: int) -> bool:
    """Whether kept rows are as this module writes them: each with a mark that is one or
    none, and a place in a text of `size` characters. (Checked a column at a time: a
    loop of ours per row was a third of reading 15,000 rows.)"""
    if not rows:
        return not spans
    if len(spans) != 2 * len(rows) or set(map(type, spans)) != {int}:
        return False
    starts, ends = spans[0::2], spans[1::2]
    if not (min(starts) >= 0 and max(ends) <= size and all(map(int.__lt__, starts, ends))):
        return False
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
    evaluation takes (`judge`) and the rows to keep for the next scan (`text`). Made for
    one indicator at a time: the rows of its 5,000 files live while it is computed, not
    those of every indicator a night computes again (20 MB on the bench share)."""

    def __init__(self, kept: Prior | None) -> None:
        """`kept`: the indicator's kept fragment text, files' rows and their places (rows
        that do not read as this module writes them are no memo: their files are computed)."""
        self._text = ""
        # item key -> path -> its kept row, its line as kept, and where its part lies (by
        # item, then path: no pair made and hashed for each of 15,000 files)
        self._rows: dict[str, dict[str, tuple[Entry, str, int, int]]] = {}
        # item key -> path -> its kept result, its line, its mark and its part's place
        self._reused: dict[str, dict[str, Reused]] = {}
        self.reused = 0  # file results taken from the last scan
        if kept is None:
            return
        text, files, spans_text = kept
        try:
            rows = kept_rows(files)
            spans = json.loads(spans_text)
            if not (isinstance(spans, list) and _reads(rows, spans, len(text))):
                return
            lines = files.split("\n") if rows else []
            if len(lines) != len(rows):  # a line holding two rows: no memo
                return
            at = iter(spans)
            by_item: dict[str, dict[str, tuple[Entry, str, int, int]]] = {}
            for row, line, start, end in zip(rows, lines, at, at, strict=False):
                by_item.setdefault(row[_KEY], {})[row[_PATH]] = (row, line, start, end)
            self._text, self._rows = text, by_item
        except (ValueError, TypeError):
            return

    def match(
        self, ind: Indicator, matches: Mapping[str, Sequence[str]], digest_of: Callable[[str], str]
    ) -> set[str]:
        """Take the kept results whose verdicts have not moved (`digest_of`: a file's
        verdict's digest, `digest` of its stamp); the paths still to compute. A kept row
        whose status is not a file's, whose date does not read or that does not say where
        its part lies is no memo (that file is computed)."""
        todo: set[str] = set()
        text = self._text
        for e in ind.evidence:
            rows = self._rows.get(e.key, {})
            reused = self._reused.setdefault(e.key, {})
            for path in matches.get(e.key, ()):
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
        self._rows.clear()
        return todo

    def judge(self, facts: Mapping[str, FileFacts], year: int, tz: dt.tzinfo) -> FileJudge:
        """Kept results where they hold, else computed from the facts."""
        reused = self._reused

        def judge(item: Evidence, window: Window, paths: Sequence[str]) -> tuple[FileResult, ...]:
            out = []
            kept = reused.get(item.key, {})
            for path in paths:
                got = kept.get(path)
                if got is not None:
                    out.append(got[0])
                    self.reused += 1
                else:
                    out.append(file_result(item, window, path, facts[path], year, tz))
            return tuple(out)

        return judge

    def fragment(
        self, res: IndicatorResult, digest_of: Callable[[str], str]
    ) -> tuple[KeptIndicator, str]:
        """The result as the next scan keeps it: the fragment's text, head and invalid
        files, and the files' rows to keep with it; and where their parts lie (JSON)."""
        reused = self._reused
        # Per item, each file's kept line, mark and place, where its result is the kept one.
        kept: list[list[Reused | None]] = []
        for item in res.items:
            of_item = reused.get(item.evidence.key, {})
            lines_of: list[Reused | None] = []
            for f in item.files:
                got = of_item.get(f.path)
                lines_of.append(got if got is not None and got[0] is f else None)
            kept.append(lines_of)
        built: IndicatorDoc | None = None
        if not any(reused.values()):
            # Nothing kept (a first scan): the fragment built, its file parts encoded once,
            # holding the strings the results hold (decoded, every value is a string of
            # its own: 4 MB more at the first scan's peak on the bench share).
            doc = indicator_doc(res)
            made = iter([[part_text(f) for f in item["files"]] for item in doc["evidence"]])
            text, spans, head = indicator_text(res, lambda _: next(made))
            built = cast(IndicatorDoc, Written(cast(dict[str, Any], doc), text))
        else:
            old = self._text
            parts = iter(
                [
                    [
                        file_text(f) if got is None else old[got[3] : got[4]]
                        for f, got in zip(item.files, lines_of, strict=True)
                    ]
                    for item, lines_of in zip(res.items, kept, strict=True)
                ]
            )
            text, spans, head = indicator_text(res, lambda _: next(parts))
        lines: list[str] = []
        invalid: set[str] = set()
        for item, lines_of in zip(res.items, kept, strict=True):
            key = item.evidence.key
            for f, got in zip(item.files, lines_of, strict=True):
                if got is None:
                    ff = f.facts
                    mark = "" if ff.valid else path_mark(f.path)
                    row = [f.path, key, ff.size, int(ff.mtime * 1e9), ff.sha256, digest_of(f.path)]
                    lines.append(_encode([*row, f.status, _date_text(f.date), mark]))
                else:
                    _, line, mark, _, _ = got
                    lines.append(line)
                if mark:
                    invalid.add(mark)
        found = tuple(sorted(invalid))
        files = "\n".join(lines)
        result = KeptIndicator(res.indicator, res.status, head, text, files, found, built)
        return result, _encode(spans)
