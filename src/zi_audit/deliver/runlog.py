"""The run log: one line per event, for the admin, in English.

Its own module so that a run which neither mails nor fails does not import the email
package (18 ms of every scan's start-up).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from zi_audit.util.textnorm import display
from zi_audit.util.timezones import clock


class RunLog:
    """One line per event, in English, in the log file an admin reads (none when unset),
    stamped in the plan's zone (`2026-12-03 01:30:05 WIB`) as the reports are."""

    def __init__(self, path: Path | None, zone: dt.tzinfo | None = None) -> None:
        self.path = path
        self.zone = zone

    def line(self, text: str) -> None:
        if self.path is None:
            return
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(f"{clock(self.zone)} {display(' '.join(text.split()))}\n")


def messages_en(n: int) -> str:
    return f"{n} message" if n == 1 else f"{n} messages"
