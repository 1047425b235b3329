"""Errors a user can cause and fix; the CLI turns each into one message and exit code 2.

Anything else that escapes is our bug and may show a traceback; these never do.
"""

from __future__ import annotations


class ZiAuditError(Exception):
    """A problem with the user's input (options, rule file, config), worded for them."""

    exit_code = 2


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
