"""Sending mail over SMTP, with care.

Delivery always verifies the server's certificate (Python does not by default),
retries disconnects, time-outs and 4xx replies with backoff, and never retries a
refusal (5xx, bad login, bad recipient). The password is never printed or logged:
no debug output, and error messages carry only the server's reply.
"""

from __future__ import annotations

import contextlib
import smtplib
import socket
import ssl
import threading
import time
from collections.abc import Callable
from email.message import EmailMessage

from zi_audit.config import EmailSettings, Smtp
from zi_audit.core.errors import MailError
from zi_audit.util.textnorm import display


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


def describe(exc: BaseException, smtp: Smtp) -> str:
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
        return f"{where}: {exc.smtp_code} {display(reply)}"  # a server's words may hold escapes
    return f"{where}: {_plain(exc)}"


def _plain(exc: BaseException) -> str:
    """What went wrong in an admin's words, never a Python class name."""
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return "the server closed the connection"
    if isinstance(exc, TimeoutError | socket.timeout):
        return "no answer from the server in time"
    if isinstance(exc, socket.gaierror):
        return "the server's name cannot be found (DNS)"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused (is the mail server running on that port?)"
    if isinstance(exc, OSError) and exc.strerror:
        return display(exc.strerror)
    return display(str(exc)) or "the connection failed"


class Deadline:
    """One deadline over a whole delivery. A server that trickles `220-` lines, or answers
    every 30 s, keeps each read inside the socket's timeout; only shutting the socket down
    from a timer ends it. Every socket a delivery opens is registered here."""

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds
        self.passed = False
        self.sock: socket.socket | None = None
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        return max(0.0, self.at - time.monotonic())

    def watch(self, sock: socket.socket) -> socket.socket:
        self.sock = sock
        if self.passed:
            self._fire()
        return sock

    def _fire(self) -> None:
        self.passed = True
        if self.sock is not None:
            with contextlib.suppress(OSError):
                self.sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()


def _smtp_class(base: type[smtplib.SMTP], deadline: Deadline | None) -> type[smtplib.SMTP]:
    if deadline is None:
        return base
    watch = deadline

    class Watched(base):  # type: ignore[valid-type,misc]
        def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
            sock = super()._get_socket(host, port, min(timeout, watch.remaining() or 0.1))
            return watch.watch(sock)

    return Watched


def connect(smtp: Smtp, password: str | None, deadline: Deadline | None = None) -> smtplib.SMTP:
    context = ssl.create_default_context(cafile=str(smtp.ca_file) if smtp.ca_file else None)
    if smtp.security == "tls":
        cls = _smtp_class(smtplib.SMTP_SSL, deadline)
        conn: smtplib.SMTP = cls(smtp.host, smtp.port, timeout=smtp.timeout, context=context)  # type: ignore[call-arg]
    else:
        conn = _smtp_class(smtplib.SMTP, deadline)(smtp.host, smtp.port, timeout=smtp.timeout)
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
    sleep: Callable[[float], None] | None = None,
    on_sent: Callable[[EmailMessage], None] | None = None,
) -> int:
    """Deliver every message; returns how many attempts it took. Raises MailError when it
    cannot, or when the whole delivery passes `settings.deadline` seconds. `on_sent` is
    called for each message the server accepted, before the next one is sent."""
    remaining = list(messages)
    deadline = Deadline(settings.deadline)
    try:
        return _attempts(remaining, settings, password, delay, sleep, deadline, on_sent)
    finally:
        deadline.cancel()


def _attempts(
    remaining: list[EmailMessage],
    settings: EmailSettings,
    password: str | None,
    delay: float,
    sleep: Callable[[float], None] | None,
    deadline: Deadline,
    on_sent: Callable[[EmailMessage], None] | None,
) -> int:
    attempt = 0
    while True:
        attempt += 1
        try:
            conn = connect(settings.smtp, password, deadline)
            try:
                while remaining:
                    conn.send_message(remaining[0])
                    done = remaining.pop(0)
                    if on_sent is not None:
                        on_sent(done)
            finally:
                with contextlib.suppress(Exception):
                    conn.quit()
            return attempt
        except Exception as exc:
            wait = delay * 2 ** (attempt - 1)
            late = deadline.passed or wait >= deadline.remaining()
            if not _is_temporary(exc) or attempt > settings.retries or late:
                why = (
                    f"{settings.smtp.host}:{settings.smtp.port}: no delivery within "
                    f"{settings.deadline:g} s (email.deadline)"
                    if deadline.passed
                    else describe(exc, settings.smtp)
                )
                error = MailError(f"email not sent: {why}")
                error.undelivered = list(remaining)
                raise error from None
            (sleep or time.sleep)(wait)
