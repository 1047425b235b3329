"""What the command line adds to a session: whether --lang was typed (app/session.py)."""

from __future__ import annotations

from pathlib import Path

import click

from zi_audit.app.session import Session, start


def session_of(ctx: click.Context, config_path: Path | None, lang: str) -> Session:
    """--lang typed on the command line wins; else the configuration's; else Indonesian."""
    typed = ctx.get_parameter_source("lang") == click.core.ParameterSource.COMMANDLINE
    return start(config_path, lang if typed else None)
