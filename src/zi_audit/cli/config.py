"""`zi-audit config check`: fail now, not at 1 a.m."""

from __future__ import annotations

from pathlib import Path

import click

from zi_audit.app import config_check
from zi_audit.cli import options as o
from zi_audit.cli.errors import UserError, command
from zi_audit.cli.session import session_of
from zi_audit.config import config_candidates
from zi_audit.i18n import t


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
@o.lang_option
@click.pass_context
@command
def check_command(ctx: click.Context, config_path: Path | None, connect: bool, lang: str) -> int:
    """Validate the configuration and the rules it names, and try what the nightly run needs."""
    session = session_of(ctx, config_path, lang)
    config, lang = session.config, session.lang
    if config.path is None:
        looked = ", ".join(str(p) for p in config_candidates())
        raise UserError(t("cc.no_config", lang, looked=looked))
    as_job = config_check.as_job_user(config, connect=connect, lang=lang)
    if as_job is not None:  # root, for a job that runs as another user: checked as that user
        code, said = as_job
        click.echo(said)
        return code
    state = session.state_path(None).path
    result = config_check.check(config, session.plan(None), state, connect=connect, lang=lang)
    click.echo("\n".join(result.lines))
    if result.problems:
        raise UserError(t("cc.problems", lang, n=len(result.problems), path=config.path))
    return 0
