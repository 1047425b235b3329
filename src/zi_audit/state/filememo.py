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
digest, the status, the date (`source|start|end|kind`), and where its part lies in the
fragment's text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from zi_audit.core.facts import FileFacts
from zi_audit.evaluate.files import FileJudge, file_result
from zi_audit.evaluate.model import DocDate, FileResult, IndicatorResult
from zi_audit.report.fragment import file_text, indicator_text
from zi_audit.rules.model import Evidence, Indicator
from zi_audit.rules.periods import Period, Window

Entry = list[Any]  # one file's row, as the module's docstring lists its fields
_PATH, _KEY, _DIGEST, _STATUS, _DATE, _START, _END = 0, 1, 5, 6, 7, 8, 9
_PART = '{"path": '  # how a file's part begins (report/document.py, file_doc)


def digest(stamp: str) -> str:
    """The stamp's digest: a verdict's text can hold a document's words (kilobytes)."""
    return hashlib.blake2b(stamp.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _date_text(date: DocDate) -> str:
    p = date.period
    return f"{date.source}|{p.start.isoformat()}|{p.end.isoformat()}|{p.kind}"


class FileMemo:
    """The kept file results of the indicators a scan computes again (`add` each one's
    kept row), the ones that still hold (`match`), and the rows to keep for the next."""

    def __init__(self) -> None:
        self._prior: dict[tuple[str, str], tuple[Entry, str]] = {}  # (key, path) -> row, text
        self._reused: dict[tuple[str, str], tuple[FileResult, str, Entry]] = {}
        self._dates: dict[str, DocDate] = {}  # one DocDate per date text: most files share
        self.reused = 0  # file results taken from the last scan by this scan

    def add(self, doc_text: str, files_text: str) -> None:
        """An indicator's kept row: its fragment's text and its files (a row that does not
        read as this module writes it is no memo: its files are computed)."""
        try:
            rows = json.loads(files_text)
            for row in rows:
                if len(row) != 10 or not row[_END] <= len(doc_text):
                    return
            for row in rows:
                self._prior[(row[_KEY], row[_PATH])] = (row, doc_text)
        except (ValueError, TypeError, IndexError):
            return

    def match(
        self,
        indicators: Iterable[Indicator],
        matches: Mapping[str, Sequence[str]],
        stamp: Callable[[str], str],
    ) -> set[str]:
        """Take the kept results whose verdicts have not moved; the paths still to compute."""
        todo: set[str] = set()
        for ind in indicators:
            for e in ind.evidence:
                for path in matches.get(e.key, ()):
                    got = self._prior.get((e.key, path))
                    if got is None or got[0][_DIGEST] != digest(stamp(path)):
                        todo.add(path)
                        continue
                    row, text = got
                    piece = text[row[_START] : row[_END]]
                    result = self._result(row)
                    if result is None or not (piece.startswith(_PART) and piece[-1:] == "}"):
                        todo.add(path)  # a row that does not say where its part lies
                        continue
                    self._reused[(e.key, path)] = (result, piece, row)
        self._prior.clear()
        return todo

    def _result(self, row: Entry) -> FileResult | None:
        """A kept file's result as an item's status reads it (its facts: size, time, hash)."""
        try:
            date = self._dates.get(row[_DATE])
            if date is None:
                source, start, end, kind = row[_DATE].split("|")
                period = Period(dt.date.fromisoformat(start), dt.date.fromisoformat(end), kind)
                date = self._dates[row[_DATE]] = DocDate(period, source)
            facts = FileFacts(row[2], row[3] / 1e9, sha256=row[4])
            return FileResult(row[_PATH], date, facts, row[_STATUS])
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

    def text(self, res: IndicatorResult, stamp: Callable[[str], str]) -> tuple[str, str]:
        """The fragment's text and the files' rows to keep with it."""
        keys = [(item.evidence.key, f) for item in res.items for f in item.files]
        kept = []  # each file's kept result, where this one is it
        for key, f in keys:
            got = self._reused.get((key, f.path))
            kept.append(got if got is not None and got[0] is f else None)
        pieces = iter(
            [
                file_text(f) if got is None else got[1]
                for (_, f), got in zip(keys, kept, strict=True)
            ]
        )
        text, spans = indicator_text(res, lambda _: next(pieces))
        rows = []
        for (key, f), got, (start, end) in zip(keys, kept, spans, strict=True):
            if got is not None:
                row = [*got[2]]
                row[_START], row[_END] = start, end
            else:
                ff = f.facts
                row = [f.path, key, ff.size, int(ff.mtime * 1e9), ff.sha256, digest(stamp(f.path))]
                row += [f.status, _date_text(f.date), start, end]
            rows.append(row)
        # ASCII: a name with undecodable bytes keeps them escaped (SQLite keeps UTF-8 only).
        return text, json.dumps(rows)
