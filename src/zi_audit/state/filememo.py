"""Each matched file's result, kept with its indicator's fragment, so that an indicator
computed again for one changed file takes its other files' results from the last scan.

The bench share's largest item holds 5,100 files: a night that adds one file there used
to decode, date and encode all of them again. A file's result depends on its item's
rules, its path and its verdict only (evaluate/files.py), so it is kept per file with a
digest of the verdict's stored text (its `stamp`, inspection/table.py), and reused where
the rules (the store's `base`) and that digest are the same. What is reused is what the
item's status is put together from (status, date, content hash) and the file's part of
the fragment, as the text the last scan wrote (report/fragment.py); nothing is decoded.

Kept in the results store's `files` column (state/results.py), one JSON list per file:
path, item key, size, mtime (ns), sha256 (the history reads these five), the stamp's
digest, the status, the date (`source|start|end|kind`), where its part lies in the
fragment's text, and for an invalid file its path's mark (evaluate/model.py, `path_mark`:
the summary counts a kept fragment's invalid files by these, and a file's validity is its
verdict's, so a reused row keeps it).
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
    path_mark,
)
from zi_audit.report.document import indicator_doc
from zi_audit.report.fragment import file_text, indicator_text, part_text
from zi_audit.rules.model import Evidence, Indicator
from zi_audit.rules.periods import Period, Window

Entry = list[Any]  # one file's row, as the module's docstring lists its fields


class Prior(NamedTuple):
    """An indicator's kept fragment as the results store gives it (state/results.py): its
    text and its files' rows (JSON)."""

    text: str
    files: str


_PATH, _KEY, _DIGEST, _STATUS, _DATE, _START, _END, _MARK = 0, 1, 5, 6, 7, 8, 9, 10
_PART = '{"path": '  # how a file's part begins (report/document.py, file_doc)


def digest(stamp: str) -> str:
    """The stamp's digest: a verdict's text can hold a document's words (kilobytes)."""
    return hashlib.blake2b(stamp.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _date_text(date: DocDate) -> str:
    p = date.period
    return f"{date.source}|{p.start.isoformat()}|{p.end.isoformat()}|{p.kind}"


def _reads(row: Entry, size: int) -> bool:
    """Whether a kept row is as this module writes it: where its part lies in a text of
    `size` characters, and a mark that is one or none."""
    if len(row) != 11:
        return False
    start, end, mark = row[_START], row[_END], row[_MARK]
    spans = type(start) is int and type(end) is int and 0 <= start < end <= size
    return spans and type(mark) is str and len(mark) in (0, MARK)


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
        """`kept`: the indicator's kept fragment text and files' rows (a row that does not
        read as this module writes it is no memo: its files are computed)."""
        self._text = ""
        self._rows: dict[tuple[str, str], Entry] = {}  # (item key, path) -> its kept row
        self._reused: dict[tuple[str, str], tuple[FileResult, Entry]] = {}
        self.reused = 0  # file results taken from the last scan
        if kept is None:
            return
        text, files = kept
        try:
            rows = json.loads(files)
            if all(_reads(row, len(text)) for row in rows):
                self._text = text
                self._rows = {(row[_KEY], row[_PATH]): row for row in rows}
        except (ValueError, TypeError):
            return

    def match(
        self, ind: Indicator, matches: Mapping[str, Sequence[str]], digest_of: Callable[[str], str]
    ) -> set[str]:
        """Take the kept results whose verdicts have not moved (`digest_of`: a file's
        verdict's digest, `digest` of its stamp); the paths still to compute."""
        todo: set[str] = set()
        text = self._text
        for e in ind.evidence:
            for path in matches.get(e.key, ()):
                row = self._rows.get((e.key, path))
                if row is None or row[_DIGEST] != digest_of(path):
                    todo.add(path)
                    continue
                result = self._result(row)
                # A row that does not say where its part lies is no memo.
                if result is None or not (
                    text.startswith(_PART, row[_START]) and text[row[_END] - 1] == "}"
                ):
                    todo.add(path)
                    continue
                self._reused[(e.key, path)] = (result, row)
        self._rows.clear()
        return todo

    @staticmethod
    def _result(row: Entry) -> FileResult | None:
        """A kept file's result as an item's status reads it (its facts: size, time, hash)."""
        if row[_STATUS] not in ITEM_PRECEDENCE:  # a file's own statuses
            return None
        try:
            facts = FileFacts(row[2], row[3] / 1e9, sha256=row[4])
            return FileResult(row[_PATH], _date_of(row[_DATE]), facts, row[_STATUS])
        except (ValueError, TypeError, AttributeError):
            return None

    def judge(self, facts: Mapping[str, FileFacts], year: int, tz: dt.tzinfo) -> FileJudge:
        """Kept results where they hold, else computed from the facts."""
        reused = self._reused

        def judge(item: Evidence, window: Window, paths: Sequence[str]) -> tuple[FileResult, ...]:
            out = []
            for path in paths:
                got = reused.get((item.key, path))
                if got is not None:
                    out.append(got[0])
                    self.reused += 1
                else:
                    out.append(file_result(item, window, path, facts[path], year, tz))
            return tuple(out)

        return judge

    def fragment(self, res: IndicatorResult, digest_of: Callable[[str], str]) -> KeptIndicator:
        """The result as the next scan keeps it: the fragment's text, head and invalid
        files, and the files' rows to keep with it."""
        keys = [(item.evidence.key, f) for item in res.items for f in item.files]
        kept: list[Entry | None] = []  # each file's kept row, where its result is the kept one
        for key, f in keys:
            got = self._reused.get((key, f.path))
            kept.append(got[1] if got is not None and got[0] is f else None)
        built: IndicatorDoc | None = None
        if not self._reused:
            # Nothing kept (a first scan): the fragment built, its file parts encoded once,
            # holding the strings the results hold (decoded, every value is a string of
            # its own: 4 MB more at the first scan's peak on the bench share).
            doc = indicator_doc(res)
            parts = iter([part_text(f) for item in doc["evidence"] for f in item["files"]])
            text, spans, head = indicator_text(res, lambda _: next(parts))
            built = cast(IndicatorDoc, Written(cast(dict[str, Any], doc), text))
        else:
            old = self._text
            parts = iter(
                [
                    file_text(f) if row is None else old[row[_START] : row[_END]]
                    for (_, f), row in zip(keys, kept, strict=True)
                ]
            )
            text, spans, head = indicator_text(res, lambda _: next(parts))
        rows: list[Entry] = []
        invalid: set[str] = set()
        for (key, f), row, (start, end) in zip(keys, kept, spans, strict=True):
            if row is None:
                ff = f.facts
                row = [f.path, key, ff.size, int(ff.mtime * 1e9), ff.sha256, digest_of(f.path)]
                row += [f.status, _date_text(f.date), start, end]
                row.append("" if ff.valid else path_mark(f.path))
            else:  # the kept row, at its new place (this memo is done with it)
                row[_START], row[_END] = start, end
            if row[_MARK]:
                invalid.add(row[_MARK])
            rows.append(row)
        # ASCII: a name with undecodable bytes keeps them escaped (SQLite keeps UTF-8 only).
        files = json.dumps(rows)
        found = tuple(sorted(invalid))
        return KeptIndicator(res.indicator, res.status, head, text, files, found, built)
