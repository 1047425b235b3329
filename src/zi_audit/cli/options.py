"""What the commands share: options, their parsing, and turning errors into one message.

Errors become one message in cli/errors.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from zi_audit.core.statuses import STATUSES
from zi_audit.i18n import LANGS, t
from zi_audit.report.render import FORMATS

F = TypeVar("F", bound=Callable[..., Any])


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
    lang = ctx.params.get("lang", "id")
    names = {t(f"status.{s}", code): s for s in STATUSES for code in LANGS}
    out = []
    for word in (s.strip() for s in value.split(",")):
        if not word:
            continue
        status = word if word in STATUSES else names.get(word)
        if status is None:
            raise click.BadParameter(
                t("error.bad_status", lang, value=word, choices=", ".join(STATUSES))
            )
        out.append(status)
    return tuple(out)


def _option(*args: Any, **kwargs: Any) -> Callable[[F], F]:
    return click.option(*args, **kwargs)


lang_option = _option(
    "--lang",
    type=click.Choice(LANGS),
    default="id",
    is_eager=True,
    show_default=True,
    help="Language of the output: id (Bahasa Indonesia) or en.",
)
rules_option = _option(
    "--rules",
    "rules_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Rule file (YAML). Default: the configuration's, else the bundled rules/bukti_fisik.yaml.",
)
as_of_option = _option(
    "--as-of",
    callback=_parse_date,
    default=None,
    metavar="YYYY-MM-DD",
    help="Judge deadlines as of this date (default: today in the plan's time zone, WIB).",
)
NO_CONFIG = "zi_audit.no_config"


def _no_config(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    ctx.meta[NO_CONFIG] = value


def config_option(func: F) -> F:
    """--config FILE and --no-config, on every command: a test, the demo or a what-if run on
    a server must be able to leave the system's configuration (and its log) alone."""
    func = click.option(
        "--no-config",
        is_flag=True,
        expose_value=False,
        callback=_no_config,
        help="Read no configuration file: built-in defaults and what is typed only.",
    )(func)
    return click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Configuration file (zi-audit.yaml). Default: the first found of "
        "$ZI_AUDIT_CONFIG, ./zi-audit.yaml, ~/.config/zi-audit/zi-audit.yaml, "
        "/etc/zi-audit/zi-audit.yaml ($ZI_AUDIT_SYSTEM_CONFIG moves this last one).",
    )(func)


state_option = _option(
    "--state",
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory for zi-audit's own files (cache, history, last report). "
    "Default: the configuration's, else the user's data directory.",
)
ocr_budget_option = _option(
    "--ocr-budget",
    type=click.FloatRange(0, 86400),
    default=None,
    metavar="SECONDS",
    help="Seconds this run may spend reading scans with OCR (Tesseract); what is left waits "
    "for the next run. Default: $ZI_AUDIT_OCR_BUDGET, else 120; 0: none.",
)
timeout_option = _option(
    "--timeout",
    type=click.FloatRange(0.1, 3600),
    default=20.0,
    show_default=True,
    help="Seconds one file may take to open before it is reported and skipped.",
)
fail_on_option = _option(
    "--fail-on",
    callback=_parse_statuses,
    metavar="STATUS,…",
    help="Exit 1 when any indicator has one of these statuses (for cron), e.g. missing,invalid "
    "(Indonesian names such as kurang work too).",
)
output_option = _option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file (atomically) instead of stdout.",
)


def format_option(default: str) -> Callable[[F], F]:
    return _option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default=default,
        show_default=True,
        help="Report format.",
    )
