"""What the command line adds to a session: whether --lang was typed (app/session.py)."""

from __future__ import annotations

from pathlib import Path

import click

from zi_audit.app.session import Session, start
from zi_audit.cli.options import NO_CONFIG
from zi_audit.i18n import t


def session_of(ctx: click.Context, config_path: Path | None, lang: str) -> Session:
    """--lang typed on the command line wins; else the configuration's; else Indonesian.
    --no-config reads no configuration file at all."""
    typed = ctx.get_parameter_source("lang") == click.core.ParameterSource.COMMANDLINE
    no_config = bool(ctx.meta.get(NO_CONFIG))
    if no_config and config_path is not None:
        raise click.UsageError(t("error.config_and_no_config", lang), ctx)
    return start(config_path, lang if typed else None, read_config=not no_config)
