"""What the walk learnt of one folder, and when that may stand for listing it again.

state/listing.py keeps these between scans; the walker takes a folder from there only when
`FolderRecord.trusted` says its entries cannot have changed (docs/state.md).
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import overload

# A folder listed within this long of its modification time is listed again next time: on
# a file system with coarse times (FAT's 2 s) a change in the same tick leaves the time.
RACY_NS = 2_000_000_000
SEP = "\0"  # between names in a block: the one character no file name can hold


class Names(Sequence[str]):
    """A folder's names as the folder memo keeps them: one text, NUL between names, split
    only when a name is asked for. A changed night takes 3,000 folders of the 100,000-file
    share from the memo and reads the names of the few it lists again and of the first
    folders the report shows; splitting all 100,000 names cost it 15 ms and 8 MB.
    `extra`: names kept apart (a folder's matched names, the memo's hits), merged in sorted
    order with the block's when split, as the walk sorts a folder's names."""

    __slots__ = ("_count", "_names", "block", "extra")

    def __init__(self, block: str, extra: Collection[str] = ()) -> None:
        self.block, self.extra = block, extra
        self._count = (block.count(SEP) + 1 if block else 0) + len(extra)
        self._names: list[str] | None = None

    def _made(self) -> list[str]:
        names = self.block.split(SEP) if self.block else []
        return sorted([*names, *self.extra]) if self.extra else names

    def _split(self) -> list[str]:
        if self._names is None:
            self._names = self._made()
        return self._names

    @property
    def split(self) -> bool:
        """Whether its names are held one by one (asked for by index or membership)."""
        return self._names is not None

    def joined(self, sep: str) -> str:
        """`sep.join(self)`, made from the block without a string per name."""
        if self.extra:
            return sep.join(self._split())
        return self.block.replace(SEP, sep)

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[str]:
        # Made for each reading, not kept: a night's readers (the suggestions, the first
        # thousand for the report) each pass once, and names kept would be the 8 MB.
        return iter(self._names if self._names is not None else self._made())

    def __contains__(self, name: object) -> bool:
        return name in self._split()

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        return self._split()[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Names({list(self)!r})"


def joined(names: Sequence[str], sep: str) -> str:
    """`sep.join(names)`; a memo's block (Names) is joined without being split."""
    return names.joined(sep) if isinstance(names, Names) else sep.join(names)


@dataclass
class FolderRecord:
    """One folder as the last scan saw it."""

    ino: int
    mtime_ns: int
    ctime_ns: int
    listed_ns: int  # this machine's clock just before the folder was listed
    subdirs: list[str]  # names, sorted, ignored folders left out
    files: Sequence[str]  # names, sorted, clutter and ignored files left out (Names, from the memo)
    hits: dict[str, list[int]] = field(default_factory=dict)  # name -> matched item numbers
    conflicts: dict[str, str] = field(default_factory=dict)  # name -> "id in name → folder's"
    links: bool = False  # held symbolic links: never taken on trust
    # Where the layout places the folder (component, area, indicator id, then the ids its
    # name matched equally well), the matcher's to fill: a folder taken from the memo is
    # placed from here, its state never worked out again (match/matcher.py).
    place: tuple[str, ...] | None = None
    # The names that match nothing (`files` less `hits`), made once (`unmatched`); the memo
    # keeps them as a block, and a folder taken from it hands that block on unsplit.
    rest: Sequence[str] | None = field(default=None, compare=False, repr=False)

    def unmatched(self) -> Sequence[str]:
        """The names that match nothing, in the folder's order (asked for once its hits are
        filled: the matcher's, or the memo's)."""
        if self.rest is None:
            hits = self.hits
            self.rest = [n for n in self.files if n not in hits] if hits else self.files
        return self.rest

    def trusted(self, st: os.stat_result) -> bool:
        return (
            not self.links
            and st.st_ino == self.ino
            and st.st_mtime_ns == self.mtime_ns
            and st.st_ctime_ns == self.ctime_ns
            and not self.racy()
        )

    def racy(self) -> bool:
        return self.mtime_ns >= self.listed_ns - RACY_NS

    def same_as(self, other: FolderRecord | None) -> bool:
        """Nothing in this record the memo lacks: no row to rewrite. A racy row is always
        rewritten, so that its later listing time lets the next scan trust it."""
        return (
            other is not None
            and not other.racy()
            and (self.ino, self.mtime_ns, self.ctime_ns, self.links)
            == (other.ino, other.mtime_ns, other.ctime_ns, other.links)
            and self.files == other.files
            and self.subdirs == other.subdirs
        )
