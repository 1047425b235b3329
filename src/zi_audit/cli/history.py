"""`zi-audit history`: the trend the nightly scans recorded."""

from __future__ import annotations

from pathlib import Path

import click

from zi_audit.cli import options as o
from zi_audit.cli.errors import UserError, command
from zi_audit.cli.session import load_config
from zi_audit.report import render_history
from zi_audit.state.history import History, as_trend
from zi_audit.state.paths import StateDir


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
    config, lang = load_config(ctx, config_path, lang)
    state_dir = StateDir(o.state_path(state, config))
    if not state_dir.history.exists():
        raise UserError(f"no history in {state_dir.path} yet; nightly scans record it")
    store = History(state_dir.history)
    try:
        trend = store.trend(limit)
    finally:
        store.close()
    if not trend:
        raise UserError(f"no history in {state_dir.path} yet; nightly scans record it")
    click.echo(render_history.render(as_trend(trend), lang), nl=False)
    return 0
