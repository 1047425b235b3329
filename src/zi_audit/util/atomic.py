"""Writing a file so that a reader sees the old version or the new one, never half of one.

The temp file lives beside the target (a rename across filesystems is not atomic),
is flushed and fsync-ed, then replaces the target; the folder is fsync-ed after.

A big state file each scan writes again (`rewrite`) keeps its previous copy as a spare
instead, written over in place the next time and renamed into place as the temp file
would be: writing 13.8 MB over a file that exists took 1.5-5 ms here, against 14-30 ms
to make a new file and free the old one's blocks (ext4; the freeing happens in the
rename that drops the old file).

A file that a new one replaces under another name (a kept fragment, a kept report's body)
can be written over the same way (`take_over`): taken out of its name first, so that no
reader opens it from then on, and only where no reader holds it (`open_held`).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO


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


def rewrite(path: Path, data: Iterable[str | bytes]) -> None:
    """Replace a private state file that each scan writes again (`durable=False`, as
    `atomic_write` does it), writing the new text over the copy before last,
    `.NAME.spare`, and renaming it into place; the copy replaced becomes the spare. A
    reader of `path` sees a whole file, old or new, as with `atomic_write`; one that
    holds it open across two scans' writing may see the second's, unless it reads with
    `read_whole` (zi-audit's own readers do). Runs writing the same folder's files take
    turns (a lock on the folder: a what-if scan may run beside the nightly one); a spare
    that is not a plain file of one name is replaced."""
    spare = path.with_name(f".{path.name}.spare")
    path.parent.mkdir(parents=True, exist_ok=True)
    folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(folder, fcntl.LOCK_EX)  # released when the folder's fd is closed
        fd = _spare(spare)
        if fd is None:  # no spare can be had: written the usual way
            atomic_write(path, data, private=True, durable=False)
            return
        with os.fdopen(fd, "wb") as fh:
            for part in data:
                fh.write(part if isinstance(part, bytes) else part.encode("utf-8"))
            fh.truncate()
        old = path.with_name(f".{path.name}.old")
        with contextlib.suppress(FileNotFoundError):
            os.unlink(old)  # left by a run that stopped between the renames below
        try:
            os.link(path, old, follow_symlinks=False)  # the current copy keeps a name
        except FileNotFoundError:
            os.replace(spare, path)  # the first time: no copy to keep
            return
        os.replace(spare, path)
        os.replace(old, spare)
    finally:
        os.close(folder)


def _spare(spare: Path) -> int | None:
    """The spare opened for writing over: made anew (owner-only) where it is missing, a
    link, a file with another name (writing over it would change that one too) or one a
    reader still reads; None where it cannot be (a folder in its place)."""
    fd = _alone(spare)
    if fd is not None:
        return fd
    try:  # missing, or not a file to write over: made anew
        with contextlib.suppress(FileNotFoundError):
            os.unlink(spare)
        return os.open(spare, _WRITE | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError:
        return None


_WRITE = os.O_WRONLY | os.O_NOFOLLOW | os.O_CLOEXEC


def _alone(path: Path) -> int | None:
    """`path` opened to be written over and locked, where it is a plain file of one name
    that no reader of ours holds (`read_whole`, `open_held`: left to it); else None.
    Never blocking: a pipe in its place fails (ENXIO), as a link or folder does."""
    try:
        fd = os.open(path, _WRITE | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if stat.S_ISREG(st.st_mode) and st.st_nlink == 1:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
    except OSError:
        pass
    os.close(fd)
    return None


def take_over(old: Path, tmp: Path) -> int | None:
    """The file `old`, renamed to `tmp` and opened to be written over (its pages reused):
    a file descriptor, locked until closed; the caller writes, truncates and renames it to
    its new name. None where it cannot be had: gone, not a plain file of one name, or
    held by a reader (`open_held`), which reads it whole meanwhile; `tmp` is then gone."""
    try:
        os.rename(old, tmp)  # no reader opens it by its name from now on
    except OSError:
        return None
    fd = _alone(tmp)
    if fd is None:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return None
    with contextlib.suppress(OSError):
        os.utime(fd)  # young again: a sweep of left temporary files passes it by
    return fd


@contextlib.contextmanager
def open_held(path: Path) -> Iterator[BinaryIO]:
    """`path` opened for reading under a shared lock, which keeps `take_over` from
    writing over it meanwhile. Raises FileNotFoundError where it was taken between the
    opening and the lock (it has another name, or none, by then)."""
    with open(path, "rb") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_SH)
        if os.stat(path).st_ino != os.fstat(fh.fileno()).st_ino:
            raise FileNotFoundError(f"{path}: taken to be written over")
        yield fh


def read_whole(path: Path) -> bytes:
    """A file `rewrite` writes, read whole: under a shared lock, which keeps a later
    `rewrite` from writing over it while it is read (it makes a new spare instead)."""
    with open(path, "rb") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_SH)
        return fh.read()
