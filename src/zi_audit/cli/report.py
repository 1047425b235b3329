"""`zi-audit report`: the last scan again, in any format, without scanning."""

from __future__ import annotations

from pathlib import Path

import click

from zi_audit.app import units
from zi_audit.app.nightly import last_document
from zi_audit.cli import options as o
from zi_audit.cli.errors import UserError, command
from zi_audit.cli.session import session_of
from zi_audit.i18n import t
from zi_audit.report.render import FORMATS, render
from zi_audit.util.atomic import atomic_write


@click.command()
@o.config_option
@o.state_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice((*FORMATS, "xlsx")),
    default="text",
    show_default=True,
    help="Report format; xlsx is the LKE workbook for the TPI (needs --output).",
)
@o.output_option
@o.lang_option
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help="Text: list every pending item and every unmatched file.",
)
@click.option(
    "--units",
    "as_units",
    is_flag=True,
    help="The roll-up of the last scan --units (default where the configuration has units).",
)
@click.pass_context
@command
def report(
    ctx: click.Context,
    config_path: Path | None,
    state: Path | None,
    fmt: str,
    output: Path | None,
    lang: str,
    show_all: bool,
    as_units: bool,
) -> int:
    """Render the last scan's report (text, html, md, csv or json) without scanning again."""
    session = session_of(ctx, config_path, lang)
    if as_units or session.config.units is not None:
        rollup = units.last_rollup(session.state_path(state), session.lang)
        kind = fmt if fmt in ("json", "csv", "html") else "text"
        text = units.write(rollup, kind, session.lang, output)
        if text is not None:
            click.echo(text, nl=False)
        return 0
    doc = last_document(session.state_path(state))
    if fmt == "xlsx":
        if output is None:
            raise UserError(t("error.xlsx_output", session.lang))
        from zi_audit.report import render_xlsx  # openpyxl: loaded only when asked for

        links = render_xlsx.Links(
            doc["root"], session.config.links_base_url, output.absolute().parent
        )
        atomic_write(output, render_xlsx.render(doc, links))
        return 0
    text = render(doc, fmt, session.lang, show_all=show_all)
    if output:
        atomic_write(output, text)
    else:
        click.echo(text, nl=False)
    return 0
