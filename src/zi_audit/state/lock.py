"""One nightly run at a time: an advisory lock in the local state directory.

Never on the share: `flock` on NFS locks only on the machine that takes it.
The lock dies with the process, so a crashed run never blocks the next night.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType

from zi_audit.core.errors import AlreadyRunning, ZiAuditError
from zi_audit.i18n import t


class RunLock:
    def __init__(self, path: Path, lang: str = "id") -> None:
        self.path, self.lang = path, lang
        self.fd: int | None = None

    def __enter__(self) -> RunLock:
        import fcntl

        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
        try:  # never through a link: a planted link would make us truncate its target
            fd = os.open(self.path, flags, 0o600)
        except OSError as exc:
            why = exc.strerror
            raise ZiAuditError(t("lock.cannot_use", self.lang, path=self.path, why=why)) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            folder = self.path.parent
            raise AlreadyRunning(t("lock.busy", self.lang, pid=holder, folder=folder)) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self.fd = fd
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing releases the lock
            self.fd = None
