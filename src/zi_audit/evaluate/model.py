"""The data that flows between the stages: facts about files in, results out.

Immutable records (NamedTuples, quick to define at import and to make: CONTRIBUTING.md)
so that evaluation stays a pure function; the report document (report/document.py) is
built from a `Report` once per scan.
"""

from __future__ import annotations

import collections
import datetime as dt
import functools
import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, overload

from zi_audit.core.facts import FileFacts
from zi_audit.core.problems import WalkProblem
from zi_audit.core.schema import IndicatorDoc, read_written
from zi_audit.rules.model import Evidence, Indicator, RuleSet
from zi_audit.rules.periods import Period, Window


class DocDate(NamedTuple):
    period: Period
    source: str  # text | filename | folder | content | mtime

    @property
    def day(self) -> dt.date:
        return self.period.start


class FileResult(NamedTuple):  # a tuple: one per file an indicator holds, built fast
    path: str
    date: DocDate
    facts: FileFacts
    status: str  # present | late | outdated | invalid
    # What its words say against it for this item (`words_missing:…`, `other_year:…`)
    why: tuple[str, ...] = ()


class SlotResult(NamedTuple):
    period: Period
    status: str
    files: tuple[str, ...]


# Where the files of a run fall in one way of dividing an item's window into slots
# (evaluate/statuses.py): per slot, its files' paths and their standing there (present,
# late, invalid); then the files dated between or after the slots, as (path, day, status),
# placed once all are in.
Fill = tuple[tuple[tuple[Sequence[str], Sequence[str]], ...], tuple[tuple[str, dt.date, str], ...]]


class FilesPart(NamedTuple):
    """A run of an item's files (one folder's, adjacent in path order) taken whole from the
    last scan: what the item's status is put together from, without a result per file.
    A changed night touches one folder of a 5,000-file item; its other folders' files
    are these, neither read nor judged again (state/chunks.py)."""

    paths: tuple[str, ...]
    statuses: frozenset[str]  # its files' own statuses
    usable: tuple[str, ...]  # content hashes (else paths) of its present or late files
    fills: tuple[Fill, ...]  # per way of dividing the window, in evaluate_item's order


class ItemResult(NamedTuple):
    evidence: Evidence
    window: Window
    status: str
    files: tuple[FileResult, ...]
    slots: tuple[SlotResult, ...] | None
    deadline: dt.date
    folder: str  # where the team should look / file it, root-relative
    have: int = 0  # distinct usable documents (by content), for items that need several
    # Files taken as whole runs (state/kept.py only): (how many of `files` come before
    # it, the run). A result with parts is written by state/filememo.py, never rendered.
    parts: tuple[tuple[int, FilesPart], ...] = ()


class IndicatorResult(NamedTuple):
    indicator: Indicator
    status: str
    items: tuple[ItemResult, ...]


class KeptFile(NamedTuple):
    """A matched file of an indicator, as the history records it."""

    path: str
    key: str  # the evidence item it serves
    size: int
    mtime_ns: int
    sha256: str | None


@dataclass(frozen=True)
class KeptIndicator:
    """An indicator's result kept from an earlier scan because nothing it was computed from
    has moved (state/results.py): its report fragment as written then, and its files for
    the history. Scan and the nightly run get these; watch and explain get full results.

    The fragment is held as its text and its head (the fragment with its items' file
    lists left empty): a run that writes JSON only puts the text in as it is, and counts
    its figures from the heads and `invalid`; decoding the 87 fragments of a 100,000-file
    share (8.5 MB) cost a changed night 0.09 s and most of its memory. `doc` decodes the
    whole fragment, for a run that renders or records its files."""

    indicator: Indicator
    status: str
    head: IndicatorDoc  # without the keys a run adds from the configuration (`pic`)
    text: str  # the whole fragment as the JSON report writes it
    # Its files, a JSON list a line, each beginning with KeptFile's fields: read by the
    # history only (a nightly run that records it), so kept as the store's text, not as
    # 18,000 objects (state/filememo.py); None: not read (a run that records no history).
    files: str | None
    invalid: tuple[str, ...]  # its invalid files, as `path_mark`s
    # The whole fragment, where the run that computed it built it already (a first scan).
    built: IndicatorDoc | None = field(default=None, compare=False, repr=False)

    @functools.cached_property
    def doc(self) -> IndicatorDoc:
        """The whole fragment (decoded when first asked for), as `Written`: written as kept."""
        return self.built if self.built is not None else read_written(self.text)


Outcome = IndicatorResult | KeptIndicator

MARK = 16  # characters of a `path_mark`


def path_mark(path: str) -> str:
    """A file's path as 16 hex digits: what the summary counts invalid files by (a file
    serving two indicators counts once). Kept for every invalid file of every kept
    fragment (on the bench share all 21,000 are invalid): the paths themselves were 4 MB
    written and read each night."""
    return hashlib.blake2b(path.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def kept_files(res: IndicatorResult) -> tuple[KeptFile, ...]:
    """An indicator's files as the history records them."""
    return tuple(
        KeptFile(f.path, item.evidence.key, f.facts.size, int(f.facts.mtime * 1e9), f.facts.sha256)
        for item in res.items
        for f in item.files
    )


def kept_rows(files: str) -> list[list[Any]]:
    """The rows of a kept indicator's `files`, one JSON list a line (ValueError if they do
    not read as such)."""
    rows: list[list[Any]] = json.loads("[" + files.replace("\n", ",") + "]")  # a list, always
    return rows


def evidence_files(indicators: Sequence[Outcome]) -> Iterator[KeptFile]:
    for res in indicators:
        if isinstance(res, KeptIndicator):
            if res.files is None:
                raise ValueError(f"{res.indicator.id}: its kept files were not read")
            yield from (KeptFile(*f[:5]) for f in kept_rows(res.files))
        else:
            yield from kept_files(res)


class FolderPaths(Sequence[str]):
    """Root-relative paths kept as (folder prefix, its names): on a share of 100,000 files
    82,000 match nothing, and one joined string each cost 17 MB; the names are the folder
    listing's own, so a folder's unmatched files cost one reference. Joined when read."""

    def __init__(self) -> None:
        self._parts: list[tuple[str, Sequence[str]]] = []
        self._len = 0

    def add(self, prefix: str, names: Sequence[str]) -> None:
        if names:
            self._parts.append((prefix, names))
            self._len += len(names)

    def __len__(self) -> int:
        return self._len

    def folders(self) -> collections.Counter[str]:
        """How many paths each folder holds, counted without joining one."""
        counts: collections.Counter[str] = collections.Counter()
        for prefix, names in self._parts:
            if prefix:
                counts[prefix[:-1]] += len(names)
            else:  # paths added whole: their own folders
                counts.update(name.rpartition("/")[0] for name in names)
        return counts

    def __iter__(self) -> Iterator[str]:
        for prefix, names in self._parts:
            for name in names:
                yield prefix + name

    def parts(self) -> Iterator[tuple[str, Sequence[str]]]:
        """(folder prefix, names) as added: for a reader that looks at names before paths."""
        return iter(self._parts)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        return list(self)[index]  # rare (tests); iteration is the way to read them

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Report:
    """One scan, assembled by the pipeline: the evaluation's results and what the walk saw."""

    rules: RuleSet
    root: str
    as_of: dt.date
    indicators: tuple[Outcome, ...]
    unmatched: Sequence[str] = ()
    problems: tuple[WalkProblem, ...] = ()
    files_seen: int = 0
    stats: Mapping[str, int] = field(default_factory=dict)
    # unmatched path -> (indicator, item key, score) of the likeliest home
    suggestions: Mapping[str, tuple[str, str, float]] = field(default_factory=dict)

    def results(self) -> tuple[IndicatorResult, ...]:
        """Every indicator's full result, for the callers that read files' facts (watch).
        Their pipelines never keep results, so a kept one here is a mistake of ours."""
        out = tuple(r for r in self.indicators if isinstance(r, IndicatorResult))
        if len(out) != len(self.indicators):
            raise TypeError("this report kept results from an earlier scan; it has no facts")
        return out
