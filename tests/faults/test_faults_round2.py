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
