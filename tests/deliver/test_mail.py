"""Real mail to a real SMTP server on 127.0.0.1: what arrives, retries, refusals, secrets."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from tests.helpers import mail_scan, run_cli, smtp_server
from tests.helpers.smtp_server import PASSWORD, USER, Sink
from zi_audit.config import EmailSettings, Smtp, parse_config
from zi_audit.core.errors import MailError
from zi_audit.deliver.smtp import send
from zi_audit.i18n.words_id import WORDS


@pytest.fixture
def tls_files(tmp_path: Path) -> tuple[Path, Path]:
    return smtp_server.make_certificate(tmp_path)


@pytest.fixture
def starttls_server(tls_files: tuple[Path, Path]) -> Iterator[tuple[Sink, int]]:
    sink = Sink()
    controller = smtp_server.start(sink, tls=tls_files)
    try:
        yield sink, controller.port
    finally:
        controller.stop()


def write_config(tmp_path: Path, port: int, security: str, ca: Path | None) -> Path:
    secret = tmp_path / "smtp-password"
    secret.write_text(PASSWORD + "\n")
    os.chmod(secret, 0o600)
    ca_line = f"    ca_file: {ca}\n" if ca else ""
    path = tmp_path / "zi-audit.yaml"
    path.write_text(
        f"""state: {tmp_path / "state"}
email:
  sender: "zi-audit <zi-audit@kpu-banyuwangikab.go.id>"
  recipients: [tim.zi@kpu-banyuwangikab.go.id, sekretaris@kpu-banyuwangikab.go.id]
  smtp:
    host: 127.0.0.1
    port: {port}
    security: {security}
    username: {USER}
    password_file: {secret}
    timeout: 10
{ca_line}owners:
  "1": {{name: Pokja Satu, email: pokja1@kpu-banyuwangikab.go.id}}
  "6": {{name: Pokja Enam, email: pokja6@kpu-banyuwangikab.go.id}}
  "3": {{name: Pokja Tiga, email: pokja3@kpu-banyuwangikab.go.id}}
"""
    )
    return path


def parts(msg) -> dict[str, object]:
    out: dict[str, object] = {}
    for part in msg.walk():
        if part.get_content_disposition() == "attachment":
            out["attachment"] = (part.get_filename(), part.get_content())
        elif part.get_content_type() in ("text/plain", "text/html"):
            out[part.get_content_type()] = part.get_content()
    return out


def test_gap_report_over_starttls_with_login(
    starttls_server: tuple[Sink, int],
    tls_files: tuple[Path, Path],
    example_tree: Path,
    tmp_path: Path,
) -> None:
    sink, port = starttls_server
    config = write_config(tmp_path, port, "starttls", tls_files[0])
    log = tmp_path / "zi.log"
    code, out, err = mail_scan(
        example_tree,
        config,
        "--quiet",
        "--log-file",
        str(log),
    )
    assert (code, out, err) == (0, "", "")
    assert len(sink.received) == 3  # the Tim ZI, and owners 1 and 6 (component 3 has no gaps yet)
    sender, rcpts, team = sink.received[0]
    assert sender == "zi-audit@kpu-banyuwangikab.go.id"
    assert rcpts == ["tim.zi@kpu-banyuwangikab.go.id", "sekretaris@kpu-banyuwangikab.go.id"]
    assert (
        team["Subject"]
        == "[zi-audit] KPU Kabupaten Banyuwangi 15 November 2025: 8/86 indikator selesai, 3 kurang,"
        " 2 tidak valid · Pemenuhan 3,78/30 · WBK: belum"
    )
    body = parts(team)
    assert "Kekurangan, urut tenggat" in body["text/plain"]
    assert "<!DOCTYPE html>" in body["text/html"] and 'class="bar"' in body["text/html"]
    filename, csv_text = body["attachment"]
    assert filename == "zi-audit-2025-11-15.csv" and "1.1.1" in csv_text
    owners = {tuple(r): m for _, r, m in sink.received[1:]}
    one = owners[("pokja1@kpu-banyuwangikab.go.id",)]
    # Late counts as a gap: 1.1.1 and 1.1.2 (last year's SK) and 1.4.2 (late).
    assert (
        one["Subject"].strip().startswith("[zi-audit] Komponen 1 Manajemen Perubahan: 3 kekurangan")
    )
    assert "6.1.2" not in parts(one)["text/plain"] and "1.1.1" in parts(one)["text/plain"]
    assert ("pokja6@kpu-banyuwangikab.go.id",) in owners
    assert "email: 3 messages sent" in log.read_text()
    assert PASSWORD not in log.read_text()


def test_plain_smtp_with_login_on_localhost(
    plain_server: tuple[Sink, int], example_tree: Path, tmp_path: Path
) -> None:
    sink, port = plain_server
    config = write_config(tmp_path, port, "plain", None)
    code, _, err = mail_scan(
        example_tree,
        config,
        "--quiet",
    )
    assert code == 0, err
    assert len(sink.received) == 3


def test_untrusted_certificate_is_refused(
    starttls_server: tuple[Sink, int], example_tree: Path, tmp_path: Path
) -> None:
    sink, port = starttls_server
    config = write_config(tmp_path, port, "starttls", None)  # the test CA is not trusted
    code, _, err = mail_scan(
        example_tree,
        config,
        "--quiet",
    )
    assert code == 5
    assert "certificate is not trusted" in err
    assert sink.received == []
    unsent = list((tmp_path / "state" / "unsent").rglob("*.eml"))
    assert len(unsent) == 3  # nothing is lost: the messages wait on disk


def test_email_command_keeps_only_what_it_could_not_send(
    plain_server: tuple[Sink, int], example_tree: Path, tmp_path: Path
) -> None:
    """`zi-audit email` delivers the way the nightly run does: what did not go is kept
    in unsent/ (and only that, so a resend duplicates nothing), and the failure is logged."""
    sink, port = plain_server
    config = write_config(tmp_path, port, "plain", None)
    log = tmp_path / "zi.log"
    config.write_text(f"log_file: {log}\n" + config.read_text())
    code, _, err = run_cli(
        "scan", str(example_tree), "--config", str(config), "--as-of", "2025-11-15", "--quiet"
    )
    assert code == 0, err
    sink.accept_only = 1  # the Tim ZI's message goes, the two owners' are refused
    code, _, err = run_cli("email", "--config", str(config))
    assert code == 5 and "554" in err
    assert len(sink.received) == 1
    unsent = sorted((tmp_path / "state" / "unsent").rglob("*.eml"))
    kept = [message_from_bytes(p.read_bytes(), policy=policy.default)["To"] for p in unsent]
    assert kept == [
        "Pokja Satu <pokja1@kpu-banyuwangikab.go.id>",
        "Pokja Enam <pokja6@kpu-banyuwangikab.go.id>",
    ]
    assert "554" in log.read_text() and "unsent" in log.read_text()


def test_email_command_keeps_everything_when_the_server_is_unreachable(
    example_tree: Path, tmp_path: Path
) -> None:
    config = write_config(tmp_path, smtp_server.free_port(), "plain", None)  # nothing listens
    config.write_text(config.read_text().replace("email:\n", "email:\n  retries: 0\n"))
    scan = ("scan", str(example_tree), "--config", str(config), "--as-of", "2025-11-15")
    assert run_cli(*scan, "--quiet")[0] == 0
    code, _, err = run_cli("email", "--config", str(config))
    assert code == 5 and "unsent" in err
    assert len(list((tmp_path / "state" / "unsent").rglob("*.eml"))) == 3


def test_wrong_password_is_final_and_never_shown(
    starttls_server: tuple[Sink, int],
    tls_files: tuple[Path, Path],
    example_tree: Path,
    tmp_path: Path,
) -> None:
    _, port = starttls_server
    config = write_config(tmp_path, port, "starttls", tls_files[0])
    (tmp_path / "smtp-password").write_text("salah-" + PASSWORD)
    log = tmp_path / "zi.log"
    code, out, err = mail_scan(
        example_tree,
        config,
        "--log-file",
        str(log),
    )
    assert code == 5 and "login refused (535)" in err
    for text in (out, err, log.read_text()):
        assert PASSWORD not in text
    for eml in (tmp_path / "state").rglob("*.eml"):
        assert PASSWORD.encode() not in eml.read_bytes()


def settings(port: int, ca: Path, retries: int = 3) -> EmailSettings:
    return EmailSettings(
        smtp=Smtp("127.0.0.1", port, "starttls", USER, ca_file=ca, timeout=10),
        sender="zi@kpu.go.id",
        recipients=("tim@kpu.go.id",),
        retries=retries,
    )


def a_message():
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "zi@kpu.go.id", "tim@kpu.go.id", "uji"
    msg.set_content("isi")
    return msg


def test_temporary_failures_are_retried(
    starttls_server: tuple[Sink, int], tls_files: tuple[Path, Path]
) -> None:
    sink, port = starttls_server
    sink.refuse = ["451 4.3.0 coba lagi nanti", "421 4.7.0 sibuk"]
    waits: list[float] = []
    attempts = send(
        [a_message()], settings(port, tls_files[0]), PASSWORD, delay=0.5, sleep=waits.append
    )
    assert attempts == 3 and len(sink.received) == 1
    assert waits == [0.5, 1.0]  # backoff doubles


def test_permanent_refusal_is_not_retried(
    starttls_server: tuple[Sink, int], tls_files: tuple[Path, Path]
) -> None:
    sink, port = starttls_server
    sink.refuse = ["554 5.7.1 ditolak"]
    waits: list[float] = []
    with pytest.raises(MailError, match=r"554 5\.7\.1 ditolak"):
        send([a_message()], settings(port, tls_files[0]), PASSWORD, delay=0.5, sleep=waits.append)
    assert waits == [] and sink.received == []


def test_server_down_gives_up_after_retries(tls_files: tuple[Path, Path]) -> None:
    port = smtp_server.free_port()  # nothing listens there
    waits: list[float] = []
    with pytest.raises(MailError, match=r"127\.0\.0\.1"):
        send(
            [a_message()],
            settings(port, tls_files[0], retries=2),
            PASSWORD,
            delay=0.1,
            sleep=waits.append,
        )
    assert waits == [0.1, 0.2]


def test_dry_run_writes_eml_files(example_tree: Path, tmp_path: Path) -> None:
    config = write_config(tmp_path, 2525, "starttls", None)
    code, _, err = mail_scan(
        example_tree,
        config,
        "--dry-run",
        "--quiet",
    )
    assert code == 0, err
    emls = sorted((tmp_path / "state" / "outbox").rglob("*.eml"))
    assert len(emls) == 3
    msg = message_from_bytes(emls[0].read_bytes(), policy=policy.default)
    assert msg["To"].startswith("tim.zi@") and msg.is_multipart()
    code, out, _ = run_cli("email", "--config", str(config), "--dry-run")  # from the last scan
    assert code == 0 and out.count(".eml") == 3


def test_outage_alert_instead_of_a_gap_report(
    plain_server: tuple[Sink, int], tmp_path: Path
) -> None:
    sink, port = plain_server
    config = write_config(tmp_path, port, "plain", None)
    # The configuration names the share: its absence is an outage, not a typing mistake.
    config.write_text(f"root: {tmp_path / 'tidak-terpasang'}\n" + config.read_text())
    code, _, _ = run_cli("scan", "--config", str(config), "--email", "--quiet")
    assert code == 3
    assert len(sink.received) == 1
    assert "PERINGATAN" in sink.received[0][2]["Subject"]


def test_hostile_names_cannot_reach_headers(plain_server: tuple[Sink, int], tmp_path: Path) -> None:
    sink, port = plain_server
    share = tmp_path / "share"
    share.mkdir()
    (share / "Pakta Integritas\r\nBcc: korban@example.com.pdf").write_bytes(b"")
    config = write_config(tmp_path, port, "plain", None)
    code, _, err = mail_scan(share, config, "--quiet")
    assert code == 0, err
    for _, rcpts, msg in sink.received:
        assert "korban@example.com" not in rcpts
        assert "Bcc" not in msg and all("\n" not in v for v in msg.values())


def test_config_plain_to_a_remote_host_is_refused(tmp_path: Path) -> None:
    text = (
        write_config(tmp_path, 25, "plain", None)
        .read_text()
        .replace("127.0.0.1", "mail.example.go.id")
    )
    with pytest.raises(Exception, match="only allowed to a server on this machine"):
        parse_config(text, tmp_path / "x.yaml")


def _dry_run_messages(tmp_path: Path) -> list[EmailMessage]:
    emls = sorted((tmp_path / "state" / "outbox").rglob("*.eml"))
    return [message_from_bytes(p.read_bytes(), policy=policy.default) for p in emls]


def _plain(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


def test_an_ended_plan_is_said_plainly_and_owners_are_not_mailed(
    example_tree: Path, tmp_path: Path
) -> None:
    config = write_config(tmp_path, 2525, "plain", None)
    scan = ("scan", str(example_tree), "--config", str(config), "--email", "--dry-run")
    code, out, err = run_cli(*scan, "--as-of", "2026-01-15")
    assert code == 0, err
    assert "Masa Rencana Aksi 2025 telah berakhir" in out.splitlines()[0]
    messages = _dry_run_messages(tmp_path)
    assert len(messages) == 1  # the Tim ZI only: no nightly 'everything is overdue' per PIC
    assert "Rencana Aksi 2025 berakhir" in messages[0]["Subject"]
    assert "Masa Rencana Aksi 2025 telah berakhir" in _plain(messages[0])
    html = messages[0].get_body(("html",))
    assert html is not None and "Masa Rencana Aksi 2025 telah berakhir" in html.get_content()

    config.write_text(
        config.read_text().replace("email:\n", "email:\n  owners_after_plan_end: true\n")
    )
    shutil.rmtree(tmp_path / "state" / "outbox")
    assert run_cli(*scan, "--as-of", "2026-01-15")[0] == 0
    assert len(_dry_run_messages(tmp_path)) == 4


def test_a_pic_gets_their_own_part_and_the_tim_zi_sees_every_gaps_pic(
    example_tree: Path, tmp_path: Path
) -> None:
    config = write_config(tmp_path, 2525, "plain", None)
    code, out, err = mail_scan(example_tree, config, "--dry-run", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    tim, satu = _dry_run_messages(tmp_path)[:2]
    assert satu["To"] == "Pokja Satu <pokja1@kpu-banyuwangikab.go.id>"
    one = next(c for c in doc["components"] if c["id"] == "1")
    text = _plain(satu)
    assert f"{one['done']}/{one['planned']} indikator selesai" in text
    assert "5.5.1" not in text and "6.1.1" not in text  # other components' gaps
    tim_text = _plain(tim)
    assert "PIC: Pokja Satu" in tim_text and "PIC: Pokja Enam" in tim_text
    assert all(i.get("pic") for i in doc["indicators"] if i["component"] in ("1", "3", "6"))


def test_resend_sends_what_waits_and_each_leaves_unsent_once_accepted(
    plain_server: tuple[Sink, int], example_tree: Path, tmp_path: Path
) -> None:
    """#21.8: `email --resend` sends unsent/; a message the server accepted leaves unsent/
    before the next goes, so a refusal half-way keeps exactly what did not go."""
    sink, port = plain_server
    config = write_config(tmp_path, port, "plain", None)
    scan = ("scan", str(example_tree), "--config", str(config), "--as-of", "2025-11-15")
    assert run_cli(*scan, "--quiet")[0] == 0
    sink.accept_only = 0  # everything refused: all three wait in unsent/
    assert run_cli("email", "--config", str(config))[0] == 5
    waiting = tmp_path / "state" / "unsent"
    assert len(list(waiting.rglob("*.eml"))) == 3
    sink.accept_only = 1  # the first of the three goes, then the server refuses again
    code, _, err = run_cli("email", "--config", str(config), "--resend")
    assert code == 5 and "2 messages still kept" in err
    assert len(sink.received) == 1 and len(list(waiting.rglob("*.eml"))) == 2
    sink.accept_only = None
    code, _, err = run_cli("email", "--config", str(config), "--resend")
    assert code == 0 and "2 messages sent" in err
    assert len(sink.received) == 3 and not list(waiting.rglob("*.eml"))
    tos = sorted(m["To"] for _, _, m in sink.received)
    assert len(set(tos)) == 3  # each once: nothing sent twice
    code, _, err = run_cli("email", "--config", str(config), "--resend")
    assert code == 0 and "unsent/" in err


def test_the_next_nightly_run_sends_what_an_earlier_one_kept(
    plain_server: tuple[Sink, int], example_tree: Path, tmp_path: Path
) -> None:
    sink, port = plain_server
    config = write_config(tmp_path, port, "plain", None)
    sink.accept_only = 0
    assert mail_scan(example_tree, config, "--quiet")[0] == 5
    sink.accept_only = None
    code, _, err = mail_scan(example_tree, config, "--quiet")
    assert code == 0, err
    assert len(sink.received) == 6  # last night's three, then tonight's three
    assert not list((tmp_path / "state" / "unsent").rglob("*.eml"))


def test_a_run_that_stops_early_is_logged_and_mailed_to_the_admin(
    plain_server: tuple[Sink, int], example_tree: Path, tmp_path: Path
) -> None:
    """#21.7: no state directory (here: a file in its place) stops the nightly run before
    it scans; the log says so in the plan's zone, the admin gets a message, and the outage
    alert goes to the admin as well as the Tim ZI."""
    sink, port = plain_server
    config = write_config(tmp_path, port, "plain", None)
    log = tmp_path / "zi.log"
    text = config.read_text().replace(
        "email:\n", "email:\n  admin: admin@kpu-banyuwangikab.go.id\n"
    )
    (tmp_path / "state").write_text("not a folder")
    config.write_text(f"log_file: {log}\n" + text)
    code, _, err = mail_scan(example_tree, config, "--quiet")
    assert code == 2 and "Traceback" not in err
    line = log.read_text(encoding="utf-8").splitlines()[0]
    assert " WIB stopped: " in line and "Error" not in line
    assert [m["To"] for _, _, m in sink.received] == ["admin@kpu-banyuwangikab.go.id"]
    assert "BERHENTI" in sink.received[0][2]["Subject"]
    (tmp_path / "state").unlink()
    config.write_text(f"root: {tmp_path / 'tidak-terpasang'}\n" + config.read_text())
    assert run_cli("scan", "--config", str(config), "--email", "--quiet")[0] == 3
    alert = sink.received[-1][2]
    assert "PERINGATAN" in alert["Subject"] and "admin@kpu-banyuwangikab.go.id" in alert["To"]
    assert "tim.zi@kpu-banyuwangikab.go.id" in alert["To"]


def test_log_lines_say_one_message_and_no_exception_class(
    example_tree: Path, tmp_path: Path
) -> None:
    config = write_config(tmp_path, smtp_server.free_port(), "plain", None)  # nothing listens
    log = tmp_path / "zi.log"
    text = config.read_text().replace("email:\n", "email:\n  retries: 0\n")
    config.write_text(f"log_file: {log}\n" + text.split("owners:")[0])
    assert mail_scan(example_tree, config, "--quiet")[0] == 5
    said = log.read_text(encoding="utf-8")
    assert "connection refused" in said and "Error" not in said, said
    assert "1 message" in said and "1 messages" not in said


def test_words_the_team_uses_and_lost_evidence_first(
    plain_server: tuple[Sink, int], example_tree: Path, tmp_path: Path
) -> None:
    """#21.2: the Hasil line names what is missing and who records it (no config keys);
    a first report has no "since the scan of -"; evidence that vanished leads the text
    email and is in its subject."""
    sink, port = plain_server
    config = write_config(tmp_path, port, "plain", None)
    config.write_text(config.read_text().split("owners:")[0])
    assert mail_scan(example_tree, config, "--history", "--quiet")[0] == 0
    first = sink.received[0][2]
    html = first.get_body(("html",))
    assert html is not None and "pemindaian -" not in str(html.get_content())
    text = _plain(first)
    assert "ipak," not in text and "bagian lke" not in text
    assert "IPAK (Survei Persepsi Anti Korupsi)" in text and "admin zi-audit" in text
    gone = next(example_tree.rglob("*.pdf"))
    gone.unlink()
    assert mail_scan(example_tree, config, "--dry-run", "--history", "--quiet")[0] == 0
    (message,) = _dry_run_messages(tmp_path)
    assert message["Subject"].startswith("BUKTI HILANG: 1 berkas")
    text = _plain(message)
    assert text.index("tidak ditemukan") < text.index("WBK")
    # #21.1: the score over time, as a table in the text part and a picture in the HTML part
    assert "Pemenuhan dari pemindaian ke pemindaian:" in text
    html = message.get_body(("html",))
    assert html is not None and "<polyline" in str(html.get_content())


def test_outage_words_are_indonesian() -> None:
    """ "share tidak terpasang" mixed two languages in one alert."""
    assert not [k for k, v in WORDS.items() if k.startswith(("outage.", "cc.")) and "share" in v]
