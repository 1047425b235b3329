"""What the walk learnt of one folder, and when that may stand for listing it again.

state/listing.py keeps these between scans; the walker takes a folder from there only when
`FolderRecord.trusted` says its entries cannot have changed (docs/state.md).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

# A folder listed within this long of its modification time is listed again next time: on
# a file system with coarse times (FAT's 2 s) a change in the same tick leaves the time.
RACY_NS = 2_000_000_000


@dataclass
class FolderRecord:
    """One folder as the last scan saw it."""

    ino: int
    mtime_ns: int
    ctime_ns: int
    listed_ns: int  # this machine's clock just before the folder was listed
    subdirs: list[str]  # names, sorted, ignored folders left out
    files: list[str]  # names, sorted, clutter and ignored files left out
    hits: dict[str, list[int]] = field(default_factory=dict)  # name -> matched item numbers
    conflicts: dict[str, str] = field(default_factory=dict)  # name -> "id in name → folder's"
    links: bool = False  # held symbolic links: never taken on trust
    # Where the layout places the folder (component, area, indicator id, then the ids its
    # name matched equally well), the matcher's to fill: a folder taken from the memo is
    # placed from here, its state never worked out again (match/matcher.py).
    place: tuple[str, ...] | None = None

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
