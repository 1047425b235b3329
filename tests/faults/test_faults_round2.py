"""Faults, round 2 (#24): what the first fault wave left open, each as an attacker or a
careless admin would meet it. Every test here failed on 1ace120."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def _zi(*args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zi_audit", *args], capture_output=True, text=True, timeout=timeout
    )


@pytest.mark.parametrize("make", ["missing", "file"])
def test_watch_on_a_typed_path_that_is_no_folder_is_a_usage_error(
    tmp_path: Path, make: str
) -> None:
    """It waited forever ('tidak dapat dijangkau; menunggu…'); scan exits 2 for the same path."""
    target = tmp_path / "bukti"
    if make == "file":
        target.write_text("bukan folder")
    done = _zi("watch", str(target), "--state", str(tmp_path / "s"), timeout=20)
    assert done.returncode == 2, done.stderr
    assert str(target) in done.stderr and "Traceback" not in done.stderr


def test_an_emptied_history_stops_the_run_with_the_move_aside_message(tmp_path: Path) -> None:
    """A 0-byte history.sqlite3 was taken for a new one: history restarted silently."""
    from tests.helpers import nightly, pdf_bytes, write_tree

    root = write_tree(tmp_path / "share", {"Pakta Integritas 2025-08-20.pdf": pdf_bytes()})
    state = tmp_path / "state"
    assert nightly(root, state)[0] == 0
    (state / "history.sqlite3").write_bytes(b"")
    code, _, err = nightly(root, state)
    assert code == 2 and "empty (0 bytes)" in err and "move it aside" in err
    assert (state / "history.sqlite3").stat().st_size == 0  # left as it is


def _capped() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20))


def test_an_alias_bomb_as_a_key_under_owners_is_refused_at_once(tmp_path: Path) -> None:
    """9 levels of aliases as an owners key ran 56 s to 5.3 GB, then a MemoryError."""
    levels = ["&l0 [x, x, x, x, x, x, x, x, x]"]
    levels += [f"&l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, 10)]
    config = tmp_path / "zi-audit.yaml"
    config.write_text(f"owners:\n  ? [{', '.join(levels)}]\n  : {{email: a@b.go.id}}\n")
    done = subprocess.run(
        [sys.executable, "-m", "zi_audit", "config", "check", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=30,
        preexec_fn=_capped,
    )
    assert done.returncode == 2, done.stderr[:500]
    assert "owners" in done.stderr and len(done.stderr) < 500


@pytest.mark.parametrize("key", ["password_env", "password_file"])
def test_a_password_written_where_its_source_belongs_is_never_echoed(
    tmp_path: Path, key: str
) -> None:
    """Written by mistake as the value of password_env or password_file, the password was
    printed by config check, on scan --email's stderr and in the log file."""
    from tests.helpers import run_cli

    secret = "Hunter2-rahasia"
    log = tmp_path / "zi.log"
    config = tmp_path / "zi-audit.yaml"
    config.write_text(
        f"state: {tmp_path / 'state'}\nlog_file: {log}\nemail:\n  sender: a@b.go.id\n"
        f"  recipients: [c@d.go.id]\n  smtp: {{host: 127.0.0.1, security: plain, username: zi,"
        f" {key}: {secret}}}\n"
    )
    (tmp_path / "share").mkdir()
    (tmp_path / "share" / "x.pdf").write_bytes(b"%PDF-1.4\n")
    code, out, err = run_cli("config", "check", "--config", str(config))
    assert code == 2 and secret not in out + err
    code, out, err = run_cli("scan", str(tmp_path / "share"), "--config", str(config), "--email")
    assert code in (2, 5) and secret not in out + err  # refused, or the mail kept unsent
    assert not log.exists() or secret not in log.read_text()


def test_explain_on_a_file_600_folders_deep(tmp_path: Path) -> None:
    """explain ended in a RecursionError in the matcher (scan handles 2,000)."""
    from tests.helpers import pdf_bytes, run_cli

    root = tmp_path / "share"
    deep = root.joinpath(*["d"] * 600)
    deep.mkdir(parents=True)
    (deep / "SK Tim Kerja ZI 2025-08-10.pdf").write_bytes(pdf_bytes())
    code, out, err = run_cli(
        "explain",
        str(deep / "SK Tim Kerja ZI 2025-08-10.pdf"),
        "--root",
        str(root),
        "--state",
        str(tmp_path / "s"),
    )
    assert code == 0, err
    assert "1.1.1" in out and "Traceback" not in err


def test_a_jpeg_whose_header_claims_more_pixels_than_its_data_is_truncated(tmp_path: Path) -> None:
    """9000 x 9000 in the header over 640 x 480 of data was valid: libjpeg fills in gray."""
    import io
    import struct

    from PIL import Image

    from zi_audit.inspection.judge import judge

    buf = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 100, 50)).save(buf, "JPEG")
    data = bytearray(buf.getvalue())
    sof = data.find(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", 9000, 9000)
    photo = tmp_path / "foto.jpg"
    photo.write_bytes(bytes(data))
    verdict = judge(str(photo), "jpg", len(data))
    assert not verdict.valid and verdict.problems == ["truncated"]
    honest = tmp_path / "utuh.jpg"
    honest.write_bytes(buf.getvalue())
    assert judge(str(honest), "jpg", len(buf.getvalue())).valid


def test_a_link_to_a_fifo_says_what_it_is(tmp_path: Path) -> None:
    """It was reported as link_broken, 'a link to nothing'."""
    import os

    from tests.helpers import scan_json

    root = tmp_path / "share"
    root.mkdir()
    os.mkfifo(root / "pipa")
    (root / "SK Tim ZI 2025.pdf").symlink_to(root / "pipa")
    doc = scan_json(root, "2025-11-15", "--state", str(tmp_path / "s"))
    problems = {p["path"]: p["code"] for p in doc["problems"]}
    assert problems["SK Tim ZI 2025.pdf"] == "link_special"


def test_a_window_that_runs_backward_is_refused_with_how_to_write_it() -> None:
    """'Agt sd Des dan Jan' was read as 1 January - 31 December."""
    from zi_audit.rules.periods import WindowError, parse_window

    with pytest.raises(WindowError, match="list the months in order"):
        parse_window("Agt sd Des dan Jan", 2025)
    window = parse_window("Jan dan Agt sd Des", 2025)
    assert window is not None and len(window.parts) == 2


def test_a_corrupt_docx_is_corrupt_and_kept_as_such(tmp_path: Path) -> None:
    """Its zip directory pointing past the file gave 'unreadable: Invalid argument', never
    cached, so it was reopened every night and read as a permission problem."""
    import io
    import struct
    import zipfile

    from zi_audit.inspection.facts import Candidate, ContentInspector

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    data = bytearray(buf.getvalue())
    end = data.rfind(b"PK\x05\x06")
    data[end + 16 : end + 20] = struct.pack("<I", 0x7FFFFFFF)
    doc = tmp_path / "SK Tim.docx"
    doc.write_bytes(bytes(data))
    cache = tmp_path / "facts.sqlite3"
    first = ContentInspector(cache, workers=1)
    facts = first([Candidate(doc.name, str(doc), doc.stat())])[doc.name]
    first.close()
    assert facts.problems == ("corrupt",)
    again = ContentInspector(cache, workers=1)
    assert again([Candidate(doc.name, str(doc), doc.stat())])[doc.name].problems == ("corrupt",)
    again.close()
    assert again.stats["cached"] == 1 and again.stats["opened"] == 0


def test_a_full_disk_does_not_set_the_verdict_cache_aside(tmp_path: Path) -> None:
    """A full disk was taken for a damaged cache and the cache set aside."""
    import os

    from zi_audit.core.facts import FileFacts
    from zi_audit.inspection.cache import FactsCache

    path = tmp_path / "facts.sqlite3"
    cache = FactsCache(path)
    assert cache.db is not None
    pages = cache.db.execute("PRAGMA page_count").fetchone()[0]
    cache.db.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own 'disk is full'
    st = os.stat(path)
    for n in range(200):
        cache.put(f"{'x' * 200}{n}.pdf", st, FileFacts(size=1, mtime=0.0, detail="y" * 500))
    cache.close()
    assert cache.rebuilt is not None and "full" in cache.rebuilt
    assert path.exists() and not list(tmp_path.glob("*.corrupt-*"))


def test_control_characters_in_a_typed_path_are_escaped_on_stderr(tmp_path: Path) -> None:
    """`scan <missing root>` printed a newline, ESC, OSC and BEL raw: the message broke and
    the terminal's title was set."""
    hostile = tmp_path / "bukti\n\x1b]0;pwned\x07\x1b[31mmerah"
    done = _zi("scan", str(hostile), "--state", str(tmp_path / "s"))
    assert done.returncode == 2
    assert "\x1b" not in done.stderr and "\x07" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "\\x1b" in done.stderr


SETPRIV = [
    "setpriv",
    "--inh-caps=-dac_override,-dac_read_search",
    "--bounding-set=-dac_override,-dac_read_search",
    "--",
]


def _without_dac(*args: str) -> subprocess.CompletedProcess[str]:
    """Run zi-audit as root without the capabilities that let root ignore file modes,
    as the nightly job's own user would run (util-linux setpriv)."""
    import shutil

    if shutil.which("setpriv") is None:
        pytest.skip("needs util-linux setpriv")
    cmd = [*SETPRIV, sys.executable, "-m", "zi_audit", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60)


def test_email_with_a_read_only_state_directory_says_the_mail_did_not_go(tmp_path: Path) -> None:
    """It retried, then exited 2 with 'cannot use …/unsent: Read-only file system', never
    saying the mail was not delivered. Now: exit 5 and both facts."""
    from tests.helpers import pdf_bytes, run_cli, write_tree
    from tests.helpers.smtp_server import free_port

    root = write_tree(tmp_path / "share", {"Pakta Integritas 2025-08-20.pdf": pdf_bytes()})
    state = tmp_path / "state"
    config = tmp_path / "zi-audit.yaml"
    config.write_text(
        f"root: {root}\nstate: {state}\nemail:\n  sender: a@b.go.id\n  recipients: [c@d.go.id]\n"
        f"  retries: 0\n  smtp: {{host: 127.0.0.1, port: {free_port()}, security: plain}}\n"
    )
    assert run_cli("scan", "--config", str(config), "--as-of", "2025-09-01")[0] == 0
    state.chmod(0o555)
    try:
        done = _without_dac("email", "--config", str(config), "--lang", "en")
    finally:
        state.chmod(0o700)
    assert done.returncode == 5, done.stderr
    assert "not delivered" in done.stderr and "could not be kept" in done.stderr


def test_an_unreadable_root_typed_is_an_outage_as_the_configured_one_is(tmp_path: Path) -> None:
    """A typed root that cannot be read got click's 'not readable', exit 2, no log line and
    no alert; the same root from the configuration got the outage path. Now both: exit 3."""
    from tests.helpers import pdf_bytes, write_tree

    root = write_tree(tmp_path / "share", {"Pakta Integritas 2025-08-20.pdf": pdf_bytes()})
    log = tmp_path / "zi.log"
    root.chmod(0)
    try:
        done = _without_dac(
            "scan", str(root), "--state", str(tmp_path / "s"), "--log-file", str(log)
        )
    finally:
        root.chmod(0o755)
    assert done.returncode == 3, done.stderr
    assert "tidak dapat dibaca" in done.stderr and "Traceback" not in done.stderr
    assert "cannot be read" in log.read_text()
