"""Turning errors into one message: a user's mistake never ends in a traceback.

A ZiAuditError keeps its own exit code (errors.ExitCode); an OSError from a path the
user gave (--output, --log-file, init's DEST) becomes a usage error naming the path.
"""

from __future__ import annotations

import errno
import functools
from collections.abc import Callable
from typing import IO, Any

import click

from zi_audit.core.errors import ExitCode, ZiAuditError
from zi_audit.util.textnorm import display


class UserError(click.ClickException):
    def __init__(self, message: str, code: int = ExitCode.USAGE) -> None:
        super().__init__(message)
        self.exit_code = int(code)  # type: ignore[misc]  # click reads it per instance

    def show(self, file: IO[Any] | None = None) -> None:
        # A path typed on the command line may hold a newline, ESC or OSC sequence: shown
        # escaped, so the message stays one line and the terminal's title stays its own.
        click.echo(f"zi-audit: {display(self.format_message())}", err=True)


def command(func: Callable[..., int | None]) -> Callable[..., None]:
    """Run a command body: its return value is the exit code; errors become one message."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            code = func(*args, **kwargs)
        except ZiAuditError as exc:
            raise UserError(str(exc), exc.exit_code) from None
        except OSError as exc:
            # Reading the share never gets here (the walk reports and goes on); what does is
            # a path the user gave that cannot be used: --output, --log-file, init's DEST.
            where = exc.filename or "a file"
            if exc.errno == errno.ENOSPC:  # atomic writes: what was there is still there
                raise UserError(
                    f"disk penuh (disk full): cannot write {where}; the previous file is kept"
                ) from None
            raise UserError(f"cannot use {where}: {exc.strerror or exc}") from None
        if code:
            click.get_current_context().exit(int(code))

    return wrapper
