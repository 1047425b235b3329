"""`zi-audit scan`: the report, by hand or as the nightly run (history, email, outages)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import click

from zi_audit.app import nightly
from zi_audit.cli import options as o
from zi_audit.cli.errors import command
from zi_audit.cli.progress import Progress
from zi_audit.cli.session import session_of
from zi_audit.pipeline import ScanOptions


@click.command()
@click.argument("root", type=click.Path(path_type=Path, readable=False), required=False)
@o.config_option
@o.rules_option
@o.as_of_option
@o.format_option("text")
@o.output_option
@o.lang_option
@o.fail_on_option
@click.option(
    "--ignore-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Extra ignore file (gitignore syntax), besides ROOT/.zi-auditignore.",
)
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help="List every pending item, not only those due soon, and every unmatched file.",
)
@o.state_option
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    help="Worker processes that open files (default: one per core).",
)
@o.timeout_option
@o.ocr_budget_option
@click.option(
    "--history/--no-history",
    "record_history",
    default=None,
    help="Record this scan in the history (default: yes, unless --as-of is given).",
)
@click.option(
    "--email",
    "send_email",
    is_flag=True,
    help="Email the gap report (configuration: email, owners).",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="With --email: write the messages as .eml files in the state directory instead.",
)
@click.option("--quiet", is_flag=True, help="Print nothing unless something is wrong (for cron).")
@click.option(
    "--log-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Append one line per run to this file.",
)
@click.option(
    "--units",
    "as_units",
    is_flag=True,
    help="Each top-level folder of ROOT is one unit (a Kanwil's UPTs): a result, history and "
    "email per unit, and a roll-up (configuration: units).",
)
@click.option(
    "--answers",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The Tim ZI's own LKE answers (YAML), held against the evidence (docs/lke.md).",
)
@click.option(
    "--accept-shrink",
    is_flag=True,
    help="Accept a share that shrank or moved to another device (a real clean-up).",
)
@click.pass_context
@command
def scan(
    ctx: click.Context,
    root: Path | None,
    config_path: Path | None,
    rules_path: Path | None,
    as_of: dt.date | None,
    fmt: str,
    output: Path | None,
    lang: str,
    fail_on: tuple[str, ...],
    ignore_file: Path | None,
    show_all: bool,
    state: Path | None,
    jobs: int | None,
    timeout: float,
    ocr_budget: float | None,
    record_history: bool | None,
    send_email: bool,
    dry_run: bool,
    quiet: bool,
    log_file: Path | None,
    answers: Path | None,
    as_units: bool,
    accept_shrink: bool,
) -> int:
    """Scan ROOT and report, per indicator, what is present, missing, late, outdated or invalid."""
    scan_options = ScanOptions(as_of, ignore_file, lang, jobs, timeout, ocr_budget)
    typed = nightly.RunOptions(
        fmt=fmt,
        output=output,
        show_all=show_all,
        fail_on=fail_on,
        record_history=(as_of is None) if record_history is None else record_history,
        email=send_email,
        dry_run=dry_run,
        quiet=quiet,
        accept_shrink=accept_shrink,
        log_file=log_file,
        answers=answers,
    )
    start = session_of(ctx, config_path, lang)  # a run that cannot start is logged, mailed:
    session = nightly.open_run(start, root, rules_path, state, scan_options, typed)
    progress = None if quiet else Progress(session.lang)
    run_options = replace(
        typed,
        root_from_config=session.root_from_config,
        log_file=log_file or session.config.log_file,
        progress=progress.update if progress else None,
    )
    try:
        if as_units or session.config.units is not None:
            from zi_audit.app import units  # the roll-up and its renderers: --units only

            return units.scan_units(session, rules_path, scan_options, run_options)
        return nightly.run(session.pipeline, session.config, session.state, run_options)
    finally:
        if progress:
            progress.done()
