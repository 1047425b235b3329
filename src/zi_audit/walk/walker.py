"""Listing the evidence tree: fast on big shares, calm when the share misbehaves.

`os.scandir` gives each entry's type without a `stat` on local disks, SMB and NFS,
so the walk itself costs about what `find` costs; files are stat-ed later and only
when they match evidence. Symlinked folders are never followed (a link inside the
root is scanned under its real path anyway; one outside leads off the share or
round a loop). Folders that cannot be read and entries that vanish mid-walk are
reported and skipped. Nothing is ever written.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from zi_audit.walk.ignore import IgnoreRules, is_clutter_file


@dataclass(frozen=True)
class WalkProblem:
    """Something under the root we could not list; shown in reports, never fatal."""

    path: str  # root-relative, `/`-separated, raw (may hold surrogate escapes)
    code: str  # unreadable | vanished | link_outside | link_folder | link_broken
    detail: str = ""


@dataclass(frozen=True)
class Folder:
    rel: str
    files: list[os.DirEntry[str]]


class Walker:
    def __init__(self, root: Path, ignore: IgnoreRules | None = None) -> None:
        self.root = root
        self.real_root = os.path.realpath(root)
        self.ignore = ignore or IgnoreRules()
        self.problems: list[WalkProblem] = []
        self.files_seen = 0
        self.folders_seen = 0

    def _inside(self, target: str) -> bool:
        return target == self.real_root or target.startswith(self.real_root.rstrip(os.sep) + os.sep)

    def walk(self) -> Iterator[Folder]:
        """Folders in depth-first order, each with its candidate files (clutter and ignores removed)."""
        stack: list[str] = [""]
        while stack:
            rel = stack.pop()
            path = os.path.join(self.root, rel) if rel else str(self.root)
            files: list[os.DirEntry[str]] = []
            subdirs: list[str] = []
            try:
                with os.scandir(path) as it:
                    entries = list(it)
            except FileNotFoundError:
                self.problems.append(WalkProblem(rel, "vanished"))
                continue
            except NotADirectoryError:
                self.problems.append(WalkProblem(rel, "vanished"))
                continue
            except OSError as exc:
                self.problems.append(WalkProblem(rel, "unreadable", exc.strerror or str(exc)))
                continue
            self.folders_seen += 1
            prefix = f"{rel}/" if rel else ""
            spec = self.ignore.spec  # paths are only built when an ignore file needs them
            for entry in entries:
                name = entry.name
                try:
                    is_dir = entry.is_dir(follow_symlinks=False)
                    is_link = not is_dir and entry.is_symlink()
                except OSError:
                    self.problems.append(WalkProblem(prefix + name, "vanished"))
                    continue
                if is_dir:
                    if not self.ignore.skip_dir(prefix + name, name):
                        subdirs.append(prefix + name)
                elif is_link:
                    self._link(entry, prefix + name, files)
                elif not is_clutter_file(name) and (
                    spec is None or not spec.match_file(prefix + name)
                ):
                    files.append(entry)
            self.files_seen += len(files)
            subdirs.sort(reverse=True)
            stack.extend(subdirs)
            yield Folder(rel, sorted(files, key=lambda e: e.name))

    def _link(self, entry: os.DirEntry[str], rel: str, files: list[os.DirEntry[str]]) -> None:
        target = os.path.realpath(entry.path)
        if not self._inside(target):
            self.problems.append(WalkProblem(rel, "link_outside"))
            return
        try:
            is_dir = entry.is_dir(follow_symlinks=True)
            exists = is_dir or entry.is_file(follow_symlinks=True)
        except OSError:
            exists = is_dir = False
        if not exists:
            self.problems.append(WalkProblem(rel, "link_broken"))
        elif is_dir:
            self.problems.append(WalkProblem(rel, "link_folder"))
        elif not self.ignore.skip_file(rel, entry.name):
            files.append(entry)
