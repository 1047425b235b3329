"""Command line. Each command is a few lines over a library call; errors become messages.

User mistakes (bad options, a broken rule file, a missing folder) end with one
message on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import __version__, report_json, report_text
from .errors import ZiAuditError
from .i18n import LANGS, t
from .model import STATUSES
from .progress import Progress
from .rules import RuleSet, bundled_rules_path, load_rules
from .scan import ScanOptions, run_scan, today_wib

EXIT_OK, EXIT_GAPS, EXIT_USAGE = 0, 1, 2


class UserError(click.ClickException):
    exit_code = EXIT_USAGE

    def show(self, file: Any = None) -> None:
        click.echo(f"zi-audit: {self.format_message()}", err=True)


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ZiAuditError as exc:
            raise UserError(str(exc)) from None

    return wrapper


def _parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        lang = ctx.params.get("lang", "id")
        raise click.BadParameter(t("error.bad_date", lang, value=value)) from None


def _parse_statuses(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> tuple[str, ...]:
    if not value:
        return ()
    out = tuple(s.strip() for s in value.split(",") if s.strip())
    for status in out:
        if status not in STATUSES:
            lang = ctx.params.get("lang", "id")
            raise click.BadParameter(
                t("error.bad_status", lang, value=status, choices=", ".join(STATUSES))
            )
    return out


def lang_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--lang",
        type=click.Choice(LANGS),
        default="id",
        is_eager=True,
        show_default=True,
        help="Language of the report: id (Bahasa Indonesia) or en.",
    )(func)


def rules_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--rules",
        "rules_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Rule file (YAML). Default: the bundled rules/bukti_fisik.yaml.",
    )(func)


def as_of_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--as-of",
        callback=_parse_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="Judge deadlines as of this date (default: today in WIB).",
    )(func)


def load(rules_path: Path | None) -> RuleSet:
    return load_rules(rules_path or bundled_rules_path())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="zi-audit")
def cli() -> None:
    """Audit a Zona Integritas evidence share (bukti fisik) against the Rencana Aksi."""


@cli.command()
@click.argument("root", type=click.Path(path_type=Path))
@rules_option
@as_of_option
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@lang_option
@click.option(
    "--fail-on",
    callback=_parse_statuses,
    metavar="STATUS,…",
    help="Exit 1 when any indicator has one of these statuses (for cron), e.g. missing,invalid.",
)
@click.option(
    "--ignore-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Extra ignore file (gitignore syntax), besides ROOT/.zi-auditignore.",
)
@click.option(
    "--all", "show_all", is_flag=True, help="List every pending item, not only those due soon."
)
@click.option(
    "--state",
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory for zi-audit's own files (cache). Default: the user's data directory.",
)
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    help="Worker processes that open files (default: one per core).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(0.1, 3600),
    default=20.0,
    show_default=True,
    help="Seconds one file may take to open before it is reported and skipped.",
)
@handle_errors
def scan(
    root: Path,
    rules_path: Path | None,
    as_of: dt.date | None,
    fmt: str,
    lang: str,
    fail_on: tuple[str, ...],
    ignore_file: Path | None,
    show_all: bool,
    state: Path | None,
    jobs: int | None,
    timeout: float,
) -> None:
    """Scan ROOT and report, per indicator, what is present, missing, late, outdated or invalid."""
    rules = load(rules_path)
    progress = Progress(lang)
    options = ScanOptions(
        as_of=as_of or today_wib(),
        ignore_file=ignore_file,
        lang=lang,
        state=state,
        jobs=jobs,
        timeout=timeout,
    )
    report = run_scan(root, rules, options, progress=progress.update)
    progress.done()
    text = (
        report_json.render(report)
        if fmt == "json"
        else report_text.render(report, lang, show_all=show_all)
    )
    click.echo(text, nl=False)
    if fail_on and any(report.by_status[s] for s in fail_on):
        sys.exit(EXIT_GAPS)


def main() -> None:
    cli(prog_name="zi-audit")
