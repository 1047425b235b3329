"""`zi-audit init`: the folder skeleton, adding only what is missing."""

from __future__ import annotations

from pathlib import Path

import click

from zi_audit.app import skeleton
from zi_audit.cli import options as o
from zi_audit.cli.errors import command
from zi_audit.cli.session import session_of
from zi_audit.i18n import t
from zi_audit.match.folders import STYLES
from zi_audit.util.textnorm import display


@click.command()
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@o.config_option
@o.rules_option
@o.lang_option
@click.option("--dry-run", is_flag=True, help="List what would be created; write nothing.")
@click.option(
    "--style",
    type=click.Choice(STYLES),
    default=None,
    help="numbered (1. …/1.1 …/1.1.1 …), lke (AREA I/i. …/1.i.a …) or drive "
    "(A. PENGUNGKIT/I. PEMENUHAN/I. …/1. …/a. …). Default: the share's own, else numbered.",
)
@click.pass_context
@command
def init(
    ctx: click.Context,
    dest: Path,
    config_path: Path | None,
    rules_path: Path | None,
    lang: str,
    dry_run: bool,
    style: str | None,
) -> int:
    """Create the folder skeleton from the rules, with a note in each indicator folder (adds only what is missing)."""
    session = session_of(ctx, config_path, lang)
    rules, lang = session.plan(rules_path), session.lang
    actions, _ = skeleton.plan(rules, dest, lang, style)
    for action in actions:
        click.echo(f"{t('init.' + action.kind, lang)}: {display(action.path)}")
    if not actions:
        click.echo(t("init.nothing", lang))
    elif dry_run:
        click.echo(t("init.dry", lang))
    else:
        skeleton.apply(dest, actions)
        folders = sum(1 for a in actions if a.kind == "mkdir")
        click.echo(t("init.done", lang, folders=folders, notes=len(actions) - folders, dest=dest))
    return 0
