"""One run of `zi-audit scan` as cron needs it: one at a time, honest about outages.

lock -> scan -> is the share really there? -> history and changes -> reports -> email.
A share that is missing, empty, another device, or far smaller than last time is an
outage: an alert goes out instead of a gap report, nothing is recorded as lost, and
the run exits with its own code. Every run appends one line to the log file.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from zi_audit.report import render_csv as report_csv
from zi_audit.report import render_html as report_html
from zi_audit.report import render_json as report_json
from zi_audit.report import render_md as report_md
from zi_audit.report import render_text as report_text
from zi_audit.state.atomic import atomic_write
from zi_audit.config import Config, read_password
from zi_audit.errors import ZiAuditError
from zi_audit.state.history import History, diff, snapshot
from zi_audit.i18n import t
from zi_audit.state.lock import RunLock
from zi_audit.deliver.mail import MailError, gap_messages, outage_message, send, write_eml
from zi_audit.evaluate.model import Report
from zi_audit.rules.plan import RuleSet
from zi_audit.pipeline import ScanOptions, run_scan
from zi_audit.state.paths import prepare_state_dir

EXIT_OK, EXIT_FAIL_ON, EXIT_USAGE, EXIT_OUTAGE, EXIT_LOCKED, EXIT_MAIL = 0, 1, 2, 3, 4, 5
LAST_REPORT = "last-report.json"
FORMATS = ("text", "json", "html", "md", "csv")


@dataclass
class RunOptions:
    root: Path
    scan: ScanOptions
    config: Config
    fmt: str = "text"
    output: Path | None = None
    show_all: bool = False
    fail_on: tuple[str, ...] = ()
    record_history: bool = True
    email: bool = False
    dry_run: bool = False
    quiet: bool = False
    accept_shrink: bool = False
    log_file: Path | None = None
    mail_delay: float = 5.0
    progress: Any = None
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)


def render(
    doc: dict[str, Any], fmt: str, lang: str, report: Report | None = None, show_all: bool = False
) -> str:
    if fmt == "text":
        if report is None:
            raise ZiAuditError(
                "the text report needs a fresh scan; use --format html, md, csv or json"
            )
        return report_text.render(report, lang, show_all=show_all)
    if fmt == "json":
        return report_json.render(doc)
    if fmt == "html":
        return report_html.render(doc, lang)
    if fmt == "md":
        return report_md.render(doc, lang)
    return report_csv.render(doc, lang)


def _outage(
    root: Path, report: Report | None, dev: int | None, prev: Any, opts: RunOptions
) -> str | None:
    lang = opts.scan.lang
    if report is None:
        return t("outage.missing", lang, root=root)
    if report.files_seen == 0:
        return t("outage.empty", lang, root=root)
    if prev is None or opts.accept_shrink:
        return None
    if prev.root_dev is not None and dev is not None and dev != prev.root_dev:
        return t("outage.device", lang, root=root)
    limit = prev.files_seen * (1 - opts.config.shrink_threshold)
    if prev.files_seen and report.files_seen < limit:
        return t("outage.shrunk", lang, root=root, now=report.files_seen, before=prev.files_seen)
    return None


class _Log:
    def __init__(self, path: Path | None) -> None:
        self.path = path

    def line(self, text: str) -> None:
        if self.path is None:
            return
        stamp = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(f"{stamp} {text}\n")


def run(rules: RuleSet, opts: RunOptions) -> int:
    state = prepare_state_dir(opts.scan.state, opts.root)
    opts.scan.state = state
    log = _Log(opts.log_file)
    try:
        with RunLock(state):
            return _locked_run(rules, opts, state, log)
    except ZiAuditError as exc:
        log.line(f"error: {exc}")
        raise


def _locked_run(rules: RuleSet, opts: RunOptions, state: Path, log: _Log) -> int:
    lang = opts.scan.lang
    history = History(state)
    try:
        prev = history.last()
        report: Report | None = None
        dev: int | None = None
        if opts.root.is_dir():
            dev = opts.root.stat().st_dev
            report = run_scan(opts.root, rules, opts.scan, progress=opts.progress)
        reason = _outage(opts.root, report, dev, prev, opts)
        if reason is not None:
            print(f"zi-audit: {reason}. {t('outage.advice', lang)}", file=opts.stderr)
            log.line(f"outage: {reason}")
            if opts.email and opts.config.email:
                _deliver(
                    [outage_message(reason, opts.config.email, lang, opts.scan.as_of)],
                    opts,
                    state,
                    log,
                )
            return EXIT_OUTAGE
        assert report is not None
        doc = report_json.to_dict(report)
        snap = snapshot(report, dev)
        if opts.record_history:
            doc["changes"] = diff(prev, snap).as_dict()
            history.record(snap)
            doc["trend"] = [
                {"as_of": s.as_of, "components": s.components, "by_status": s.by_status}
                for s in history.trend()
            ]
    finally:
        history.close()

    atomic_write(state / LAST_REPORT, report_json.render(doc))
    text = render(doc, opts.fmt, lang, report, opts.show_all)
    if opts.output is not None:
        atomic_write(opts.output, text)
    elif not opts.quiet:
        opts.stdout.write(text)
    head = doc["summary"]["by_status"]
    summary = ", ".join(f"{n} {s}" for s, n in head.items() if n)
    gone = len(doc.get("changes", {}).get("disappeared", []))
    if gone:
        print(f"zi-audit: {t('doc.disappeared_alert', lang, n=gone)}", file=opts.stderr)
    code = EXIT_OK
    if opts.email:
        if opts.config.email is None:
            raise ZiAuditError(
                "--email needs an 'email' section in the configuration (see zi-audit config check)"
            )
        messages = gap_messages(doc, opts.config.email, opts.config.owners, lang)
        code = _deliver(messages, opts, state, log)
    log.line(
        f"scan {opts.root}: {report.files_seen} files, {summary}"
        + (f", {gone} evidence files GONE" if gone else "")
    )
    if code == EXIT_OK and opts.fail_on and any(head[s] for s in opts.fail_on):
        return EXIT_FAIL_ON
    return code


def _deliver(messages: list[Any], opts: RunOptions, state: Path, log: _Log) -> int:
    assert opts.config.email is not None
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    if opts.dry_run:
        paths = write_eml(messages, state / "outbox" / stamp)
        if not opts.quiet:
            for p in paths:
                print(p, file=opts.stderr)
        log.line(f"dry run: {len(paths)} messages written to {paths[0].parent}")
        return EXIT_OK
    try:
        password = read_password(opts.config.email.smtp, opts.config.path)
        send(messages, opts.config.email, password, delay=opts.mail_delay)
    except MailError as exc:
        kept = write_eml(messages, state / "unsent" / stamp)
        print(f"zi-audit: {exc}; the messages are kept in {kept[0].parent}", file=opts.stderr)
        log.line(f"{exc}; kept in {kept[0].parent}")
        return EXIT_MAIL
    log.line(f"email: {len(messages)} messages sent")
    return EXIT_OK


def last_document(state_dir: Path) -> dict[str, Any]:
    import json

    path = state_dir / LAST_REPORT
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ZiAuditError(
            f"no scan has been recorded in {state_dir} yet; run zi-audit scan first"
        ) from None
    except (OSError, ValueError) as exc:
        raise ZiAuditError(f"cannot read the last report {path}: {exc}") from None
