"""Which kind of filesystem a folder lives on, from /proc/self/mountinfo.

inotify sees only changes made through the local kernel: files another PC writes to an
SMB or NFS share, or that rclone / Google Drive sync down, produce no event. Those
shares must be polled; watchdog never switches to polling by itself.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

REMOTE_TYPES = (
    "cifs",
    "smb3",
    "smbfs",
    "nfs",
    "nfs4",
    "9p",
    "afs",
    "ceph",
    "glusterfs",
    "davfs",
    "sshfs",
)


class Mount(NamedTuple):
    point: str
    fstype: str
    source: str

    @property
    def remote(self) -> bool:
        return self.fstype in REMOTE_TYPES or self.fstype.startswith("fuse")


def _unescape(field: str) -> str:
    """mountinfo writes space, tab, newline and backslash as octal escapes (\\040)."""
    out, i = [], 0
    while i < len(field):
        if field[i] == "\\" and field[i + 1 : i + 4].isdigit():
            out.append(chr(int(field[i + 1 : i + 4], 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def parse_mountinfo(text: str) -> list[Mount]:
    mounts = []
    for line in text.splitlines():
        left, sep, right = line.partition(" - ")
        fields, tail = left.split(), right.split()
        if not sep or len(fields) < 5 or len(tail) < 2:
            continue
        mounts.append(Mount(_unescape(fields[4]), tail[0], _unescape(tail[1])))
    return mounts


def mount_of(path: Path, mountinfo: str | None = None) -> Mount | None:
    """The mount holding `path` (the longest mount point that contains it)."""
    if mountinfo is None:
        try:
            mountinfo = Path("/proc/self/mountinfo").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None  # not Linux: the caller falls back to native events
    real = os.path.realpath(path)
    best: Mount | None = None
    for m in parse_mountinfo(mountinfo):
        inside = real == m.point or real.startswith(m.point.rstrip("/") + "/")
        if inside and (best is None or len(m.point) > len(best.point)):
            best = m
    return best


# File systems whose folder times do not reliably move when an entry is added or removed:
# FUSE mounts (rclone, Google Drive, s3fs …) report what their cache knows, and 9p and
# VirtualBox's shared folders are known to lag. There every folder is listed each scan.
UNKEPT_FOLDER_TIMES = ("9p", "vboxsf", "davfs")


def folder_times_kept(mount: Mount | None) -> bool:
    """Whether a folder's modification time can stand for its list of entries."""
    if mount is None:
        return True  # not Linux: NTFS and APFS keep them
    return not (mount.fstype.startswith("fuse") or mount.fstype in UNKEPT_FOLDER_TIMES)
