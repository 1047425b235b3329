"""Errors a user can cause and fix, and the exit codes they end in.

The CLI turns each ZiAuditError into one message on stderr and its exit code; anything
else that escapes is our bug. docs/exit-codes.md is the written contract.
"""

from __future__ import annotations

import enum
from typing import Any


class ExitCode(enum.IntEnum):
    OK = 0  # report written (and emailed, with --email)
    FAIL_ON = 1  # --fail-on matched: some indicator has one of the given statuses
    USAGE = 2  # usage error, broken rule, configuration or state file
    OUTAGE = 3  # the share that was there before is unreachable, empty, moved or shrunk
    LOCKED = 4  # another zi-audit run holds the state directory
    MAIL = 5  # the email could not be sent; the messages are kept in STATE/unsent/
    PARTIAL = 6  # part of the share could not be read: its indicators are `unreadable`


class ZiAuditError(Exception):
    """A problem with the user's input (options, rule file, config), worded for them."""

    exit_code: ExitCode = ExitCode.USAGE


class FileError(ZiAuditError):
    """A file the user wrote that cannot be used. Names the file, the line and the key at fault."""

    def __init__(self, path: str, line: int | None, key: str | None, message: str) -> None:
        self.path, self.line, self.key, self.message = path, line, key, message
        where = f"{path}:{line}" if line else path
        what = f"'{key}': {message}" if key else message
        super().__init__(f"{where}: {what}")


class RuleError(FileError):
    """A mistake in a rule file."""


class ConfigError(FileError):
    """A mistake in a configuration file."""


class AlreadyRunning(ZiAuditError):
    exit_code = ExitCode.LOCKED


class MailError(ZiAuditError):
    exit_code = ExitCode.MAIL
    # The messages that did not go (those sent before the failure are not kept again).
    undelivered: list[Any] | None = None
