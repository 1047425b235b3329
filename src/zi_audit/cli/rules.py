"""`zi-audit rules check|show`: a rule file's first mistake, its summary, one indicator."""

from __future__ import annotations

from pathlib import Path

import click

from zi_audit.cli import options as o
from zi_audit.cli.errors import UserError, command
from zi_audit.match import selfcheck
from zi_audit.plan import load_plan


@click.group("rules")
def rules_group() -> None:
    """Check a rule file, or show one indicator of it."""


@rules_group.command("check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), required=False)
@command
def rules_check(file: Path | None) -> int:
    """Load a rule file (default: the bundled one), report its first mistake or summarise it."""
    click.echo("\n".join(selfcheck.summary(load_plan(file))))
    return 0


@rules_group.command("show")
@click.argument("ident")
@o.rules_option
@o.lang_option
@command
def rules_show(ident: str, rules_path: Path | None, lang: str) -> int:
    """Show one indicator in full: text, action, window and every evidence item."""
    rules = load_plan(rules_path)
    if ident not in {i.id for i in rules.indicators}:
        raise UserError(f"no indicator '{ident}' in {rules.path}; ids look like 1.1.1")
    click.echo(selfcheck.show(rules, ident, lang), nl=False)
    return 0
