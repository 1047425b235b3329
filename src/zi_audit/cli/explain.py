"""`zi-audit explain FILE`: why a file counts, or why not."""

from __future__ import annotations

from pathlib import Path

import click

from zi_audit.app.explain import explain as explain_file
from zi_audit.cli import options as o
from zi_audit.cli.errors import UserError, command
from zi_audit.cli.session import session_of
from zi_audit.pipeline import Pipeline, ScanOptions


@click.command()
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The evidence folder the paths are in (default: the configuration's root, else the current folder).",
)
@o.config_option
@o.rules_option
@o.state_option
@o.lang_option
@click.pass_context
@command
def explain(
    ctx: click.Context,
    paths: tuple[Path, ...],
    root: Path | None,
    config_path: Path | None,
    rules_path: Path | None,
    state: Path | None,
    lang: str,
) -> int:
    """Say which evidence each file counts for, and why it does not count for others nearby."""
    session = session_of(ctx, config_path, lang)
    lang = session.lang
    base = (root or session.config.root or Path.cwd()).resolve()
    rules = session.plan(rules_path)
    state_dir = session.state_dir(state, base)
    pipeline = Pipeline(base, rules, ScanOptions(lang=lang), state=state_dir, busy_wait=2.0)
    blocks = []
    for path in paths:
        full = path.resolve()
        if base not in full.parents:
            raise UserError(f"{path} is not inside the evidence folder {base}; give --root")
        blocks.append("\n".join(explain_file(pipeline, full.relative_to(base).as_posix())))
    click.echo("\n\n".join(blocks))
    return 0
