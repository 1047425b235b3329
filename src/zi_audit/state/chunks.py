"""Runs of an item's files kept whole with an indicator's fragment: one folder's files,
adjacent in path order, with what the item's status is put together from (FilesPart).

A changed night adds a file to one 40-file folder of a 5,000-file item: its indicator is
computed again, and taking each of the other 4,999 files' results back from its kept row
(state/filememo.py) still cost a row decoded, a result made and a line copied per file
(0.07 s for the bench's 15,000). A run whose paths are where they were in the item's
sorted files, and whose verdicts' digests are the same, is taken as one: its statuses,
its usable documents and its places in the item's slots, its part of the fragment, its
rows and its invalid files' marks, each as one piece. Its own files are never looked at.

Kept as a fourth text beside the fragment's (state/results.py): a first line, the runs'
places as one JSON list (five numbers each: first row, text start and end, rows start
and end; in the fragment's text, its rows' text and, by row, the files' places), then a
line per run, `[item key, paths, digests, statuses, usable, fills, marks]`. A run taken
whole is written again as its line was read: only its places are made anew. Damaged,
they are no memo: every file is taken one by one.
"""

from __future__ import annotations

import datetime as dt
import json
from bisect import bisect_left
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from zi_audit.evaluate.model import MARK, FilesPart, Fill

DIGEST = 32  # characters of a verdict's digest (state/filememo.py, `digest`)
_PART = '{"path": '  # how a file's part begins (report/document.py, file_doc)
_encode = json.JSONEncoder().encode  # ASCII: a name's undecodable bytes kept escaped


class Chunk(NamedTuple):
    """A run as kept: where its pieces lie in the kept texts, and what it holds."""

    key: str  # the evidence item's
    row: int  # its first file's row (rows and places are kept in the same order)
    text: tuple[int, int]  # its files' parts in the fragment's text
    lines: tuple[int, int]  # its files' rows in the rows' text
    part: FilesPart
    digests: str  # its files' verdicts' digests, one after the other
    marks: str  # its invalid files' marks, one after the other
    line: str = ""  # its line as read (a run made this scan has none yet)


def encode(chunks: Sequence[Chunk]) -> str:
    places: list[int] = []
    lines: list[str] = []
    for c in chunks:
        places += (c.row, *c.text, *c.lines)
        lines.append(c.line or _line(c))
    return "\n".join([_encode(places), *lines])


def _line(c: Chunk) -> str:
    p = c.part
    fills = [
        [[[list(paths), list(marks)] for paths, marks in slots], _waiting(waiting)]
        for slots, waiting in p.fills
    ]
    content = [c.key, list(p.paths), c.digests, sorted(p.statuses), list(p.usable), fills]
    return _encode([*content, c.marks])


def _waiting(waiting: Sequence[tuple[str, dt.date, str]]) -> list[list[str]]:
    return [[path, day.isoformat(), status] for path, day, status in waiting]


def decode(text: str, sizes: tuple[int, int]) -> dict[str, list[Chunk]]:
    """The runs by item key, in path order (`sizes`: of the fragment's text and of the
    rows' text). Raises ValueError, TypeError, IndexError or KeyError where they do not
    read as `encode` writes them."""
    out: dict[str, list[Chunk]] = {}
    head, _, rest = text.partition("\n")
    places = json.loads(head)
    lines = rest.split("\n") if rest else []
    entries = json.loads("[" + ",".join(lines) + "]")
    if not (isinstance(places, list) and len(places) == 5 * len(entries) == 5 * len(lines)):
        raise ValueError("the runs' places are not theirs")
    if places and set(map(type, places)) != {int}:
        raise TypeError("a run's places are not numbers")
    at = iter(places)
    for entry, line, row, t0, t1, f0, f1 in zip(entries, lines, at, at, at, at, at, strict=False):
        key, paths, digests, statuses, usable, fills, marks = entry
        if not (row >= 0 and 0 <= t0 < t1 <= sizes[0] and 0 <= f0 < f1 <= sizes[1]):
            raise ValueError("a run's places are not places")
        if not paths or not (isinstance(digests, str) and len(digests) == DIGEST * len(paths)):
            raise ValueError("a run's digests are not its files'")
        if not (isinstance(marks, str) and len(marks) % MARK == 0):
            raise ValueError("a run's marks are not marks")
        if not all(isinstance(x, str) for x in (key, *paths, *statuses, *usable)):
            raise TypeError("a run's names are not text")
        part = FilesPart(tuple(paths), frozenset(statuses), tuple(usable), _fills(fills))
        run = Chunk(key, row, (t0, t1), (f0, f1), part, digests, marks, line)
        out.setdefault(key, []).append(run)
    return out


def _fills(fills: list[Any]) -> tuple[Fill, ...]:
    out: list[Fill] = []
    for slots, waiting in fills:
        slot_lists = tuple((tuple(paths), tuple(marks)) for paths, marks in slots)
        if any(len(paths) != len(marks) for paths, marks in slot_lists):
            raise ValueError("a slot's files and marks disagree")
        later = tuple((str(p), dt.date.fromisoformat(day), str(s)) for p, day, s in waiting)
        out.append((slot_lists, later))
    return tuple(out)


def taken(
    chunks: Sequence[Chunk],
    paths: Sequence[str],
    known: Mapping[str, str],
    digest_of: Callable[[str], str],
    text: str,
) -> list[tuple[int, Chunk]]:
    """The runs that hold, each with the place of its first file in `paths` (the item's
    files, sorted): its paths there, one after the other, their verdicts' digests the
    same, its part in the kept text where it says (`text`). Compared a run at a time
    (`known`: digests made already; `digest_of` makes the rest)."""
    out: list[tuple[int, Chunk]] = []
    for c in chunks:
        run = c.part.paths
        at = bisect_left(paths, run[0])
        if tuple(paths[at : at + len(run)]) != run:
            continue
        try:
            now = "".join(map(known.__getitem__, run))
        except KeyError:
            now = "".join(map(digest_of, run))
        t0, t1 = c.text
        if now == c.digests and text.startswith(_PART, t0) and text[t1 - 1] == "}":
            out.append((at, c))
    return out
