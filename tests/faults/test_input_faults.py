"""Hostile names, hostile YAML, hostile servers, killed scans: one message, no traceback."""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from tests.helpers import REPO, broken, mail_scan, nightly, pdf_bytes, run_cli
from tests.helpers.smtp_server import free_port

POSIX_BYTES = pytest.mark.skipif(sys.platform != "linux", reason="raw bytes in names are POSIX")


@POSIX_BYTES
def test_names_that_are_not_utf8_reach_every_output_safely(tmp_path: Path) -> None:
    """With history on, adding then removing such a file ended the run in
    UnicodeEncodeError; raw ESC/BEL reached the email's 'disappeared' list."""
    root = tmp_path / "share"
    root.mkdir()
    for n in range(5):
        (root / f"catatan {n}.txt").write_text("x")
    bad = os.fsencode(root) + b"/Pakta Integritas \xff\x1b[31m\x07 2025-08-20.pdf"
    with open(bad, "wb") as fh:
        fh.write(pdf_bytes())
    state = tmp_path / "state"
    log = tmp_path / "zi.log"
    assert nightly(root, state, "--log-file", str(log))[0] == 0
    os.unlink(bad)
    code, out, err = nightly(root, state, "--log-file", str(log))
    assert code == 0, err
    gone = json.loads(out)["changes"]["disappeared"]
    assert gone == ["Pakta Integritas \\xff\\x1b[31m\\x07 2025-08-20.pdf"]
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert "scan" in log.read_text(encoding="utf-8").splitlines()[-1]


def _rules_with(tmp_path: Path, old: str, new: str) -> Path:
    text = (REPO / "rules" / "bukti_fisik.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "rules.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("window: Agustus\n", "window: Agustus-\n", "missing month"),
        ("window: Agustus\n", "window: -Desember\n", "missing month"),
        ("types: [pdf]", "types: [exe]", "not a document"),
        ("  title: Rencana", '  title: "\x07"\n  unit: Rencana', "control characters"),
    ],
)
def test_rule_files_that_looked_fine(tmp_path: Path, old: str, new: str, words: str) -> None:
    code, _, err = run_cli("rules", "check", str(_rules_with(tmp_path, old, new)))
    assert code == 2 and words in err
    assert ".yaml:" in err.split(" ")[1] and err.split(":")[2].strip().isdigit()  # a line


def test_an_alias_bomb_in_a_key_is_refused_at_once(tmp_path: Path) -> None:
    """324 bytes of nested aliases used as a key ran past 90 s at 8 GB."""
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for n, name in enumerate("bcdefgh"):
        prev = "abcdefgh"[n]
        levels.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")
    bomb = "\n".join(levels) + "\n"
    for where, command in (
        ("rules.yaml", ["rules", "check"]),
        ("zi-audit.yaml", ["config", "check", "--config"]),
    ):
        path = tmp_path / where
        path.write_text("plan:\n  " + bomb.replace("\n", "\n  ") + "? *h\n  : 1\n")
        proc = subprocess.run(
            [sys.executable, "-m", "zi_audit", *command, str(path)],
            capture_output=True,
            text=True,
            timeout=60,  # a hang guard, not a timing
        )
        assert proc.returncode == 2 and len(proc.stderr) < 500, proc.stderr[:500]
        assert "Traceback" not in proc.stderr


@pytest.fixture
def trickling_server() -> Iterator[int]:
    """An SMTP server that never finishes its greeting: a '220-' line every half second."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            with conn:
                while not stop.is_set():
                    try:
                        conn.sendall(b"220-masih menyiapkan\r\n")
                    except OSError:
                        break
                    time.sleep(0.5)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        listener.close()
        thread.join(5)


def test_a_trickling_smtp_server_cannot_hold_the_run(
    trickling_server: int, example_tree: Path, tmp_path: Path
) -> None:
    config = tmp_path / "zi-audit.yaml"
    config.write_text(
        f"state: {tmp_path / 'state'}\nemail:\n  sender: zi@kpu.go.id\n  recipients: [t@kpu.go.id]\n"
        f"  deadline: 5\n  retries: 3\n"
        f"  smtp: {{host: 127.0.0.1, port: {trickling_server}, security: plain, timeout: 30}}\n"
    )
    code, _, err = mail_scan(example_tree, config, "--quiet")
    assert code == 5 and "email.deadline" in err
    assert len(list((tmp_path / "state" / "unsent").rglob("*.eml"))) >= 1


@pytest.fixture
def rude_server() -> Iterator[int]:
    """Refuses with a reply full of terminal escape sequences."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()

    def serve() -> None:
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        with conn:
            conn.sendall(b"554 \x1b[2J\x1b[31mditolak\x07\r\n")
            time.sleep(0.5)

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()


def test_a_servers_escape_sequences_never_reach_the_terminal(
    rude_server: int, example_tree: Path, tmp_path: Path
) -> None:
    config = tmp_path / "zi-audit.yaml"
    config.write_text(
        f"state: {tmp_path / 'state'}\nemail:\n  sender: zi@kpu.go.id\n  recipients: [t@kpu.go.id]\n"
        f"  retries: 0\n  smtp: {{host: 127.0.0.1, port: {rude_server}, security: plain}}\n"
    )
    code, _, err = mail_scan(example_tree, config, "--quiet")
    assert code == 5 and "ditolak" in err and "\x1b" not in err and "\x07" not in err


def _jpeg_with_broken_exif() -> bytes:
    """A JPEG whose EXIF IFD claims 4,000 bytes of Make that the block does not hold."""
    ifd = struct.pack("<2sHI", b"II", 42, 8) + struct.pack("<H", 1)
    ifd += struct.pack("<HHII", 0x010F, 2, 4000, 26) + struct.pack("<I", 0)
    app1 = b"Exif\x00\x00" + ifd
    image = Image.new("RGB", (640, 480), (90, 90, 200))
    buf = io.BytesIO()
    image.save(buf, "JPEG")
    data = buf.getvalue()
    return data[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + data[2:]


def test_quiet_means_quiet_even_when_a_reader_warns(tmp_path: Path) -> None:
    root = tmp_path / "share"
    folder = (
        root / "1. Manajemen Perubahan/1.4 Budaya Kerja/1.4.3 Budaya kerja/Tagline Budaya Kerja"
    )
    folder.mkdir(parents=True)
    (folder / "IMG_20250912_101532.jpg").write_bytes(_jpeg_with_broken_exif())
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "zi_audit",
            "scan",
            str(root),
            "--as-of",
            "2025-11-15",
            "--state",
            str(tmp_path / "state"),
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0 and proc.stderr == "" and proc.stdout == ""


def test_workers_die_quietly_with_a_killed_scan(tmp_path: Path) -> None:
    root = tmp_path / "share"
    folder = root / "1. Manajemen Perubahan/1.4 Pola Pikir/1.4.2 Agen Perubahan"
    folder.mkdir(parents=True)
    for n in range(4):
        (folder / f"SK Tim Agen Perubahan {n} 2025-09-10.pdf").write_bytes(broken.slow_pdf())
    errors = tmp_path / "stderr.txt"
    with open(errors, "wb") as fh:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "zi_audit",
                "scan",
                str(root),
                "--as-of",
                "2025-11-15",
                "--state",
                str(tmp_path / "state"),
                "--timeout",
                "30",
            ],
            stdout=subprocess.DEVNULL,
            stderr=fh,
            start_new_session=True,
        )
        time.sleep(3)  # workers are busy with the slow PDFs
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        time.sleep(8)  # the orphans finish their file and find no parent
    assert "Traceback" not in errors.read_text(errors="replace")


def test_an_unreachable_smtp_port_is_not_a_crash(example_tree: Path, tmp_path: Path) -> None:
    config = tmp_path / "zi-audit.yaml"
    config.write_text(
        f"state: {tmp_path / 'state'}\nemail:\n  sender: zi@kpu.go.id\n  recipients: [t@kpu.go.id]\n"
        f"  retries: 0\n  smtp: {{host: 127.0.0.1, port: {free_port()}, security: plain}}\n"
    )
    code, _, err = run_cli("scan", str(example_tree), "--config", str(config), "--email", "--quiet")
    assert code == 5 and "Traceback" not in err
