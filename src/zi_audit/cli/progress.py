"""Progress on long scans: to a terminal only, and only once a scan has run a second.

Under cron stderr is not a terminal, so nothing is printed and logs stay clean.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from zi_audit.i18n import t


class Progress:
    def __init__(self, lang: str = "id", stream: TextIO | None = None, delay: float = 1.0) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.lang = lang
        self.started = time.monotonic()
        self.delay = delay
        self._last = 0.0
        self._shown = False

    def update(self, folders: int, files: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.started < self.delay or now - self._last < 0.2:
            return
        self._last = now
        self._shown = True
        self.stream.write(
            "\r" + t("progress.scan", self.lang, folders=folders, files=files) + "\x1b[K"
        )
        self.stream.flush()

    def done(self) -> None:
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
