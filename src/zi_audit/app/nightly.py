"""One run of `zi-audit scan` as cron needs it: one at a time, honest about outages.

lock -> is the share really there? -> scan -> history and changes -> reports -> email.
A share that is missing, empty, another device, or far smaller than last time is an
outage (walk/health.py): an alert goes out instead of a gap report, nothing is recorded
as lost, and the run exits with its own code. Every run appends one line to the log file.
"""

from __future__ import annotations

import fcntl
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from zi_audit.app.inputs import document_inputs
from zi_audit.app.session import ScanSession, Session, open_scan
from zi_audit.app.standing import Standing, write_bytes
from zi_audit.config import Config, read_password
from zi_audit.core.errors import ExitCode, ZiAuditError
from zi_audit.core.schema import ReportDoc
from zi_audit.deliver.runlog import RunLog
from zi_audit.evaluate.model import Report
from zi_audit.i18n import t
from zi_audit.pipeline import Pipeline, Progress, ScanOptions
from zi_audit.report import document
from zi_audit.report.document import DocInputs
from zi_audit.report.unmatched import unmatched_lines
from zi_audit.state.history import History, Snapshot, as_trend, diff, snapshot, snapshot_of
from zi_audit.state.lock import RunLock
from zi_audit.state.paths import StateDir
from zi_audit.state.seal import Seal
from zi_audit.state.seal_write import SealWriter
from zi_audit.util.atomic import atomic_write, read_whole, rewrite
from zi_audit.util.timezones import clock
from zi_audit.walk import health

if TYPE_CHECKING:  # the email package is imported by a run that mails, not by every scan
    from email.message import EmailMessage

TREND = 30  # recorded scans shown in the trend of a report


@dataclass(frozen=True)
class RunOptions:
    fmt: str = "text"
    output: Path | None = None
    show_all: bool = False
    fail_on: tuple[str, ...] = ()
    record_history: bool = True
    email: bool = False
    dry_run: bool = False
    quiet: bool = False
    accept_shrink: bool = False
    # The root was named by the configuration (the share), not typed for this run.
    root_from_config: bool = False
    log_file: Path | None = None
    answers: Path | None = None  # the team's LKE answers, else the configuration's
    mail_delay: float = 5.0
    progress: Progress | None = None
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)


def _baseline(prev: Snapshot | None) -> health.Baseline | None:
    return None if prev is None else health.Baseline(prev.files_seen, prev.root_dev)


def run(pipeline: Pipeline, config: Config, state: StateDir, opts: RunOptions) -> ExitCode:
    """One run. Only a run that records history or sends mail takes the state directory's
    lock: a what-if scan (`--as-of`) only reads, and never waits on the nightly run."""
    log = RunLog(opts.log_file, pipeline.rules.zone)
    pipeline.kept_rows = opts.record_history
    try:
        # The team's mistakes first (their answers, --email without an email section): they
        # stop the run before anything is scanned or written.
        inputs = document_inputs(config, opts.answers)
        if opts.email and config.email is None:
            raise ZiAuditError("--email: " + t("mail.no_section", pipeline.options.lang))
        if opts.record_history or opts.email:
            with RunLock(state.lock, pipeline.options.lang):
                return _run(pipeline, config, state, opts, log, inputs)
        return _run(pipeline, config, state, opts, log, inputs)
    except ZiAuditError as exc:
        stopped(config, str(exc), pipeline.options.lang, opts, state, log)
        raise


def open_run(
    session: Session,
    root: Path | None,
    rules_path: Path | None,
    state: Path | None,
    scan: ScanOptions,
    early: RunOptions,
) -> ScanSession:
    """The run's plan, state and pipeline; a run that cannot start (no state directory, no
    rules) is said in the log and, for the nightly job, mailed before the error is shown."""
    try:
        return open_scan(session, root, rules_path, state, scan)
    except ZiAuditError as exc:
        log = RunLog(early.log_file or session.config.log_file)
        stopped(session.config, str(exc), session.lang, early, log=log)
        raise


def stopped(
    config: Config,
    reason: str,
    lang: str,
    opts: RunOptions,
    state: StateDir | None = None,
    log: RunLog | None = None,
) -> None:
    """A run that stops early is never silent: a log line, and for a run that mails (the
    nightly job) a message to the admin, kept in `unsent/` if it cannot go either."""
    log = log or RunLog(opts.log_file)
    log.line(f"stopped: {reason}")
    if not (opts.email and config.email) or opts.dry_run:
        return
    from zi_audit.deliver.mail import deliver, stopped_message  # a run that mails only

    message = stopped_message(reason, config.email, lang, clock(log.zone))
    if state is not None and state.path.is_dir():
        deliver([message], config, state, log, delay=opts.mail_delay)
        return
    try:  # no state directory to keep it in: one try, and the log says how it went
        from zi_audit.deliver import smtp  # only a run that stopped and mails says so

        smtp.send([message], config.email, read_password(config.email.smtp, config.path))
        log.line("email: 1 message sent (run stopped)")
    except ZiAuditError as exc:
        log.line(f"{exc}; the message that the run stopped was not sent")


def _scan(
    pipeline: Pipeline, prev: Snapshot | None, opts: RunOptions, shrink: float, stand: Standing
) -> tuple[Report | Seal | None, health.Outage | None, int | None]:
    """The scan, or the last one's report where it stands for this one (app/standing.py)."""
    root = pipeline.root
    seen = health.Observation.of(root)
    outage = health.before_scan(seen)
    typed = prev is None and not opts.root_from_config
    if outage is not None and outage.code in ("missing", "not_folder") and typed:
        # A path typed for this run that is not there: a mistake, not an outage.
        raise ZiAuditError(t(f"error.{outage.code}", pipeline.options.lang, path=root))
    if outage is not None:
        return None, outage, seen.device
    found: Report | Seal | None = stand.find(prev)
    if found is None:
        found = pipeline.run(opts.progress)
    outage = health.after_scan(
        seen, found.files_seen, _baseline(prev), shrink=shrink, accept_change=opts.accept_shrink
    )
    return found, outage, seen.device


def _run(
    pipeline: Pipeline,
    config: Config,
    state: StateDir,
    opts: RunOptions,
    log: RunLog,
    inputs: DocInputs,
) -> ExitCode:
    lang = pipeline.options.lang
    history = History(state.history)
    stand = Standing.of(pipeline, state, inputs, opts.show_all, opts.record_history)
    writer: SealWriter | None = None
    try:
        prev = history.last()
        found, outage, dev = _scan(pipeline, prev, opts, config.shrink_threshold, stand)
        if outage is not None or found is None:
            assert outage is not None
            return _alert(outage, pipeline, config, state, opts, log)
        as_kept = opts.fmt == "json" and not (opts.record_history or opts.email)
        if isinstance(found, Seal) and as_kept:  # the kept text as it is, never decoded
            return _kept_json(found, stand, opts, log)
        doc, snap, blind = _document(found, stand, inputs, opts, prev, dev, as_kept)
        if snap is not None:
            doc["changes"] = diff(prev, snap).as_dict()
            doc["trend"] = as_trend([*history.trend(TREND - 1), snap])
        writer = stand.writer() if isinstance(found, Report) else None
        code = _publish(doc, lang, config, state, opts, log, stand.text(found, doc, writer))
        # Only a report that went out becomes the baseline: after a dry run or a failed
        # send, the next run still tells what changed since the last one delivered.
        recorded = snap is not None and not opts.dry_run and code != ExitCode.MAIL
        if snap is not None and recorded:
            history.record(snap, prev)
        _keep(found, stand, writer, doc, snap.scanned_at if snap and recorded else None)
    finally:
        history.close()
        if writer is not None:  # kept (its body renamed) or not: never a stray temporary file
            writer.discard()
    return _ended(pipeline, doc, blind, code, opts, log)


def _document(
    found: Report | Seal,
    stand: Standing,
    inputs: DocInputs,
    opts: RunOptions,
    prev: Snapshot | None,
    dev: int | None,
    heads: bool,
) -> tuple[ReportDoc, Snapshot | None, tuple[str, ...]]:
    """The run's document, its history snapshot (None: not recorded) and the folders it
    could not read. A kept report was recorded as the last scan: its evidence is that.
    `heads`: the run writes JSON only; kept fragments are not decoded (document.build)."""
    if isinstance(found, Seal):
        doc = found.document(stand.as_of)
        evidence = prev.evidence if prev is not None else {}
        return doc, snapshot_of(doc, dev, evidence) if opts.record_history else None, ()
    doc = document.build(found, inputs, all_unmatched=opts.show_all, files=not heads)
    _keep_unmatched(stand.unmatched, found)
    blind = tuple(p.path for p in found.problems if p.code == "unreadable" and p.path)
    snap = snapshot(found, doc, dev, keep=(prev, blind)) if opts.record_history else None
    return doc, snap, blind


def _keep(
    found: Report | Seal,
    stand: Standing,
    writer: SealWriter | None,
    doc: ReportDoc,
    recorded: str | None,
) -> None:
    """This run's report kept whole for the next (state/seal.py), or marked recorded."""
    if isinstance(found, Seal):
        if recorded is not None:
            found.mark_recorded(recorded, stand.header_path())
    elif writer is not None and stand.pipeline.stamps is not None:
        writer.finish(doc, stand.pipeline.stamps, found.files_seen, stand.unmatched, recorded)


def _kept_json(kept: Seal, stand: Standing, opts: RunOptions, log: RunLog) -> ExitCode:
    """A JSON run that records nothing, on a share as the last scan left it: the kept text
    with this run's figures, neither decoded nor encoded."""
    text = list(kept.pieces(stand.as_of))  # slices of the kept bytes, written twice
    rewrite(stand.state.last_report, text)  # _publish: why
    if opts.output is not None:
        atomic_write(opts.output, text)
    elif not opts.quiet:
        write_bytes(opts.stdout, text)
    by_status = kept.per_run(stand.as_of)["summary"]["by_status"]
    log.line(f"scan {stand.pipeline.root}: {kept.files_seen} files, {_counts(by_status)}")
    if opts.fail_on and any(by_status[s] for s in opts.fail_on):
        return ExitCode.FAIL_ON
    return ExitCode.OK


def _counts(by_status: dict[str, int]) -> str:
    return ", ".join(f"{n} {s}" for s, n in by_status.items() if n)


def _ended(
    pipeline: Pipeline,
    doc: ReportDoc,
    blind: tuple[str, ...],
    code: ExitCode,
    opts: RunOptions,
    log: RunLog,
) -> ExitCode:
    by_status = doc["summary"]["by_status"]
    gone = len(doc["changes"]["disappeared"]) if "changes" in doc else 0
    log.line(
        f"scan {pipeline.root}: {doc['files_seen']} files, {_counts(by_status)}"
        + (f", {gone} evidence files GONE" if gone else "")
        + (f", {len(blind)} folders UNREADABLE: {', '.join(blind)}" if blind else "")
    )
    if code == ExitCode.OK and blind:
        return ExitCode.PARTIAL  # part of the share could not be read (ranks above --fail-on)
    if code == ExitCode.OK and opts.fail_on and any(by_status[s] for s in opts.fail_on):
        return ExitCode.FAIL_ON
    return code


def _keep_unmatched(path: Path, report: Report) -> None:
    """Every unmatched file, one a line, in STATE/unmatched.txt (the report carries the
    first thousand and their folders: docs/json-report.md), written in pieces."""
    rewrite(path, unmatched_lines(report.unmatched))


def _write_json(state: StateDir, opts: RunOptions) -> None:
    """The JSON report to --output or stdout: what was just written, read back as it is
    (bytes: neither decoded nor encoded again)."""
    if opts.output is not None:
        atomic_write(opts.output, _read_back(state.last_report))
    elif not opts.quiet:
        write_bytes(opts.stdout, _read_back(state.last_report))


def _read_back(path: Path) -> Iterator[bytes]:
    """A report file in pieces: a 22 MB JSON is never held twice. Under a shared lock, as
    util/atomic.py's `read_whole` reads: no other run writes over it meanwhile."""
    with open(path, "rb") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_SH)
        while piece := fh.read(1 << 20):
            yield piece


def _publish(
    doc: ReportDoc,
    lang: str,
    config: Config,
    state: StateDir,
    opts: RunOptions,
    log: RunLog,
    text: Iterable[str | bytes],
) -> ExitCode:
    """The report to its places: the state directory, stdout or --output, and email. The
    state directory's copy is not waited onto the disk (15 MB on the bench share, 10 ms
    here and far more on a spinning disk): the history is the record, and a crash that
    leaves the copy empty costs `report` and `email` a scan (docs/state.md). Written over
    the copy before last (util/atomic.py, `rewrite`), as STATE/unmatched.txt is."""
    rewrite(state.last_report, text)
    if opts.fmt == "json":  # what was just written, read back rather than made again
        _write_json(state, opts)
    else:
        from zi_audit.report.render import render  # HTML and the rest: not for JSON

        text = render(doc, opts.fmt, lang, show_all=opts.show_all)
        if opts.output is not None:
            atomic_write(opts.output, text)
        elif not opts.quiet:
            opts.stdout.write(text)
    gone = len(doc["changes"]["disappeared"]) if "changes" in doc else 0
    if gone:
        print(f"zi-audit: {t('doc.disappeared_alert', lang, n=gone)}", file=opts.stderr)
    if not opts.email:
        return ExitCode.OK
    if config.email is None:  # said before the scan (run); here for the type's sake
        raise ZiAuditError("--email: " + t("mail.no_section", lang))
    from zi_audit.deliver.mail import gap_messages

    messages = gap_messages(doc, config.email, config.owners, lang, config.pics)
    return _send(messages, config, state, opts, log)


def _alert(
    outage: health.Outage,
    pipeline: Pipeline,
    config: Config,
    state: StateDir,
    opts: RunOptions,
    log: RunLog,
) -> ExitCode:
    lang = pipeline.options.lang
    reason = health.describe(outage, pipeline.root, lang)
    print(f"zi-audit: {reason}. {t('outage.advice', lang)}", file=opts.stderr)
    log.line(f"outage: {health.describe(outage, pipeline.root, 'en')}")  # the log is English
    if opts.email and config.email:
        from zi_audit.deliver.mail import outage_message

        message = outage_message(reason, config.email, lang, pipeline.as_of())
        _send([message], config, state, opts, log)
    return ExitCode.OUTAGE


def _send(
    messages: list[EmailMessage], config: Config, state: StateDir, opts: RunOptions, log: RunLog
) -> ExitCode:
    from zi_audit.deliver.mail import deliver, resend, unsent

    if not opts.dry_run and unsent(state):
        # What an earlier night could not send goes first, each message out of unsent/
        # before the next; what still cannot go stays there for the next night.
        earlier = resend(config, state, log, delay=opts.mail_delay)
        if earlier.code != ExitCode.OK:
            print(f"zi-audit: {earlier.message}", file=opts.stderr)
    result = deliver(
        messages,
        config,
        state,
        log,
        dry_run=opts.dry_run,
        delay=opts.mail_delay,
    )
    if result.code != ExitCode.OK:
        print(f"zi-audit: {result.message}", file=opts.stderr)
    elif opts.dry_run and not opts.quiet:
        print(result.message, file=opts.stderr)
    return result.code


def last_document(state: StateDir) -> ReportDoc:
    path = state.last_report
    try:
        text = read_whole(path).decode("utf-8")
    except FileNotFoundError:
        raise ZiAuditError(
            f"no scan has been recorded in {state.path} yet; run zi-audit scan first"
        ) from None
    except (OSError, ValueError) as exc:
        raise ZiAuditError(f"cannot read the last report {path}: {exc}") from None
    from zi_audit.app import readback  # report and email read it back; scan never does

    return readback.read(text, str(path))
