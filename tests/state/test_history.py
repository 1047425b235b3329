"""History across scans: what changed, what moved, and evidence that disappeared."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

from tests.helpers import Files, nightly, pdf_bytes, run_cli, scan_json
from zi_audit.state.history import EvidenceFile, History, Snapshot
from zi_audit.state.paths import StateDir

Tree = Callable[[Files], Path]
AGEN = "1. Manajemen Perubahan/1.4 Pola Pikir/1.4.2 Agen Perubahan"


def test_three_scans_added_changed_removed(tree: Tree, tmp_path: Path) -> None:
    state = tmp_path / "state"
    root = tree({"Pakta Integritas 2025-08-20.pdf": "pdf", "README.txt": "x"})
    first = scan_json(root, "2025-09-01", "--history", "--state", str(state))
    assert first["changes"]["previous"] is None

    (root / AGEN).mkdir(parents=True)
    (root / AGEN / "SK Tim Agen Perubahan 2025-09-10.pdf").write_bytes(pdf_bytes())
    second = scan_json(root, "2025-09-15", "--history", "--state", str(state))
    ch = second["changes"]
    assert ch["previous"] == "2025-09-01"
    assert ch["added"] == [f"{AGEN}/SK Tim Agen Perubahan 2025-09-10.pdf"]
    assert "1.4.2" in ch["completed"]
    assert ch["disappeared"] == [] and ch["changed"] == []

    (root / "Pakta Integritas 2025-08-20.pdf").write_bytes(pdf_bytes("D:20250821090000+07'00'"))
    (root / AGEN / "SK Tim Agen Perubahan 2025-09-10.pdf").unlink()
    code, out, err = nightly(root, state, as_of="2025-10-05")
    assert code == 0
    import json

    third = json.loads(out)
    ch = third["changes"]
    assert ch["changed"] == ["Pakta Integritas 2025-08-20.pdf"]
    assert ch["disappeared"] == [f"{AGEN}/SK Tim Agen Perubahan 2025-09-10.pdf"]
    assert "1.4.2" in ch["overdue"]
    assert "1 berkas bukti yang kemarin ada kini tidak ditemukan" in err  # loud, even under cron
    assert [s["as_of"] for s in third["trend"]] == ["2025-09-01", "2025-09-15", "2025-10-05"]

    code, out, _ = run_cli("history", "--state", str(state))
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 4 and "1 September 2025" in lines[1] and "5 Oktober 2025" in lines[3]


def test_a_moved_file_is_not_lost(tree: Tree, tmp_path: Path) -> None:
    state = tmp_path / "state"
    root = tree({"Arsip/Pakta Integritas 2025-08-20.pdf": "pdf", "README.txt": "x"})
    scan_json(root, "2025-09-01", "--history", "--state", str(state))
    (root / "1.2.3 Sosialisasi").mkdir()
    (root / "Arsip/Pakta Integritas 2025-08-20.pdf").rename(
        root / "1.2.3 Sosialisasi/Pakta Integritas 2025-08-20.pdf"
    )
    ch = scan_json(root, "2025-09-02", "--history", "--state", str(state))["changes"]
    assert ch["moved"] == [
        {
            "from": "Arsip/Pakta Integritas 2025-08-20.pdf",
            "to": "1.2.3 Sosialisasi/Pakta Integritas 2025-08-20.pdf",
        }
    ]
    assert ch["disappeared"] == [] and ch["added"] == []


def test_history_is_not_recorded_for_a_what_if_scan(tree: Tree, tmp_path: Path) -> None:
    state = tmp_path / "state"
    root = tree({"Pakta Integritas 2025-08-20.pdf": "pdf"})
    report = scan_json(root, "2025-09-01", "--state", str(state))  # --as-of without --history
    assert "changes" not in report
    code, _, err = run_cli("history", "--state", str(state), "--lang", "en")
    assert code == 2 and "no history" in err


def test_first_and_last_sighting_of_evidence(tree: Tree, tmp_path: Path) -> None:
    state = tmp_path / "state"
    # Filler, so that losing one file is not a shrink of more than a third (an outage).
    root = tree(
        {"Pakta Integritas 2025-08-20.pdf": "pdf", **{f"catatan {n}.txt": "x" for n in range(5)}}
    )
    for as_of in ("2025-09-01", "2025-09-02"):
        scan_json(root, as_of, "--history", "--state", str(state))
    (root / "Pakta Integritas 2025-08-20.pdf").unlink()
    scan_json(root, "2025-09-03", "--history", "--state", str(state))
    store = History(StateDir(state).history)
    try:
        trend = store.trend()
    finally:
        store.close()
    with contextlib.closing(sqlite3.connect(StateDir(state).history)) as db:
        first, last, gone = db.execute(
            "SELECT first_seen, last_seen, gone_since FROM files WHERE path=?",
            (b"Pakta Integritas 2025-08-20.pdf",),
        ).fetchone()
    assert first == trend[0].scanned_at and last == trend[1].scanned_at
    assert gone == trend[2].scanned_at


def test_a_night_on_which_nothing_changed_writes_no_file_row(tmp_path: Path) -> None:
    """The history's cost follows the change: of 18,000 evidence files on the 100k share,
    a night rewrites those new, changed or gone, not every one (0.2 s a night)."""

    def snap(at: str, **files: EvidenceFile) -> Snapshot:
        return Snapshot(at, f"{at}T01:30:00+00:00", 10, None, {}, {}, {}, {}, dict(files))

    pakta, sk = EvidenceFile(5, 1, "aa", ("1.1.1/1",)), EvidenceFile(7, 2, "bb", ("1.4.2/1",))
    store = History(tmp_path / "history.sqlite3")
    try:
        store.record(snap("2025-09-01", pakta=pakta, sk=sk), store.last())
        assert store.written == 2
        store.record(snap("2025-09-02", pakta=pakta, sk=sk), store.last())
        assert store.written == 0
        changed = pakta._replace(size=6, sha256="cc")
        store.record(snap("2025-09-03", pakta=changed), store.last())
        assert store.written == 2  # one changed, one gone
        prev = store.last()
        assert prev is not None and prev.evidence == {"pakta": changed}
        rows = dict(
            (path.decode(), rest)
            for path, *rest in store.db.execute(
                "SELECT path, first_seen, last_seen, gone_since FROM files"
            )
        )
    finally:
        store.close()
    day = "T01:30:00+00:00"
    # Still there: first seen, and the scan that last wrote it (changed). Gone: the last
    # scan that saw it, and the one that found it gone.
    assert rows["pakta"] == ["2025-09-01" + day, "2025-09-03" + day, None]
    assert rows["sk"] == ["2025-09-01" + day, "2025-09-02" + day, "2025-09-03" + day]


def test_an_indicator_that_lost_its_file_is_named_as_regressed(tree: Tree, tmp_path: Path) -> None:
    """Complete yesterday, missing today because its SK went: 'tadinya selesai', with the
    file and the indicator's name, near the top; not 'baru lewat tenggat'."""
    state = tmp_path / "state"
    sk = f"{AGEN}/SK Tim Agen Perubahan 2025-09-10.pdf"
    filler = {f"catatan {n}.txt": "x" for n in range(5)}  # losing one file is no outage
    root = tree({sk: "pdf", "Pakta Integritas 2025-08-20.pdf": "pdf", **filler})
    assert nightly(root, state, as_of="2025-10-05")[0] == 0
    (root / sk).unlink()
    code, out, err = run_cli(
        "scan", str(root), "--as-of", "2025-10-06", "--history", "--state", str(state)
    )
    assert code == 0, err
    changes = out.index("Perubahan sejak pemindaian 5 Oktober 2025")
    assert changes < out.index("Kekurangan, urut tenggat")  # near the top
    block = out[changes:]
    regressed = block.index("Tadinya selesai, kini tidak")
    line = block[regressed:].splitlines()[1]
    assert line.startswith("    - 1.4.2 Sudah ditetapkan agen perubahan")
    assert "lengkap → kurang" in line and f"hilang: {sk}" in line
    assert "Baru lewat tenggat" not in block.split("Kekurangan")[0]


def test_history_shows_times_on_the_plans_clock_and_counts_selesai(
    tree: Tree, tmp_path: Path
) -> None:
    """#21.10: a scan at 18:30 UTC is 01:30 WIB the next day, and history says so; under a
    plan in Asia/Makassar it says WITA. The count column is named for what it counts."""
    state = tmp_path / "state"
    root = tree({"Pakta Integritas 2025-08-20.pdf": "pdf"})
    assert run_cli("scan", str(root), "--history", "--state", str(state))[0] == 0
    store = History(StateDir(state).history)
    with contextlib.closing(store.db):
        at = "'$.scanned_at', '2025-11-14T18:30:00+00:00'"
        store.db.execute(f"UPDATE scans SET data = json_set(data, {at})")
        store.db.commit()
    code, out, _ = run_cli("history", "--state", str(state))
    assert code == 0 and "2025-11-15 01:30 WIB" in out and "selesai" in out.splitlines()[0]
    config = tmp_path / "zi-audit.yaml"
    config.write_text("timezone: Asia/Makassar\n", encoding="utf-8")
    code, out, _ = run_cli("history", "--state", str(state), "--config", str(config))
    assert "2025-11-15 02:30 WITA" in out


def test_a_history_from_before_the_items_column_is_read(tmp_path: Path) -> None:
    """Its files' rows have no items (NULL): read as serving none, recorded over as usual."""
    path = tmp_path / "history.sqlite3"
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.executescript(
            """
            CREATE TABLE scans (id INTEGER PRIMARY KEY, scanned_at TEXT, as_of TEXT,
                files_seen INTEGER, root_dev INTEGER, data TEXT);
            CREATE TABLE files (path BLOB PRIMARY KEY, first_seen TEXT, last_seen TEXT,
                size INTEGER, mtime_ns INTEGER, sha256 TEXT, gone_since TEXT);
            """
        )
        data = '{"as_of": "2025-09-01", "scanned_at": "s1", "files_seen": 3, "root_dev": null,'
        data += ' "indicators": {}, "items": {}, "components": {}, "by_status": {}}'
        db.execute("INSERT INTO scans VALUES (1, 's1', '2025-09-01', 3, NULL, ?)", (data,))
        db.execute("INSERT INTO files VALUES (?, 's1', 's1', 5, 1, 'aa', NULL)", (b"pakta",))
    store = History(path)
    try:
        prev = store.last()
        assert prev is not None and prev.evidence == {"pakta": EvidenceFile(5, 1, "aa", ())}
        served = EvidenceFile(5, 1, "aa", ("1.1.1/1",))
        now = Snapshot("2025-09-02", "s2", 3, None, {}, {}, {}, {}, {"pakta": served})
        store.record(now, prev)
        assert store.written == 1  # its items are known now
        again = store.last()
        assert again is not None and again.evidence == {"pakta": served}
    finally:
        store.close()
