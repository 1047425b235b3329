"""`zi-audit config check`: fail now, not at 1 a.m."""

from __future__ import annotations

from pathlib import Path

import click

from zi_audit.cli import options as o
from zi_audit.cli.errors import UserError, command
from zi_audit.config import config_candidates, describe, find_config, load_plan


@click.group("config")
def config_group() -> None:
    """Check the configuration file."""


@config_group.command("check")
@o.config_option
@command
def config_check(config_path: Path | None) -> int:
    """Validate the configuration (and the rules it names), then summarise it."""
    config = find_config(config_path)
    if config.path is None:
        looked = ", ".join(str(p) for p in config_candidates())
        raise UserError(f"no configuration file found; looked in: {looked}")
    rules = load_plan(None, config)
    click.echo("\n".join(describe(config, rules, o.state_path(None, config))))
    return 0
