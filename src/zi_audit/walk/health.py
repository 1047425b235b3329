"""Is the share really there? One answer for the nightly run and for watch.

A share that dropped looks, to a program that only lists files, like a share whose
evidence was all deleted. Telling the two apart is the difference between an outage
alert and a gap report that calls every indicator "kurang". The rules, for any caller:

- the root is missing, is not a folder, or cannot be listed: an outage;
- the root has no entries of any kind: an outage (an unmounted mount point is empty;
  a share `zi-audit init` laid out holds folders and notes, and is not);
- the root is on another device than at the baseline: an outage (the mount point now
  shows the disk underneath), unless a change is accepted;
- the share holds more than `shrink` fewer files than at the baseline: an outage,
  unless a change is accepted (a real clean-up, a move to a new NAS).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from zi_audit.i18n import t
from zi_audit.util.textnorm import display

DEFAULT_SHRINK = 1 / 3


class Baseline(NamedTuple):
    """What the share looked like when it was last known good."""

    files_seen: int
    device: int | None = None  # None: no device to compare (watch follows a path)


class Outage(NamedTuple):
    code: str  # missing | not_folder | empty | device | shrunk
    files_seen: int = 0
    before: int = 0


class Observation(NamedTuple):
    exists: bool
    is_dir: bool
    has_entries: bool
    device: int | None
    readable: bool = True

    @classmethod
    def of(cls, root: Path) -> Observation:
        try:
            st = root.stat()
        except OSError:
            return cls(False, False, False, None)
        if not root.is_dir():
            return cls(True, False, False, st.st_dev)
        try:
            with os.scandir(root) as entries:
                has_entries = next(iter(entries), None) is not None
        except OSError:
            return cls(True, True, False, st.st_dev, readable=False)
        return cls(True, True, has_entries, st.st_dev)


def before_scan(seen: Observation) -> Outage | None:
    """What can be said before walking: the root is not there, not a folder, or empty."""
    if not seen.exists:
        return Outage("missing")
    if not seen.is_dir:
        return Outage("not_folder")
    if not seen.readable:
        return Outage("unreadable")
    if not seen.has_entries:
        return Outage("empty")
    return None


def after_scan(
    seen: Observation,
    files_seen: int,
    baseline: Baseline | None,
    *,
    shrink: float = DEFAULT_SHRINK,
    accept_change: bool = False,
) -> Outage | None:
    """The whole verdict, once the walk has counted the files."""
    early = before_scan(seen)
    if early is not None or baseline is None or accept_change:
        return early
    if baseline.device is not None and seen.device is not None and seen.device != baseline.device:
        return Outage("device", files_seen, baseline.files_seen)
    if baseline.files_seen and files_seen < baseline.files_seen * (1 - shrink):
        return Outage("shrunk", files_seen, baseline.files_seen)
    return None


def describe(outage: Outage, root: Path, lang: str) -> str:
    """The same words for the same outage, from the nightly run, its email and watch."""
    shown = display(str(root))
    return t(f"outage.{outage.code}", lang, root=shown, now=outage.files_seen, before=outage.before)
