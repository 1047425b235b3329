"""`zi-audit rules check|show`: a rule file's first mistake, its summary, one indicator."""

from __future__ import annotations

from pathlib import Path

import click

from zi_audit.app import rules_check
from zi_audit.cli import options as o
from zi_audit.cli.errors import UserError, command
from zi_audit.cli.session import session_of
from zi_audit.i18n import t
from zi_audit.rules.importing import draft as importer


@click.group("rules")
def rules_group() -> None:
    """Check a rule file, show one indicator of it, or import a draft from a Rencana Aksi."""


@rules_group.command("check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), required=False)
@o.config_option
@o.lang_option
@click.pass_context
@command
def check_command(
    ctx: click.Context, file: Path | None, config_path: Path | None, lang: str
) -> int:
    """Load a rule file (default: the configuration's, else the bundled one), report its first mistake or summarise it."""
    session = session_of(ctx, config_path, lang)
    rules, lang = session.plan(file), session.lang
    click.echo("\n".join(rules_check.summary(rules, lang)))
    return 0


@rules_group.command("import")
@click.argument("table", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the draft rule file (never over an existing file).",
)
@click.option(
    "--year",
    type=click.IntRange(2000, 2100),
    help="The plan year (default: the document's, else this year).",
)
@click.option(
    "--title",
    default="Rencana Aksi Pembangunan Zona Integritas",
    show_default=True,
    help="The plan's title in the draft.",
)
@o.config_option
@o.lang_option
@click.pass_context
@command
def rules_import(
    ctx: click.Context,
    table: Path,
    output: Path,
    year: int | None,
    title: str,
    config_path: Path | None,
    lang: str,
) -> int:
    """Draft a rule file from a Rencana Aksi table (.pdf, .xlsx, .xls, .ods, .docx, .csv, .md, .html, .txt); unsure rows are marked."""
    lang = session_of(ctx, config_path, lang).lang  # the configuration's language, if any
    result = importer.import_table(table, output, year, title)
    click.echo(t("import.done", lang, path=output, **result.counts))
    for line in result.unsure:
        click.echo(f"  {t('import.check', lang)}: {line}")
    if result.implausible:
        click.echo(t("import.implausible", lang, what="; ".join(result.implausible)), err=True)
        return 1
    return 0


@rules_group.command("show")
@click.argument("ident")
@o.config_option
@o.rules_option
@o.lang_option
@click.pass_context
@command
def rules_show(
    ctx: click.Context, ident: str, config_path: Path | None, rules_path: Path | None, lang: str
) -> int:
    """Show one indicator in full: text, action, window and every evidence item."""
    session = session_of(ctx, config_path, lang)
    rules, lang = session.plan(rules_path), session.lang
    if ident not in {i.id for i in rules.indicators}:
        raise UserError(f"no indicator '{ident}' in {rules.path}; ids look like 1.1.1")
    click.echo(rules_check.show(rules, ident, lang), nl=False)
    return 0
