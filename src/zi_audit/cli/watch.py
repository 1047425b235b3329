"""`zi-audit watch`: the gaps closing as files land."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from zi_audit.app.inputs import document_inputs
from zi_audit.app.session import open_scan
from zi_audit.app.watch import Watcher, WatchOptions, install_signal_handlers
from zi_audit.cli import options as o
from zi_audit.cli.errors import command
from zi_audit.cli.session import session_of
from zi_audit.pipeline import ScanOptions


@click.command()
@click.argument("root", type=click.Path(path_type=Path, readable=False), required=False)
@o.config_option
@o.rules_option
@o.as_of_option
@o.lang_option
@o.state_option
@click.option(
    "--polling",
    type=click.FloatRange(0.1, 86400),
    help="Rescan every SECONDS instead of using notifications (automatic on SMB, NFS and FUSE shares).",
)
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Keep this HTML report current (rewritten atomically; the page refreshes itself).",
)
@o.timeout_option
@click.pass_context
@command
def watch(
    ctx: click.Context,
    root: Path | None,
    config_path: Path | None,
    rules_path: Path | None,
    as_of: dt.date | None,
    lang: str,
    state: Path | None,
    polling: float | None,
    html_path: Path | None,
    timeout: float,
) -> int:
    """Scan ROOT, then follow the share and print each change to the gaps as files land."""
    # No OCR while watching: an update must answer in a second, and a page takes seconds to
    # read. A scan is counted by its name here; scan (the nightly run) reads its words.
    scan_options = ScanOptions(as_of, timeout=timeout, ocr_budget=0.0)
    start = session_of(ctx, config_path, lang)
    start.typed_root(root)
    session = open_scan(start, root, rules_path, state, scan_options, keep_results=False)
    inputs = document_inputs(session.config)
    options = WatchOptions(polling, html_path, session.config.shrink_threshold, inputs)
    watcher = Watcher(session.pipeline, options, out=lambda line: print(line, flush=True))
    install_signal_handlers(watcher)
    watcher.run()
    return 0
