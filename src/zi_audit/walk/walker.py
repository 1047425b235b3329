"""Listing the evidence tree: fast on big shares, calm when the share misbehaves.

`os.scandir` gives each entry's type without a `stat` on local disks, SMB and NFS,
so the walk itself costs about what `find` costs; files are stat-ed later and only
when they match evidence. With the last scan's memo (state/listing.py), a folder
that has not changed is not even listed: one `stat` of the folder stands for it.
Symlinked folders are never followed (a link inside the root is scanned under its
real path anyway; one outside leads off the share or round a loop). Folders that cannot be read and entries that vanish mid-walk are
reported and skipped. Nothing is ever written.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from zi_audit.core.problems import WalkProblem
from zi_audit.walk.ignore import IgnoreRules, is_clutter_file
from zi_audit.walk.record import FolderRecord


class Folder(NamedTuple):
    rel: str
    path: str
    # names, subfolders and identity; `hits` and `conflicts` are the matcher's to fill
    record: FolderRecord
    listed: bool  # False: taken from the last scan's memo, not listed (state/listing.py)

    @property
    def files(self) -> Sequence[str]:
        return self.record.files


class Walker:
    """`memo`: the last scan's folders (state/listing.py). A folder whose identity and time
    are as recorded is not listed again; `relist` names folders to list regardless (those
    watch saw an event in). Without a memo nothing is stat-ed but what matches."""

    def __init__(
        self,
        root: Path,
        ignore: IgnoreRules | None = None,
        memo: dict[str, FolderRecord] | None = None,
        relist: frozenset[str] = frozenset(),
    ) -> None:
        self.root = root
        self.real_root = os.path.realpath(root)
        self.ignore = ignore or IgnoreRules()
        self.memo, self.relist = memo, relist
        self.problems: list[WalkProblem] = []
        self.files_seen = 0
        self.folders_seen = 0
        self.folders_listed = 0

    def _inside(self, target: str) -> bool:
        return target == self.real_root or target.startswith(self.real_root.rstrip(os.sep) + os.sep)

    def walk(self) -> Iterator[Folder]:
        """Folders in depth-first order, each with its candidate files (clutter and ignores removed)."""
        stack: list[str] = [""]
        top = str(self.root)
        base = os.path.join(top, "")  # joined once: 3,000 folders a night
        while stack:
            rel = stack.pop()
            path = base + rel if rel else top
            prefix = f"{rel}/" if rel else ""
            st: os.stat_result | None = None
            if self.memo is not None:
                try:  # the root may be a link to the share; below it, links are not followed
                    st = os.stat(path) if not rel else os.lstat(path)
                except OSError:
                    st = None
                known = self.memo.get(rel)
                trusted = known is not None and st is not None and known.trusted(st)
                if trusted and known is not None and rel not in self.relist:
                    self.folders_seen += 1
                    self.files_seen += len(known.files)
                    stack.extend(prefix + d for d in reversed(known.subdirs))
                    yield Folder(rel, path, known, listed=False)
                    continue
            record = self._list(rel, path, st)
            if record is not None:
                stack.extend(prefix + d for d in reversed(record.subdirs))
                yield Folder(rel, path, record, listed=True)

    def _list(self, rel: str, path: str, st: os.stat_result | None) -> FolderRecord | None:
        """List one folder: its subfolders and candidate files, or a problem and None."""
        listed_ns = time.time_ns()
        try:
            with os.scandir(path) as it:
                entries = list(it)
        except (FileNotFoundError, NotADirectoryError):
            self.problems.append(WalkProblem(rel, "vanished"))
            return None
        except OSError as exc:
            self.problems.append(WalkProblem(rel, "unreadable", exc.strerror or str(exc)))
            return None
        self.folders_seen += 1
        self.folders_listed += 1
        prefix = f"{rel}/" if rel else ""
        files: list[str] = []
        subdirs: list[str] = []
        links = False
        spec = self.ignore.spec  # paths are only built when an ignore file needs them
        for entry in entries:
            name = entry.name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
                is_link = not is_dir and entry.is_symlink()
            except OSError:
                self.problems.append(WalkProblem(prefix + name, "vanished"))
                links = True  # not a listing to keep
                continue
            if is_dir:
                if not self.ignore.skip_dir(prefix + name, name):
                    subdirs.append(name)
            elif is_link:
                links = True
                if self._link(entry, prefix + name):
                    files.append(name)
            elif not is_clutter_file(name) and (spec is None or not spec.match_file(prefix + name)):
                files.append(name)
        self.files_seen += len(files)
        subdirs.sort()
        files.sort()
        ident = (st.st_ino, st.st_mtime_ns, st.st_ctime_ns) if st is not None else (0, 0, 0)
        return FolderRecord(*ident, listed_ns, subdirs, files, links=links)

    def _link(self, entry: os.DirEntry[str], rel: str) -> bool:
        """Whether a symbolic link counts as a file of the share; the problem if not."""
        target = os.path.realpath(entry.path)
        if not self._inside(target):
            self.problems.append(WalkProblem(rel, "link_outside"))
            return False
        try:
            is_dir = entry.is_dir(follow_symlinks=True)
            exists = is_dir or entry.is_file(follow_symlinks=True)
        except OSError:
            exists = is_dir = False
        if not exists:
            there = os.path.lexists(target)  # a pipe, a socket or a device: not a document
            self.problems.append(WalkProblem(rel, "link_special" if there else "link_broken"))
        elif is_dir:
            self.problems.append(WalkProblem(rel, "link_folder"))
        else:
            return not self.ignore.skip_file(rel, entry.name)
        return False
