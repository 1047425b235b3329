"""The big texts of a SQLite memo, kept in files beside it, each named by a row.

SQLite rewrites a row whole and first copies every page it replaces into its journal: the
12 MB of fragments a night writes when a few changes touch the bench share's largest
indicators took 50 to 100 ms in results.sqlite3, and 6 ms as files. A blob is written
whole, under a name that says what it holds (a digest of the row's identity and key),
before the row naming it is committed, and the blob it replaces is removed after: a row
never names a half-written file, and what a crash leaves between two steps is a file no
row names, which a later save sweeps away. A read checks the sizes its row gives; a blob
missing, cut short or not UTF-8 is a miss, as a damaged row is. Nothing here is fsync-ed:
it is a memo, made again when lost.

A new blob is written over the file of the one it replaces (`write`'s `over`), taken
out of its name first: the kernel then copies the text into pages it holds already, where a
new file's pages are found and the old file's given back (12 MB a changed night: 24 ms as
new files, a few ms over the old ones). A crash between the steps leaves the old row
naming no file: a miss. A reader (`read`) holds its file under a shared lock and checks it
still has its name; a file a reader holds is not written over (a new one is made), and
one taken out of its name after the reader opened it is a miss for that reader.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path

from zi_audit.util.atomic import atomic_write, open_held, take_over

SUFFIX = ".json"
# A file no row names is removed once this old: younger, it may be another run's,
# written and not yet committed (stores of several roots share the folder).
SWEEP_AGE = 3600.0


def blob_name(*identity: str) -> str:
    """The file name of what `identity` (root, row, key ...) names."""
    text = "\0".join(identity).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(text, digest_size=16).hexdigest() + SUFFIX


class Blobs:
    """The files of one store: each holds a row's texts one after the other."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def write(self, name: str, texts: Sequence[str], over: str | None = None) -> tuple[int, ...]:
        """Write the texts (UTF-8) as one file; each text's size in bytes. `over`: the
        blob this one replaces, whose file is written over where no reader holds it.
        Raises OSError (a full disk) and UnicodeEncodeError (a text holding a lone
        surrogate)."""
        data = [text.encode("utf-8") for text in texts]
        with contextlib.suppress(FileExistsError):
            self.folder.mkdir(mode=0o700)
        if over is None or over == name or not self._write_over(over, name, data):
            atomic_write(self.folder / name, data, private=True, durable=False)
        return tuple(len(d) for d in data)

    def _write_over(self, old: str, name: str, data: Sequence[bytes]) -> bool:
        """`data` written as `name` over the file of `old`; False where that file cannot
        be had (util/atomic.py, `take_over`) or written."""
        tmp = self.folder / f".{old}.{os.getpid()}.tmp"  # swept if left by a crash
        fd = take_over(self.folder / old, tmp)
        if fd is None:
            return False
        try:
            with os.fdopen(fd, "wb", closefd=False) as fh:
                for part in data:
                    fh.write(part)
                fh.truncate()
            os.rename(tmp, self.folder / name)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            return False
        finally:
            os.close(fd)
        return True

    def read(self, name: str, sizes: Sequence[int], count: int | None = None) -> list[str] | None:
        """The texts of `sizes` bytes each that the file holds (None: gone, another size,
        not UTF-8); `count`: the first so many only, the rest neither read nor decoded (a
        kept fragment's text is 8 MB of a night's 22 MB of them: docs/state.md)."""
        wanted = sizes if count is None else sizes[:count]
        try:
            with open_held(self.folder / name) as fh:  # not written over while read
                if os.fstat(fh.fileno()).st_size != sum(sizes):
                    return None
                data = fh.read(sum(wanted))
        except OSError:
            return None
        if len(data) != sum(wanted):  # cut short between the two calls
            return None
        out, at = [], 0
        # Decoded from a view of the bytes read: a slice of them would be one more copy
        # of up to 5 MB, in pages new to the process each time.
        with memoryview(data) as view:
            try:
                for size in wanted:
                    out.append(str(view[at : at + size], "utf-8"))
                    at += size
            except UnicodeDecodeError:
                return None
        return out

    def remove(self, names: Iterable[str]) -> None:
        for name in names:
            with contextlib.suppress(OSError):
                os.unlink(self.folder / name)

    def sweep(self, named: Collection[str]) -> None:
        """Remove the files no row names (`named`) and left temporary files, once older
        than SWEEP_AGE."""
        before = time.time() - SWEEP_AGE
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return
        for entry in entries:
            if entry.name in named or not entry.name.endswith((SUFFIX, ".tmp")):
                continue
            with contextlib.suppress(OSError):
                if entry.stat(follow_symlinks=False).st_mtime < before:
                    os.unlink(entry.path)
