"""Content inspection inside a scan: isolation, limits, the cache, and a read-only share."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from tests.helpers import Files, broken, item, pdf_bytes, run_cli, scan_json

Tree = Callable[[Files], Path]
AGEN = "1. Manajemen Perubahan/1.4 Pola Pikir/1.4.2 Agen Perubahan"
TAGLINE = "1. Manajemen Perubahan/1.4 Pola Pikir/1.4.3 Budaya Kerja/Tagline Budaya Kerja"


def files_with_stats(root: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(root)): (p.lstat().st_size, p.lstat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
    }


def test_a_hanging_parse_is_cut_off_and_the_scan_completes(tree: Tree, tmp_path: Path) -> None:
    root = tree(
        {
            f"{AGEN}/SK Tim Agen Perubahan 2025-09-10.pdf": broken.slow_pdf(),
            "Pakta Integritas 2025-08-20.pdf": pdf_bytes(),
            f"{TAGLINE}/IMG_20250912_101532.jpg": "jpg",
        }
    )
    report = scan_json(root, "2025-11-15", "--timeout", "1", "--state", str(tmp_path / "state"))
    stuck = item(report, "1.4.2/1")
    assert stuck["status"] == "invalid"
    assert stuck["files"][0]["problems"] == ["timeout"]
    assert item(report, "1.2.3/1")["status"] == "present"
    assert item(report, "1.4.3/1")["status"] == "present"
    assert report["stats"]["replaced_workers"] == 1
    # A timeout is not remembered: the next run tries the file again.
    again = scan_json(root, "2025-11-15", "--timeout", "1", "--state", str(tmp_path / "state"))
    assert again["stats"]["cached"] == 2 and again["stats"]["opened"] == 1


def test_second_scan_of_an_unchanged_tree_opens_nothing(example_tree: Path, tmp_path: Path) -> None:
    state = str(tmp_path / "state")
    first = scan_json(example_tree, "2025-11-15", "--state", state)
    assert first["stats"]["opened"] > 10 and first["stats"]["cached"] == 0
    second = scan_json(example_tree, "2025-11-15", "--state", state)
    assert second["stats"]["opened"] == 0
    assert second["stats"]["cached"] == first["stats"]["opened"]
    assert second["indicators"] == first["indicators"]
    # A changed file, and only it, is opened again.
    sk = next(example_tree.rglob("SK Rencana Aksi*.pdf"))
    sk.write_bytes(pdf_bytes("D:20251001090000+07'00'"))
    third = scan_json(example_tree, "2025-11-15", "--state", state)
    assert third["stats"]["opened"] == 1


def test_corrupt_cache_is_rebuilt_not_trusted(example_tree: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    expected = scan_json(example_tree, "2025-11-15", "--state", str(state))["indicators"]
    (state / "facts.sqlite3").write_bytes(b"this is not a database" * 100)
    for side in ("facts.sqlite3-wal", "facts.sqlite3-shm"):
        (state / side).unlink(missing_ok=True)
    report = scan_json(example_tree, "2025-11-15", "--state", str(state))
    assert report["indicators"] == expected
    assert report["stats"]["cached"] == 0
    assert any(p.name.startswith("facts.sqlite3.corrupt-") for p in state.iterdir())


def test_cache_from_another_version_is_rebuilt(example_tree: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    scan_json(example_tree, "2025-11-15", "--state", str(state))
    db = sqlite3.connect(state / "facts.sqlite3")
    db.execute("UPDATE meta SET value='facts-0/old' WHERE key='schema'")
    db.execute("UPDATE facts SET data='{\"valid\": false}'")  # would be wrong if trusted
    db.commit()
    db.close()
    report = scan_json(example_tree, "2025-11-15", "--state", str(state))
    assert report["stats"]["cached"] == 0 and report["stats"]["opened"] > 10


def test_nothing_is_written_under_the_scanned_root(example_tree: Path, tmp_path: Path) -> None:
    before = files_with_stats(example_tree)
    scan_json(example_tree, "2025-11-15", "--state", str(tmp_path / "state"))
    assert files_with_stats(example_tree) == before


def test_state_inside_the_share_is_refused(example_tree: Path) -> None:
    code, _, err = run_cli("scan", str(example_tree), "--state", str(example_tree / ".zi"))
    assert code == 2 and "berada di dalam folder yang dipindai" in err
    assert not (example_tree / ".zi").exists()


def test_default_state_is_the_users_data_directory(example_tree: Path) -> None:
    scan_json(example_tree, "2025-11-15")
    data_home = Path(os.environ["XDG_DATA_HOME"])
    assert (data_home / "zi-audit" / "facts.sqlite3").is_file()


def test_example_tree_verdicts(example_tree: Path, tmp_path: Path) -> None:
    report = scan_json(example_tree, "2025-11-15", "--state", str(tmp_path / "s"))
    skm = {f["path"].rpartition("/")[2]: f for f in item(report, "6.4.1/1")["files"]}
    empty = skm["Laporan SKM Triwulan III 2025.pdf"]
    assert (empty["valid"], empty["problems"]) == (False, ["empty"])
    # Opens, but is an invitation under the report's name: refused for its words.
    invite = skm["Laporan SKM Triwulan III 2025 revisi.pdf"]
    assert (invite["valid"], invite["status"]) == (True, "invalid")
    assert invite["problems"] == ["words_missing:kepuasan / skm / ikm"]
    lkjip = item(report, "4.2.5/1")["files"][0]
    assert (lkjip["date"], lkjip["date_source"]) == ("2025-02-15", "content")


def test_kept_workers_serve_the_next_call_and_facts_seen_are_not_looked_up_again(
    tmp_path: Path,
) -> None:
    """Watch's inspector: one worker start for many updates; an unchanged file of the last
    call is answered from memory, a changed one judged again."""
    from zi_audit.inspection.facts import Candidate, ContentInspector

    share = tmp_path / "share"
    share.mkdir()
    inspector = ContentInspector(tmp_path / "facts.sqlite3", workers=1, keep_workers=True)
    try:
        for n in range(3):
            path = share / f"SK {n}.pdf"
            path.write_bytes(pdf_bytes())
            out = inspector([Candidate(path.name, str(path), path.stat())])
            assert out[path.name].valid
        assert inspector._pool is not None and inspector._pool.started == 1
        assert inspector.stats["opened"] == 3

        path = share / "SK 2.pdf"
        again = inspector([Candidate(path.name, str(path), path.stat())])
        assert again[path.name].valid and inspector.stats["opened"] == 3
        path.write_bytes(b"%PDF-1.4 cut")
        changed = inspector([Candidate(path.name, str(path), path.stat())])
        assert not changed[path.name].valid and inspector.stats["opened"] == 4
    finally:
        inspector.close()
    assert inspector._pool is None
