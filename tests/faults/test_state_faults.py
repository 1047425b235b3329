"""Faults of the state directory and of what is read back: one message, never a traceback,
never a silent loss. Each test reproduces a defect found by trying zi-audit as an unlucky
admin would (issue 12)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.helpers import Files, mail_scan, nightly, pdf_bytes, run_cli
from zi_audit.core.facts import FileFacts
from zi_audit.inspection.facts import Candidate, ContentInspector

Tree = Callable[[Files], Path]
SHARE: Files = {"Pakta Integritas 2025-08-20.pdf": "pdf", "catatan.txt": "x"}


def test_a_file_gone_while_judged_is_not_remembered_as_corrupt(tmp_path: Path) -> None:
    """150 files deleted during judging stayed 'corrupt' in every later scan."""
    share = tmp_path / "share"
    share.mkdir()
    doc = share / "SK.pdf"
    doc.write_bytes(pdf_bytes())
    st = doc.stat()
    data = doc.read_bytes()
    doc.unlink()  # listed by the walk, gone before the worker opens it
    inspector = ContentInspector(tmp_path / "facts.sqlite3", workers=1)
    first: FileFacts = inspector([Candidate("SK.pdf", str(doc), st)])["SK.pdf"]
    assert first.problems == ("vanished",) and not first.valid
    doc.write_bytes(data)
    os.utime(doc, ns=(st.st_atime_ns, st.st_mtime_ns))  # the same size and time as before
    again = ContentInspector(tmp_path / "facts.sqlite3", workers=1)
    second = again([Candidate("SK.pdf", str(doc), doc.stat())])["SK.pdf"]
    assert second.valid and again.stats["opened"] == 1  # judged again, not taken from cache


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(b"this is not a database" * 100),
        lambda p: (p.unlink(), p.mkdir()),
    ],
    ids=["not-a-database", "a-folder"],
)
def test_a_damaged_history_stops_with_a_message_and_is_kept(
    tree: Tree, tmp_path: Path, damage: Callable[[Path], object]
) -> None:
    root, state = tree(SHARE), tmp_path / "state"
    assert nightly(root, state)[0] == 0
    history = state / "history.sqlite3"
    damage(history)
    before = history.read_bytes() if history.is_file() else None
    code, _, err = nightly(root, state)
    assert code == 2 and "Traceback" not in err
    assert "history" in err and "mv" in err
    assert (history.read_bytes() if history.is_file() else None) == before  # never replaced
    code, _, err = run_cli("history", "--state", str(state))
    assert code == 2 and "mv" in err


def test_a_history_row_of_the_wrong_shape_is_a_message(tree: Tree, tmp_path: Path) -> None:
    root, state = tree(SHARE), tmp_path / "state"
    assert nightly(root, state)[0] == 0
    db = sqlite3.connect(state / "history.sqlite3")
    db.execute("UPDATE scans SET data = ?", ('{"as_of": "2025-11-15"}',))
    db.commit()
    db.close()
    code, _, err = run_cli("history", "--state", str(state))
    assert code == 2 and "lacks" in err and "Traceback" not in err
    db = sqlite3.connect(state / "history.sqlite3")
    db.execute("UPDATE scans SET data = ?", ("{not json",))
    db.commit()
    db.close()
    assert nightly(root, state)[0] == 2


def test_a_busy_cache_is_not_thrown_away(tree: Tree, tmp_path: Path) -> None:
    """explain during a scan waited on 'database is locked', then renamed the live cache
    as corrupt, so the next scan opened every file again."""
    root, state = tree(SHARE), tmp_path / "state"
    assert nightly(root, state)[0] == 0
    holder = sqlite3.connect(state / "facts.sqlite3")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        code, out, err = run_cli(
            "explain",
            "--root",
            str(root),
            "--state",
            str(state),
            str(root / "Pakta Integritas 2025-08-20.pdf"),
        )
    finally:
        holder.rollback()
        holder.close()
    assert code == 0, err
    assert not list(state.glob("*.corrupt-*"))
    code, out, _ = nightly(root, state, "--format", "text")
    assert "0 berkas dibuka, 1 dari cache" in out


def test_a_corrupt_cache_keeps_one_set_aside_copy(tree: Tree, tmp_path: Path) -> None:
    root, state = tree(SHARE), tmp_path / "state"
    for n in range(3):
        (state / "facts.sqlite3").parent.mkdir(parents=True, exist_ok=True)
        (state / "facts.sqlite3").write_bytes(b"garbage %d" % n * 500)
        assert nightly(root, state)[0] == 0
    assert len(list(state.glob("facts.sqlite3.corrupt-*"))) == 1


def test_a_symlinked_lock_is_never_followed(tree: Tree, tmp_path: Path) -> None:
    root, state = tree(SHARE), tmp_path / "state"
    state.mkdir(mode=0o700)
    victim = tmp_path / "penting.txt"
    victim.write_text("isi penting")
    (state / "zi-audit.lock").symlink_to(victim)
    code, _, err = nightly(root, state)
    assert code == 2 and "lock" in err and "Traceback" not in err
    assert victim.read_text() == "isi penting"


@pytest.mark.skipif(not hasattr(os, "chown") or os.geteuid() != 0, reason="needs root to chown")
def test_a_state_directory_of_another_user_is_refused(tree: Tree, tmp_path: Path) -> None:
    root, state = tree(SHARE), tmp_path / "state"
    state.mkdir(mode=0o700)
    os.chown(state, 65534, 65534)  # nobody
    code, _, err = nightly(root, state)
    assert code == 2 and "milik pengguna lain" in err


def test_a_password_file_that_cannot_be_read_is_a_message(tmp_path: Path) -> None:
    secret = tmp_path / "smtp-password"
    secret.write_bytes(b"\xff\xfe rahasia")
    os.chmod(secret, 0o600)
    config = tmp_path / "zi-audit.yaml"
    config.write_text(
        f"state: {tmp_path / 'state'}\nemail:\n  sender: zi@kpu.go.id\n  recipients: [t@kpu.go.id]\n"
        f"  smtp: {{host: 127.0.0.1, port: 2525, security: plain, username: zi, password_file: {secret}}}\n"
    )
    code, out, err = run_cli("config", "check", "--config", str(config))
    assert code == 2 and "not UTF-8" in out and "Traceback" not in err
    secret.unlink()
    secret.mkdir(mode=0o700)
    code, out, _ = run_cli("config", "check", "--config", str(config))
    assert code == 2 and "cannot read" in out


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 1 MiB tmpfs, where the test may mount one (root, Linux)."""
    where = tmp_path / "disk"
    where.mkdir()
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(where)], capture_output=True
    )
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.decode(errors='replace').strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def test_a_full_disk_says_so_and_keeps_the_previous_report(
    tree: Tree, tmp_path: Path, small_disk: Path
) -> None:
    root, state = tree(SHARE), small_disk / "state"
    assert nightly(root, state)[0] == 0
    before = (state / "last-report.json").read_bytes()
    filler = small_disk / "filler"
    with open(filler, "wb", buffering=0) as fh:  # fill what is left; nothing left to flush
        try:
            while True:
                fh.write(b"\0" * 4096)
        except OSError:
            pass
    (root / "SK Tim Agen Perubahan 2025-09-10.pdf").write_bytes(pdf_bytes())
    code, _, err = nightly(root, state)
    assert code == 2 and "disk penuh" in err and "Traceback" not in err
    assert (state / "last-report.json").read_bytes() == before
    assert not [p for p in state.iterdir() if p.name.endswith(".tmp")]
    filler.unlink()
    assert nightly(root, state)[0] == 0  # room again: the next night just works


def test_an_unset_password_keeps_the_messages_and_logs_it(
    tmp_path: Path, example_tree: Path
) -> None:
    log = tmp_path / "zi.log"
    config = tmp_path / "zi-audit.yaml"
    config.write_text(
        f"state: {tmp_path / 'state'}\nlog_file: {log}\nemail:\n  sender: zi@kpu.go.id\n"
        f"  recipients: [t@kpu.go.id]\n  smtp: {{host: 127.0.0.1, port: 2525, security: plain,"
        f" username: zi, password_env: ZI_UJI_TIDAK_ADA}}\n"
    )
    code, _, err = mail_scan(example_tree, config, "--quiet")
    assert code == 5 and "ZI_UJI_TIDAK_ADA" in err
    assert list((tmp_path / "state" / "unsent").rglob("*.eml"))
    assert "ZI_UJI_TIDAK_ADA" in log.read_text()


def test_every_state_file_is_owner_only(tmp_path: Path) -> None:
    """The SQLite stores were 0644 while the JSON files were 0600 (#21 point 13)."""
    root = tmp_path / "share"
    root.mkdir()
    (root / "Pakta Integritas 2025-08-20.pdf").write_bytes(pdf_bytes())
    state = tmp_path / "state"
    code, _, err = nightly(root, state)
    assert code == 0, err
    files = [p for p in state.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"history.sqlite3", "facts.sqlite3", "last-report.json"}
    assert [p.name for p in files if p.stat().st_mode & 0o077] == []
