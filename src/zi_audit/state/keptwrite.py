"""An indicator computed again, written for the next scan: its fragment's text, its files'
rows, their parts' places and its runs (state/filememo.py, state/chunks.py).

Each file's or run's kept text is put in as it was read, the rest encoded: a run taken
whole costs a slice of each text and its places moved, not a row per file.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple, cast

from zi_audit.core.schema import IndicatorDoc, Written
from zi_audit.evaluate.model import (
    MARK,
    DocDate,
    FileResult,
    FilesPart,
    IndicatorResult,
    ItemResult,
    KeptIndicator,
    path_mark,
)
from zi_audit.evaluate.statuses import files_part
from zi_audit.report.document import indicator_doc
from zi_audit.report.fragment import file_text, indicator_text, part_text
from zi_audit.state import chunks
from zi_audit.state.chunks import Chunk

_encode = json.JSONEncoder().encode  # ASCII: a name's undecodable bytes kept escaped
# A file's kept result, as reused: its result, its line, its mark, its part's place.
Reused = tuple[FileResult, str, str, int, int]


class Kept(NamedTuple):
    """What the last scan kept of the indicator, as this one took it."""

    text: str  # the fragment's
    files: str  # its files' rows
    spans: list[int]  # where their parts lie, by row
    reused: Mapping[int, Reused]  # by the id of the result taken
    runs: Mapping[int, Chunk]  # by the id of the part taken


def date_text(date: DocDate) -> str:
    p = date.period
    return f"{date.source}|{p.start.isoformat()}|{p.end.isoformat()}|{p.kind}"


def _segments(item: ItemResult) -> list[FileResult | FilesPart]:
    """An item's files and runs in path order."""
    if not item.parts:
        return list(item.files)
    out: list[FileResult | FilesPart] = []
    done = 0
    for at, part in item.parts:
        out += item.files[done:at]
        out.append(part)
        done = at
    out += item.files[done:]
    return out


class FragmentWriter:
    """One indicator's fragment, rows, places and runs written for the next scan."""

    def __init__(self, old: Kept, res: IndicatorResult, digest_of: Callable[[str], str]) -> None:
        self.old, self.res, self.digest_of = old, res, digest_of
        self.segments = [_segments(item) for item in res.items]
        self.runs, self.kept = old.runs, old.reused

    def written(self) -> tuple[KeptIndicator, str, str]:
        res = self.res
        built: IndicatorDoc | None = None
        if not self.kept and not self.runs:
            # Nothing kept (a first scan): the fragment built, its file parts encoded once,
            # holding the strings the results hold (decoded, every value is a string of
            # its own: 4 MB more at the first scan's peak on the bench share).
            doc = indicator_doc(res)
            made = iter([[part_text(f) for f in item["files"]] for item in doc["evidence"]])
            text, spans, head = indicator_text(res, lambda _: next(made))
            built = cast(IndicatorDoc, Written(cast(dict[str, Any], doc), text))
        else:
            old = self.old.text
            parts = iter([[self._text_of(s, old) for s in segs] for segs in self.segments])
            text, spans, head = indicator_text(res, lambda _: next(parts))
        lines, places, runs, invalid = self._rows(spans)
        found = tuple(sorted(invalid))
        result = KeptIndicator(
            res.indicator, res.status, head, text, "\n".join(lines), found, built
        )
        return result, _encode(places), chunks.encode(runs)

    def _text_of(self, seg: FileResult | FilesPart, old: str) -> str:
        if isinstance(seg, FilesPart):
            t0, t1 = self.runs[id(seg)].text
            return old[t0:t1]
        got = self.kept.get(id(seg))
        return file_text(seg) if got is None else old[got[3] : got[4]]

    def _rows(self, spans: list[int]) -> tuple[list[str], list[int], list[Chunk], set[str]]:
        """The rows (a line per file, a run's as one piece), the files' places in `text`
        (`spans`: each file's or run's), the runs by folder and the invalid files' marks."""
        old = self.old
        lines: list[str] = []
        places: list[int] = []
        runs: list[Chunk] = []
        invalid: set[str] = set()
        row = pos = 0
        at = iter(spans)
        for item, segs in zip(self.res.items, self.segments, strict=True):
            group: list[_Piece] = []
            for seg, t0, t1 in zip(segs, at, at, strict=False):  # segs first: ends first
                if isinstance(seg, FilesPart):
                    c = self.runs[id(seg)]
                    block = old.files[c.lines[0] : c.lines[1]]
                    shift = t0 - c.text[0]
                    n = len(seg.paths)
                    places += [x + shift for x in old.spans[2 * c.row : 2 * (c.row + n)]]
                    digests, marks = c.digests, c.marks
                    invalid.update(marks[m : m + MARK] for m in range(0, len(marks), MARK))
                else:
                    block, marks = self._line(seg, item.evidence.key)
                    places += (t0, t1)
                    n, digests = 1, self.digest_of(seg.path)
                    if marks:
                        invalid.add(marks)
                if group and _folder(group[0].seg) != _folder(seg):
                    runs.append(_run(item, group, self.runs))
                    group = []
                group.append(_Piece(seg, row, t0, t1, pos, pos + len(block), digests, marks))
                lines.append(block)
                row += n
                pos += len(block) + 1
            if group:
                runs.append(_run(item, group, self.runs))
        return lines, places, runs, invalid

    def _line(self, f: FileResult, key: str) -> tuple[str, str]:
        """A file's row (as kept, or encoded) and its mark."""
        got = self.kept.get(id(f))
        if got is not None:
            return got[1], got[2]
        ff = f.facts
        mark = "" if ff.valid else path_mark(f.path)
        row = [f.path, key, ff.size, int(ff.mtime * 1e9), ff.sha256, self.digest_of(f.path)]
        return _encode([*row, f.status, date_text(f.date), mark]), mark


def _folder(seg: FileResult | FilesPart) -> str:
    return (seg.paths[0] if isinstance(seg, FilesPart) else seg.path).rpartition("/")[0]


class _Piece(NamedTuple):
    """A file or run as written: its first row, its places in the fragment's and the
    rows' texts, its digests and marks."""

    seg: FileResult | FilesPart
    row: int
    t0: int
    t1: int
    f0: int
    f1: int
    digests: str
    marks: str


def _run(item: ItemResult, group: list[_Piece], taken: Mapping[int, Chunk]) -> Chunk:
    """A run of one folder's files and runs, as the next scan may take it whole (a run
    taken whole and alone: as it was, its line too; `taken`: by its part's id)."""
    first, last = group[0], group[-1]
    only = first.seg if len(group) == 1 else None
    if isinstance(only, FilesPart):
        part, line = only, taken[id(only)].line
    else:
        part, line = files_part(item.evidence, item.window, [g.seg for g in group]), ""
    return Chunk(
        item.evidence.key,
        first.row,
        (first.t0, last.t1),
        (first.f0, last.f1),
        part,
        "".join(g.digests for g in group),
        "".join(g.marks for g in group),
        line,
    )
