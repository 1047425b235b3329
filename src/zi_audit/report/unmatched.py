"""Unmatched files in a report: the first thousand (likely homes first) and their folders.

A 100,000-file share has some 82,000 files that are not evidence; carrying every name in
each night's report cost as much as walking the share (docs/json-report.md). The full
list goes to STATE/unmatched.txt, and into the report with `--all`.
"""

from __future__ import annotations

import collections
import itertools
from collections.abc import Collection, Iterable, Iterator, Sequence

from zi_audit.core.schema import FolderCountDoc
from zi_audit.evaluate.model import FolderPaths, Report
from zi_audit.util.textnorm import display
from zi_audit.walk.record import joined

UNMATCHED_KEPT = 1_000  # unmatched paths a report carries: 82,000 cost more than the scan
FOLDERS_KEPT = 200


def kept_unmatched(report: Report, every: bool) -> list[str]:
    if every or len(report.unmatched) <= UNMATCHED_KEPT:
        return [display(p) for p in report.unmatched]
    hints = report.suggestions
    homes = list(itertools.islice(_among(report.unmatched, hints), UNMATCHED_KEPT))
    rest = (p for p in report.unmatched if p not in hints)  # read only as far as needed
    kept = homes + list(itertools.islice(rest, UNMATCHED_KEPT - len(homes)))
    return [display(p) for p in kept]


def _among(paths: Sequence[str], wanted: Collection[str]) -> Iterator[str]:
    """The paths that are in `wanted`, in their order. Of a walk's paths only the folders
    `wanted` names are read: joining each of 82,000 names to its folder to find the few
    hundred with a likely home cost a changed night 0.02 s."""
    if not wanted:
        return iter(())
    if not isinstance(paths, FolderPaths):
        return (p for p in paths if p in wanted)
    # "": the root's files, and paths added whole (their own folders in their names).
    folders = {""} | {f"{p.rpartition('/')[0]}/" for p in wanted if "/" in p}
    return (
        prefix + name
        for prefix, names in paths.parts()
        if prefix in folders
        for name in names
        if prefix + name in wanted
    )


def unmatched_folders(paths: Sequence[str]) -> list[FolderCountDoc]:
    if isinstance(paths, FolderPaths):
        counts = paths.folders()  # the walk's folders: nothing to join or split
    else:
        counts = collections.Counter(p.rpartition("/")[0] for p in paths)
    return [
        {"folder": display(folder), "files": n} for folder, n in counts.most_common(FOLDERS_KEPT)
    ]


def unmatched_lines(paths: Iterable[str], batch: int = 4096) -> Iterator[str]:
    """Every unmatched path, one a line, in pieces of a few thousand lines (STATE/
    unmatched.txt): one string of 82,000 held 30 MB at once, the peak of a whole rescan.
    A folder whose names are all plain is joined whole; only one holding a name to escape
    (a newline, a control character, bytes that are not UTF-8) goes name by name."""
    blocks = (
        _folder_blocks(paths)
        if isinstance(paths, FolderPaths)
        else ((display(p), 1) for p in paths)
    )
    chunk: list[str] = []
    size = 0
    for block, lines in blocks:
        chunk.append(block)
        size += lines
        if size >= batch:
            yield "\n".join(chunk) + "\n"
            chunk, size = [], 0
    if chunk:
        yield "\n".join(chunk) + "\n"


def _folder_blocks(paths: FolderPaths) -> Iterator[tuple[str, int]]:
    """Each folder's lines as one text, and how many they are."""
    for prefix, names in paths.parts():
        whole = prefix + joined(names, "")
        if whole.isascii() and whole.isprintable():
            yield prefix + joined(names, "\n" + prefix), len(names)
        else:
            yield "\n".join(display(prefix + name) for name in names), len(names)
