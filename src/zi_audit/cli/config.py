"""`zi-audit config check`: fail now, not at 1 a.m."""

from __future__ import annotations

from pathlib import Path

import click

from zi_audit.app import config_check
from zi_audit.app.plan import load_plan
from zi_audit.cli import options as o
from zi_audit.cli.errors import UserError, command
from zi_audit.config import config_candidates, find_config


@click.group("config")
def config_group() -> None:
    """Check the configuration file."""


@config_group.command("check")
@o.config_option
@click.option(
    "--connect",
    is_flag=True,
    help="Also connect to the SMTP server and log in (sends nothing).",
)
@command
def check_command(config_path: Path | None, connect: bool) -> int:
    """Validate the configuration and the rules it names, and try what the nightly run needs."""
    config = find_config(config_path)
    if config.path is None:
        looked = ", ".join(str(p) for p in config_candidates())
        raise UserError(f"no configuration file found; looked in: {looked}")
    rules = load_plan(None, config)
    result = config_check.check(config, rules, o.state_path(None, config), connect=connect)
    click.echo("\n".join(result.lines))
    if result.problems:
        raise UserError(f"{len(result.problems)} problem(s) in {config.path}; see above")
    return 0
