"""Writing a file so that a reader sees the old version or the new one, never half of one.

The temp file lives beside the target (a rename across filesystems is not atomic),
is flushed and fsync-ed, then replaces the target; the folder is fsync-ed after.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


def _umask() -> int:
    """The process's umask, read without changing it (watch writes from several threads)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # no /proc: the classic dance, briefly
    os.umask(mask)
    return mask


def atomic_write(
    path: Path,
    data: bytes | str | Iterable[str | bytes],
    *,
    private: bool = False,
    durable: bool = True,
) -> None:
    """`private`: owner-only (the state directory's files). Otherwise the file gets the
    mode any program's new file would (0666 less the umask), so a report written for a
    web server or a colleague can be read by them; a temp file alone would be 0600.
    `data` may come in pieces (a big report), each encoded as it is written (or bytes). `durable`:
    on disk before it replaces the old; a list the next scan writes again anyway need not
    wait for the disk (a crash may then leave it empty, never half of it)."""
    if isinstance(data, str):
        parts: Iterable[bytes] = (data.encode("utf-8"),)
    elif isinstance(data, bytes):
        parts = (data,)
    else:
        parts = (p if isinstance(p, bytes) else p.encode("utf-8") for p in data)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if not private:
            os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            for part in parts:
                fh.write(part)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if not durable:
        return
    with contextlib.suppress(OSError):  # not every platform can fsync a folder
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
