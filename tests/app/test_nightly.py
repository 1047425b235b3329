"""The nightly run's hygiene: outages are not losses, one run at a time, hostile names inert."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

from tests.helpers import REPO, Files, nightly, run_cli
from tests.helpers.smtp_server import free_port
from zi_audit.state.lock import RunLock
from zi_audit.state.paths import StateDir

Tree = Callable[[Files], Path]


def share(tree: Tree, n: int = 9) -> Path:
    files: Files = {f"Arsip/catatan {i}.txt": "x" for i in range(n)}
    files["Pakta Integritas 2025-08-20.pdf"] = "pdf"
    return tree(files)


def test_missing_share_is_an_outage_not_a_loss(tree: Tree, tmp_path: Path) -> None:
    root, state = share(tree), tmp_path / "state"
    assert nightly(root, state)[0] == 0
    moved = root.with_name("elsewhere")
    root.rename(moved)
    code, out, err = nightly(root, state)
    assert code == 3 and out == ""
    assert "tidak ada" in err and "--accept-shrink" in err
    moved.rename(root)
    code, out, _ = nightly(root, state)
    assert code == 0
    assert json.loads(out)["changes"]["disappeared"] == []  # the outage recorded nothing


def test_emptied_share_is_an_outage(tree: Tree, tmp_path: Path) -> None:
    root, state = share(tree), tmp_path / "state"
    assert nightly(root, state)[0] == 0
    shutil.rmtree(root)
    root.mkdir()  # an unmounted mount point: an empty folder
    code, _, err = nightly(root, state)
    assert code == 3 and "kosong" in err


def test_share_that_shrank_by_more_than_a_third(tree: Tree, tmp_path: Path) -> None:
    root, state = share(tree, n=29), tmp_path / "state"
    assert nightly(root, state)[0] == 0
    for p in list((root / "Arsip").iterdir())[:15]:
        p.unlink()
    code, _, err = nightly(root, state)
    assert code == 3 and "15 berkas, sebelumnya 30" in err
    code, out, _ = nightly(root, state, "--accept-shrink")
    assert code == 0
    assert json.loads(out)["changes"]["disappeared"] == []  # the text files were never evidence


def test_second_concurrent_run_is_refused(tree: Tree, tmp_path: Path) -> None:
    root, state = share(tree), tmp_path / "state"
    state.mkdir()
    with RunLock(StateDir(state).lock):
        code, out, err = nightly(root, state)
    assert code == 4 and out == ""
    assert f"pid {os.getpid()}" in err
    assert nightly(root, state)[0] == 0  # the lock went with its holder


def test_readers_do_not_wait_on_the_nightly_lock(tree: Tree, tmp_path: Path) -> None:
    """A what-if scan, report and explain only read: they run while the nightly run holds
    the state directory (they once exited 4 at once)."""
    root, state = share(tree), tmp_path / "state"
    assert nightly(root, state)[0] == 0
    with RunLock(StateDir(state).lock):
        what_if = run_cli("scan", str(root), "--as-of", "2025-10-01", "--state", str(state))
        report = run_cli("report", "--state", str(state), "--format", "md")
        explain = run_cli(
            "explain",
            "--root",
            str(root),
            "--state",
            str(state),
            str(next(p for p in root.rglob("*.pdf"))),
        )
    assert [what_if[0], report[0], explain[0]] == [0, 0, 0], (what_if, report, explain)
    makefile = (REPO / "Makefile").read_text()
    assert "--state build/" in makefile.split("demo:")[1].split("\n\n")[0]


def test_only_a_delivered_report_becomes_the_baseline(tree: Tree, tmp_path: Path) -> None:
    """What-if scans, dry runs and failed sends are not recorded: the next run still
    reports the changes since the last report that went out."""
    root, state = share(tree), tmp_path / "state"
    config = tmp_path / "zi-audit.yaml"
    config.write_text(
        f"state: {state}\nemail:\n  sender: zi@kpu.go.id\n  recipients: [tim@kpu.go.id]\n"
        f"  retries: 0\n  smtp: {{host: 127.0.0.1, port: {free_port()}, security: plain}}\n"
    )
    assert nightly(root, state)[0] == 0
    scans = lambda: len(run_cli("history", "--state", str(state))[1].splitlines()) - 1  # noqa: E731
    assert scans() == 1
    run_cli("scan", str(root), "--as-of", "2025-12-01", "--state", str(state))
    nightly(root, state, "--config", str(config), "--email", "--dry-run")
    assert nightly(root, state, "--config", str(config), "--email")[0] == 5  # nothing listens
    assert scans() == 1
    assert nightly(root, state)[0] == 0
    assert scans() == 2
    out = run_cli("history", "--state", str(state))[1]
    assert re.search(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}", out.splitlines()[-1])  # a time, too


# Empty, so that every report must list them among the invalid files.
HOSTILE = {
    "<img src=x onerror=alert(1)>Pakta Integritas.pdf": "",
    '=HYPERLINK("https:x";"klik") SK Agen Perubahan.pdf': "",
    "Pakta Integritas\nBcc: korban@example.com.pdf": "",
    "Arsip/catatan.txt": "x",
}


def test_hostile_names_are_inert_in_html_and_csv(tree: Tree, tmp_path: Path) -> None:
    root, state = tree(HOSTILE), tmp_path / "state"
    assert nightly(root, state)[0] == 0
    code, html, _ = run_cli("report", "--state", str(state), "--format", "html")
    assert code == 0
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script" not in html
    assert "Pakta Integritas\\nBcc" in html  # the newline is shown, not obeyed
    code, text, _ = run_cli("report", "--state", str(state), "--format", "csv")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    cells = [c for row in rows for c in row]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    assert '\'=HYPERLINK("https:x";"klik") SK Agen Perubahan.pdf' in cells  # kept, as text
    code, md, _ = run_cli("report", "--state", str(state), "--format", "md")
    # In Markdown a code span is literal text (CommonMark): names may appear only inside one.
    assert "`<img src=x onerror=alert(1)>Pakta Integritas.pdf`" in md
    assert "<img" not in re.sub(r"`[^`]*`", "", md)


def test_log_file_and_atomic_output(tree: Tree, tmp_path: Path) -> None:
    root, state = share(tree), tmp_path / "state"
    log, out_file = tmp_path / "zi-audit.log", tmp_path / "www" / "laporan.html"
    code, out, err = nightly(
        root,
        state,
        "--quiet",
        "--log-file",
        str(log),
        "--output",
        str(out_file),
        "--format",
        "html",
    )
    assert (code, out, err) == (0, "", "")
    assert out_file.read_text().startswith("<!DOCTYPE html>")
    assert [p.name for p in out_file.parent.iterdir()] == ["laporan.html"]  # no temp file left
    lines = log.read_text().splitlines()
    assert len(lines) == 1 and "10 files" in lines[0]


def test_report_before_any_scan(tmp_path: Path) -> None:
    code, _, err = run_cli("report", "--state", str(tmp_path / "kosong"))
    assert code == 2 and "no scan has been recorded" in err


def test_reports_follow_the_umask_and_state_stays_private(tree: Tree, tmp_path: Path) -> None:
    """`--output` for a web server must be readable by it (it was 0600 whatever the umask)."""
    root, state = share(tree), tmp_path / "state"
    page = tmp_path / "www" / "laporan.html"
    old = os.umask(0o022)
    try:
        code, _, err = nightly(root, state, "--format", "html", "--output", str(page))
    finally:
        os.umask(old)
    assert code == 0, err
    assert stat.S_IMODE(page.stat().st_mode) == 0o644
    assert stat.S_IMODE((state / "last-report.json").stat().st_mode) == 0o600
    assert stat.S_IMODE(state.stat().st_mode) == 0o700
