"""`zi-audit history`: the trend the nightly scans recorded."""

from __future__ import annotations

from pathlib import Path

import click

from zi_audit.cli import options as o
from zi_audit.cli.errors import UserError, command
from zi_audit.cli.session import session_of
from zi_audit.i18n import t
from zi_audit.report import render_history
from zi_audit.state.history import History, as_trend


@click.command()
@o.config_option
@o.state_option
@click.option(
    "--limit",
    type=click.IntRange(1, 3650),
    default=30,
    show_default=True,
    help="How many scans to show.",
)
@o.lang_option
@click.pass_context
@command
def history(
    ctx: click.Context, config_path: Path | None, state: Path | None, limit: int, lang: str
) -> int:
    """Show the trend: complete indicators per component at each recorded scan."""
    session = session_of(ctx, config_path, lang)
    state_dir = session.state_path(state)
    if not state_dir.history.exists():
        raise UserError(t("error.no_history", session.lang, path=state_dir.path))
    store = History(state_dir.history)
    try:
        trend = store.trend(limit)
    finally:
        store.close()
    if not trend:
        raise UserError(t("error.no_history", session.lang, path=state_dir.path))
    zone = session.plan(None).zone  # the plan's clock, as the reports and the log use
    click.echo(render_history.render(as_trend(trend), session.lang, zone), nl=False)
    return 0
