"""The gap email: building the messages (pure), and the one way they are delivered.

One message goes to the Tim ZI, and one to each component's owner with that
component's gaps: plain text and the HTML report as alternatives, the CSV attached.
`deliver` is used by the nightly run and by `zi-audit email` alike: a dry run writes
the messages to the outbox; a send that fails keeps them in `unsent/` and logs why.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any, NamedTuple

from zi_audit.config import Config, EmailSettings, Owner, read_password
from zi_audit.core.errors import ExitCode, MailError, ZiAuditError
from zi_audit.core.schema import ReportDoc
from zi_audit.deliver.runlog import RunLog, messages_en
from zi_audit.i18n import problem, t
from zi_audit.report import render_csv, render_html
from zi_audit.report.document import (
    day,
    done_text,
    gaps,
    headline,
    invalid_files,
    pic_of,
    plan_ended,
    unmatched_files,
    unreadable_alert,
)
from zi_audit.report.lke_charts import trend_text
from zi_audit.report.lke_view import subject_part, text_block
from zi_audit.report.narrow import for_component, for_pic
from zi_audit.report.render_text import changes_text
from zi_audit.state.paths import UNSENT, StateDir
from zi_audit.util.atomic import atomic_write

# Unmatched files listed in a message's text part; the CSV attachment and the HTML part
# list them all (a mis-set root can leave tens of thousands).
MAX_LISTED = 200


def _header(text: str) -> str:
    """Header values never carry a line break, whatever a name held."""
    return " ".join(str(text).split())


def text_body(doc: ReportDoc, lang: str, intro: str) -> str:
    head = headline(doc)
    ended = plan_ended(doc, lang)
    blind = unreadable_alert(doc, lang)
    changes = doc.get("changes")
    gone = len(changes["disappeared"]) if changes else 0
    lines = [
        *([f"!!! {ended}", ""] if ended else []),
        *([f"!!! {blind}", ""] if blind else []),
        # Evidence that vanished is the first thing the Tim ZI must read, not line forty.
        *(["!!! " + t("doc.disappeared_alert", lang, n=gone), ""] if gone else []),
        intro,
        "",
        f"{done_text(doc['summary'], lang)}; {head['missing']} "
        f"{t('status.missing', lang)}; {head['invalid']} {t('status.invalid', lang)}; "
        f"{head['outdated']} {t('status.outdated', lang)}; {head['late']} {t('status.late', lang)}.",
    ]
    if changes is not None:
        lines += ["", *changes_text(doc, lang)]
    lines += ["", *text_block(doc, lang), *trend_text(doc.get("trend", []), lang)]
    if doc["due_soon"]:
        lines += ["", t("doc.due_soon", lang) + ":"]
        for d in doc["due_soon"]:
            mark = "!!" if d["level"] == 1 else "!" if d["level"] == 7 else "-"
            lines.append(
                f"  {mark} {d['indicator']} {d['name']} ({day(d['deadline'], lang)}) — {d['folder']}/"
            )
    pairs = gaps(doc)
    if pairs:
        lines += ["", t("doc.gaps", lang) + ":"]
        for ind, ev in pairs:
            exp = ev["expected"]
            lines.append(
                f"  [{t('status.' + ev['status'], lang)}] {ind['id']} {ev['name']} ({day(ev['due']['end'], lang)})"
            )
            lines.append(f"      {t('gap.folder', lang)}: {exp['folder']}/")
            if pic_of(ind, ev):
                lines.append(f"      {t('doc.pic', lang)}: {pic_of(ind, ev)}")
            lines.append(
                f"      {t('gap.patterns', lang)}: {', '.join(exp['patterns'] + exp['in_folder'])}"
            )
    bad = invalid_files(doc)
    if bad:
        lines += ["", t("doc.invalid", lang) + ":"]
        for f in bad:
            why = ", ".join(problem(p, lang) for p in f["problems"])
            lines.append(f"  - {f['path']} — {why}")
    unmatched = unmatched_files(doc)
    if unmatched:
        lines += ["", t("head.unmatched", lang, n=len(unmatched)) + ":"]
        for path, hint in unmatched[:MAX_LISTED]:
            lines.append(f"  - {path}" + (f" → {t('head.suggest', lang)} {hint}" if hint else ""))
        if len(unmatched) > MAX_LISTED:
            lines.append("  " + t("gap.more", lang, n=len(unmatched) - MAX_LISTED))
    lines += ["", t("mail.attachment", lang)]
    return "\n".join(lines) + "\n"


def _message(
    settings: EmailSettings,
    to: list[str],
    subject: str,
    text: str,
    html: str | None,
    csv: str | None,
    as_of: str,
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = settings.sender
    msg["To"] = ", ".join(to)
    msg["Subject"] = _header(subject)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=settings.sender.rsplit("@", 1)[-1].rstrip(">"))
    msg.set_content(text)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    if csv is not None:
        msg.add_attachment(
            csv.encode("utf-8"), maintype="text", subtype="csv", filename=f"zi-audit-{as_of}.csv"
        )
    return msg


def _report_message(
    settings: EmailSettings, to: str, subject: str, doc: ReportDoc, lang: str, intro: str
) -> EmailMessage:
    """A gap report: the text, the HTML page and the CSV of one (narrowed) document."""
    text = text_body(doc, lang, intro)
    html, csv = render_html.render(doc, lang), render_csv.render(doc, lang)
    return _message(settings, [to], subject, text, html, csv, doc["as_of"])


def gap_messages(
    doc: ReportDoc,
    settings: EmailSettings,
    owners: tuple[Owner, ...],
    lang: str,
    pics: dict[str, str] | None = None,
) -> list[EmailMessage]:
    """One message for the Tim ZI; one per component owner with that component's gaps; one
    per PIC the rule file names (`pics` in the configuration) with the gaps they answer for."""
    date = day(doc["as_of"], lang)
    unit = doc["plan"]["unit"] or doc["plan"]["title"]
    prefix = settings.subject_prefix
    subject = t("mail.subject", lang, prefix=prefix, unit=unit, date=date, **headline(doc))
    subject += subject_part(doc, lang)
    gone = len(doc["changes"]["disappeared"]) if "changes" in doc else 0
    if gone:
        subject = t("mail.gone", lang, n=gone) + " — " + subject
    blind = sum(1 for p in doc["problems"] if p["code"] == "unreadable" and p["path"])
    if blind:
        subject += " — " + t("mail.unreadable", lang, n=blind)
    ended = doc["plan"].get("ended", False)
    if ended:
        subject += " — " + t("mail.plan_ended", lang, year=doc["plan"]["year"])
    tim = ", ".join(settings.recipients)
    messages = [
        _report_message(settings, tim, subject, doc, lang, t("mail.intro", lang, date=date))
    ]
    if ended and not settings.owners_after_plan_end:
        return messages  # every item of an ended plan is overdue: no nightly mail to each PIC
    names = {c["id"]: c["name"] for c in doc["components"]}
    parts: list[tuple[str, ReportDoc, dict[str, str]]] = [
        (
            f"{o.name} <{o.email}>" if o.name else o.email,
            for_component(doc, o.component),
            {"kind": "owner", "component": o.component, "name": names.get(o.component, "")},
        )
        for o in owners
    ]
    parts += [
        (f"{pic} <{a}>", for_pic(doc, pic), {"kind": "pic", "pic": pic})
        for pic, a in (pics or {}).items()
    ]
    for to, part, words in parts:
        count = len(gaps(part))
        if not count and not part["due_soon"]:
            continue  # nothing to do for this person today
        kind = words.pop("kind")
        subject = t(f"mail.subject_{kind}", lang, prefix=prefix, gaps=count, date=date, **words)
        intro = t(f"mail.intro_{kind}", lang, date=date, **words)
        messages.append(_report_message(settings, to, subject, part, lang, intro))
    return messages


def outage_message(reason: str, settings: EmailSettings, lang: str, as_of: dt.date) -> EmailMessage:
    """The share is out: the Tim ZI learns why there is no report, the admin what to mend."""
    date = day(as_of.isoformat(), lang)
    text = f"{reason}\n\n{t('outage.advice', lang)}\n"
    subject = t("mail.subject_outage", lang, prefix=settings.subject_prefix, date=date)
    to = list(dict.fromkeys([*settings.recipients, *settings.admin]))
    return _message(settings, to, subject, text, None, None, as_of.isoformat())


def stopped_message(reason: str, settings: EmailSettings, lang: str, when: str) -> EmailMessage:
    """A nightly run that stopped before it scanned (no state directory, no rules): the
    admin is told, or the Tim ZI where no admin is named, so it never fails silently."""
    subject = t("mail.subject_stopped", lang, prefix=settings.subject_prefix)
    text = t("mail.stopped", lang, when=when, reason=reason) + "\n"
    to = list(settings.admin or settings.recipients)
    return _message(settings, to, subject, text, None, None, when[:10])


def write_eml(messages: list[EmailMessage], folder: Path) -> list[Path]:
    """--dry-run: the messages as .eml files a mail program can open."""
    out = []
    for n, msg in enumerate(messages, 1):
        path = folder / f"{n:02d}-{_slug(msg['To'])}.eml"
        atomic_write(path, bytes(msg), private=True)
        out.append(path)
    return out


def _slug(text: str) -> str:
    return (
        "".join(ch if ch.isalnum() else "-" for ch in text.split(",")[0])[:40].strip("-")
        or "message"
    )


class Delivery(NamedTuple):
    code: ExitCode
    message: str  # for the user's terminal: what happened, where the messages are
    paths: tuple[Path, ...] = ()


def deliver(
    messages: list[EmailMessage],
    config: Config,
    state: StateDir,
    log: RunLog,
    *,
    dry_run: bool = False,
    delay: float = 5.0,
    sleep: Callable[[float], None] | None = None,
) -> Delivery:
    """Send, or with `dry_run` write to the outbox; keep in `unsent/` what could not go."""
    if config.email is None:
        raise ZiAuditError("the configuration has no 'email' section (see README, Nightly scan)")
    if dry_run:
        paths = tuple(write_eml(messages, state.outbox()))
        log.line(f"dry run: {messages_en(len(paths))} written to {paths[0].parent}")
        return Delivery(ExitCode.OK, "\n".join(str(p) for p in paths), paths)
    try:
        password = read_password(config.email.smtp, config.path)
        from zi_audit.deliver import smtp  # smtplib and ssl: only for a run that sends

        smtp.send(messages, config.email, password, delay=delay, sleep=sleep)
    except ZiAuditError as exc:
        undelivered = exc.undelivered if isinstance(exc, MailError) else None
        try:
            kept = tuple(
                write_eml(messages if undelivered is None else undelivered, state.unsent())
            )
        except OSError as lost:  # a read-only or full state directory: say both, plainly
            said = f"{exc}; the email was not delivered, and could not be kept either ({lost.strerror}: {state.path / 'unsent'})"
            log.line(said)
            return Delivery(ExitCode.MAIL, said, ())
        log.line(f"{exc}; {messages_en(len(kept))} kept in {kept[0].parent}")
        error = MailError(f"{exc}; the messages are kept in {kept[0].parent}")
        return Delivery(ExitCode.MAIL, str(error), kept)
    log.line(f"email: {messages_en(len(messages))} sent")
    return Delivery(ExitCode.OK, f"{messages_en(len(messages))} sent")


def unsent(state: StateDir) -> list[Path]:
    """The messages an earlier delivery kept, oldest first."""
    folder = state.path / UNSENT
    return sorted(folder.glob("*/*.eml")) if folder.is_dir() else []


def resend(config: Config, state: StateDir, log: RunLog, **kw: Any) -> Delivery:
    """Send what `unsent/` holds. Each message leaves `unsent/` as soon as the server has
    accepted it, before the next is sent: only a crash in that instant sends one twice,
    and none is ever lost. What still cannot go stays, and is tried again next time."""
    paths = unsent(state)
    if not paths:
        return Delivery(ExitCode.OK, "", ())
    if config.email is None:
        raise ZiAuditError("the configuration has no 'email' section (see README, Nightly scan)")
    parser = BytesParser(policy=policy.default)
    pending: dict[int, Path] = {}
    messages: list[EmailMessage] = []
    for path in paths:
        msg = parser.parsebytes(path.read_bytes())
        pending[id(msg)] = path
        messages.append(msg)

    def sent(msg: EmailMessage) -> None:
        path = pending.pop(id(msg))
        path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            path.parent.rmdir()  # that delivery's folder, once empty

    try:
        password = read_password(config.email.smtp, config.path)
        from zi_audit.deliver import smtp

        smtp.send(messages, config.email, password, on_sent=sent, **kw)
    except ZiAuditError as exc:
        left = messages_en(len(pending))
        log.line(f"{exc}; {left} still kept in {state.path / UNSENT}")
        return Delivery(ExitCode.MAIL, f"{exc}; {left} still kept in {state.path / UNSENT}")
    log.line(f"email: {messages_en(len(paths))} sent from {state.path / UNSENT}")
    return Delivery(ExitCode.OK, f"{messages_en(len(paths))} sent", tuple(paths))
