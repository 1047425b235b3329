"""The gap email: building messages (pure) and delivering them (SMTP, with care).

One message goes to the Tim ZI, and one to each component's owner with that
component's gaps: plain text and the HTML report as alternatives, the CSV attached.
Delivery always verifies the server's certificate (Python does not by default),
retries disconnects, time-outs and 4xx replies with backoff, and never retries a
refusal (5xx, bad login, bad recipient). The password is never printed or logged:
no debug output, and error messages carry only the server's reply.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import smtplib
import ssl
import time
from collections.abc import Callable
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from zi_audit.report import render_csv as report_csv
from zi_audit.report import render_html as report_html
from zi_audit.state.atomic import atomic_write
from zi_audit.config import EmailSettings, Owner, Smtp
from zi_audit.report.document import Doc, day, gaps, headline
from zi_audit.errors import ZiAuditError
from zi_audit.i18n import t


class MailError(ZiAuditError):
    exit_code = 5


def _header(text: str) -> str:
    """Header values never carry a line break, whatever a name held."""
    return " ".join(str(text).split())


def for_component(doc: Doc, component: str) -> Doc:
    """The same report narrowed to one component, for its owner."""
    return {
        **doc,
        "indicators": [i for i in doc["indicators"] if i["component"] == component],
        "components": [c for c in doc.get("components", []) if c["id"] == component],
        "due_soon": [
            d for d in doc.get("due_soon", []) if d["indicator"].split(".")[0] == component
        ],
    }


def text_body(doc: Doc, lang: str, intro: str) -> str:
    head = headline(doc)
    lines = [
        intro,
        "",
        f"{head['done']}/{head['planned']} {t('doc.indicators_done', lang)}; {head['missing']} "
        f"{t('status.missing', lang)}; {head['invalid']} {t('status.invalid', lang)}; "
        f"{head['outdated']} {t('status.outdated', lang)}; {head['late']} {t('status.late', lang)}.",
    ]
    changes = doc.get("changes") or {}
    if changes.get("disappeared"):
        lines += ["", "!!! " + t("doc.disappeared_alert", lang, n=len(changes["disappeared"]))]
        lines += [f"  - {p}" for p in changes["disappeared"]]
    if doc.get("due_soon"):
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
            lines.append(
                f"      {t('gap.patterns', lang)}: {', '.join(exp['patterns'] + exp['in_folder'])}"
            )
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


def gap_messages(
    doc: Doc, settings: EmailSettings, owners: tuple[Owner, ...], lang: str
) -> list[EmailMessage]:
    head = headline(doc)
    date = day(doc["as_of"], lang)
    unit = doc.get("plan", {}).get("unit") or doc.get("plan", {}).get("title", "")
    subject = t("mail.subject", lang, prefix=settings.subject_prefix, unit=unit, date=date, **head)
    messages = [
        _message(
            settings,
            list(settings.recipients),
            subject,
            text_body(doc, lang, t("mail.intro", lang, date=date)),
            report_html.render(doc, lang),
            report_csv.render(doc, lang),
            doc["as_of"],
        )
    ]
    names = {c["id"]: c["name"] for c in doc.get("components", [])}
    for owner in owners:
        part = for_component(doc, owner.component)
        count = len(gaps(part))
        if not count and not part["due_soon"]:
            continue  # nothing to do for this owner today
        name = names.get(owner.component, "")
        messages.append(
            _message(
                settings,
                [f"{owner.name} <{owner.email}>" if owner.name else owner.email],
                t(
                    "mail.subject_owner",
                    lang,
                    prefix=settings.subject_prefix,
                    component=owner.component,
                    name=name,
                    gaps=count,
                    date=date,
                ),
                text_body(
                    part,
                    lang,
                    t("mail.intro_owner", lang, component=owner.component, name=name, date=date),
                ),
                report_html.render(part, lang),
                report_csv.render(part, lang),
                doc["as_of"],
            )
        )
    return messages


def outage_message(reason: str, settings: EmailSettings, lang: str, as_of: dt.date) -> EmailMessage:
    date = day(as_of.isoformat(), lang)
    text = f"{reason}\n\n{t('outage.advice', lang)}\n"
    subject = t("mail.subject_outage", lang, prefix=settings.subject_prefix, date=date)
    return _message(
        settings, list(settings.recipients), subject, text, None, None, as_of.isoformat()
    )


def write_eml(messages: list[EmailMessage], folder: Path) -> list[Path]:
    """--dry-run: the messages as .eml files a mail program can open."""
    out = []
    for n, msg in enumerate(messages, 1):
        path = folder / f"{n:02d}-{_slug(msg['To'])}.eml"
        atomic_write(path, bytes(msg))
        out.append(path)
    return out


def _slug(text: str) -> str:
    return (
        "".join(ch if ch.isalnum() else "-" for ch in text.split(",")[0])[:40].strip("-")
        or "message"
    )


# --------------------------------------------------------------------------------------------
# Delivery


def _is_temporary(exc: BaseException) -> bool:
    """Disconnects, time-outs, refused connections and 4xx replies may pass; the rest will not."""
    if isinstance(
        exc, smtplib.SMTPAuthenticationError | smtplib.SMTPNotSupportedError | ssl.SSLError
    ):
        return False
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(exc, OSError)  # socket errors, time-outs, SMTPServerDisconnected


def _describe(exc: BaseException, smtp: Smtp) -> str:
    where = f"{smtp.host}:{smtp.port}"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"{where}: the server's certificate is not trusted ({exc.verify_message}); set email.smtp.ca_file"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return f"{where}: login refused ({exc.smtp_code})"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refused = ", ".join(f"{r} ({code})" for r, (code, _) in exc.recipients.items())
        return f"{where}: recipients refused: {refused}"
    if isinstance(exc, smtplib.SMTPResponseException):
        reply = (
            exc.smtp_error.decode("utf-8", "replace")
            if isinstance(exc.smtp_error, bytes)
            else exc.smtp_error
        )
        return f"{where}: {exc.smtp_code} {reply}"
    return f"{where}: {type(exc).__name__}: {exc}"


def _connect(smtp: Smtp, password: str | None) -> smtplib.SMTP:
    context = ssl.create_default_context(cafile=str(smtp.ca_file) if smtp.ca_file else None)
    if smtp.security == "tls":
        conn: smtplib.SMTP = smtplib.SMTP_SSL(
            smtp.host, smtp.port, timeout=smtp.timeout, context=context
        )
    else:
        conn = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
    try:
        conn.ehlo()
        if smtp.security == "starttls":
            conn.starttls(context=context)
            conn.ehlo()
        if smtp.username:
            conn.login(smtp.username, password or "")
    except BaseException:
        with contextlib.suppress(Exception):
            conn.close()
        raise
    return conn


def send(
    messages: list[EmailMessage],
    settings: EmailSettings,
    password: str | None,
    *,
    delay: float = 5.0,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Deliver every message; returns how many attempts it took. Raises MailError when it cannot."""
    remaining = list(messages)
    attempt = 0
    while True:
        attempt += 1
        try:
            conn = _connect(settings.smtp, password)
            try:
                while remaining:
                    conn.send_message(remaining[0])
                    remaining.pop(0)
            finally:
                with contextlib.suppress(Exception):
                    conn.quit()
            return attempt
        except Exception as exc:
            if not _is_temporary(exc) or attempt > settings.retries:
                raise MailError(f"email not sent: {_describe(exc, settings.smtp)}") from None
            sleep(delay * 2 ** (attempt - 1))
