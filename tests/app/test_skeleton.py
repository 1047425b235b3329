"""`zi-audit init`: a skeleton the rules find evidence in, added to but never overwritten."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.cli.test_cli import to_roman_layout
from tests.helpers import jpeg_bytes, pdf_bytes, run_cli, scan_json, statuses
from zi_audit.app.skeleton import suggested_names
from zi_audit.match.folders import folder_names
from zi_audit.rules.model import RuleSet


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
    }


def test_init_then_one_file_per_item_makes_every_indicator_present(
    rules: RuleSet, tmp_path: Path
) -> None:
    dest = tmp_path / "share"
    code, _, err = run_cli("init", str(dest))
    assert code == 0, err
    notes = sorted(dest.rglob("BACA-SAYA.txt"))
    assert len(notes) == 87
    note = (
        dest
        / "1. Manajemen Perubahan/1.1 Penyusunan Tim Kerja/1.1.1 Unit telah membentuk tim untuk melakukan/BACA-SAYA.txt"
    ).read_text()
    assert (
        "SK Tim Kerja ZI Tahun 2025" in note
        and "Target waktu: 1 Agustus 2025 – 31 Agustus 2025" in note
    )

    for ind in rules.indicators:
        folder = next(p.parent for p in notes if p.parent.name.startswith(ind.id + " "))
        for item in ind.evidence:
            for name in suggested_names(item, ind):
                data = pdf_bytes() if name.endswith(".pdf") else jpeg_bytes()
                (folder / name).write_bytes(data)
    report = scan_json(dest, "2026-01-15")
    by_id = statuses(report)
    assert by_id.pop("6.3.1") == "not_planned"
    assert set(by_id.values()) == {"present"}, {k: v for k, v in by_id.items() if v != "present"}
    assert report["unmatched_files"] == []  # the notes are never listed as stray files


def test_init_twice_changes_nothing(tmp_path: Path) -> None:
    dest = tmp_path / "share"
    assert run_cli("init", str(dest))[0] == 0
    before = snapshot(dest)
    code, out, _ = run_cli("init", str(dest))
    assert code == 0 and "Tidak ada yang perlu ditambahkan" in out
    assert snapshot(dest) == before


def test_init_never_overwrites_a_note(tmp_path: Path) -> None:
    dest = tmp_path / "share"
    run_cli("init", str(dest), "--lang", "en")
    note = next(dest.rglob("READ-ME.txt"))
    note.write_text("catatan tim sendiri")
    run_cli("init", str(dest), "--lang", "en")
    assert note.read_text() == "catatan tim sendiri"


def test_init_into_an_existing_share_adds_only_what_is_missing(
    example_tree: Path, tmp_path: Path
) -> None:
    roman = tmp_path / "roman"
    to_roman_layout(example_tree, roman)
    before = snapshot(roman)
    code, out, _ = run_cli("init", str(roman), "--dry-run")
    assert code == 0 and "uji coba" in out
    assert snapshot(roman) == before  # a dry run writes nothing
    assert "buat folder: 1. Manajemen Perubahan" not in out  # component 1 exists, in roman numerals
    assert (
        "buat folder: I. MANAJEMEN PERUBAHAN/B. Rencana Pembangunan Zona Integritas/3. Terdapat"
        not in out
    )
    code, _, _ = run_cli("init", str(roman))
    assert code == 0
    after = snapshot(roman)
    files_before = {p: v for p, v in before.items() if (roman / p).is_file()}
    assert all(after[p] == v for p, v in files_before.items())  # no existing file touched
    assert not (
        roman / "1. Manajemen Perubahan"
    ).exists()  # component 1 is there, in roman numerals
    added = [p for p in after if p not in before]
    assert any(
        p.startswith("I. MANAJEMEN PERUBAHAN/") and p.endswith("BACA-SAYA.txt") for p in added
    )
    # The example has no folder for component 3 at all: init adds it in its own layout.
    assert (roman / "3. Penataan Sistem Manajemen SDM Aparatur").is_dir()


@pytest.mark.parametrize(
    ("style", "sample"),
    [
        ("lke", "AREA I/i. Penyusunan Tim Kerja/1.i.a Unit telah membentuk tim untuk melakukan"),
        (
            "drive",
            "A. PENGUNGKIT/I. PEMENUHAN/I. MANAJEMEN PERUBAHAN/1. Penyusunan Tim Kerja/a. Unit",
        ),
    ],
)
def test_init_in_another_style_then_a_file_per_item_scans_complete(
    rules: RuleSet, tmp_path: Path, style: str, sample: str
) -> None:
    dest = tmp_path / "share"
    code, out, err = run_cli("init", str(dest), "--style", style)
    assert code == 0, err
    assert any(str(p.relative_to(dest)).startswith(sample) for p in dest.rglob("*"))
    layout = folder_names(rules, style)
    for ind in rules.indicators:
        for item in ind.evidence:
            name = suggested_names(item, ind)[0]
            data = pdf_bytes() if name.endswith(".pdf") else jpeg_bytes()
            (dest / layout[ind.id] / name).write_bytes(data)
    report = scan_json(dest, "2025-12-31", "--state", str(tmp_path / "state"), "--all")
    unplaced = {
        e["key"]: e["status"]
        for i in report["indicators"]
        for e in i["evidence"]
        if e["status"] not in ("present", "late") and not e.get("slots")
    }
    assert unplaced == {}
    # Following the style in use: a second init adds nothing, and fills a gap in that style.
    assert "Tidak ada yang perlu ditambahkan" in run_cli("init", str(dest))[1]
    shutil.rmtree(dest / layout["1.1.1"])
    code, out, _ = run_cli("init", str(dest))
    assert code == 0 and layout["1.1.1"] in out


def test_each_note_names_only_the_plain_names_its_folder_counts(tmp_path: Path) -> None:
    """A note says plain names (Undangan.pdf …) count only where the matcher counts them:
    in 1.1.1's folder an Undangan.pdf is not the SK, so its note does not say it counts; a
    name a note does list, filed in that folder, counts for its indicator."""
    dest = tmp_path / "share"
    assert run_cli("init", str(dest))[0] == 0
    listed: dict[Path, list[str]] = {}
    for note in sorted(dest.rglob("BACA-SAYA.txt")):
        text = note.read_text()
        line = next((ln for ln in text.splitlines() if "nama umum juga dihitung" in ln), None)
        if line is None:
            assert "nama umum seperti Undangan.pdf tidak dihitung di sini" in text
            continue
        listed[note.parent] = line.split(": ", 1)[1].rstrip(".").split(", ")
    sk = (
        dest
        / "1. Manajemen Perubahan/1.1 Penyusunan Tim Kerja/1.1.1 Unit telah membentuk tim untuk melakukan"
    )
    assert sk not in listed
    assert 0 < len(listed) < 87
    for folder, names in listed.items():
        data = jpeg_bytes() if names[0].endswith(".jpg") else pdf_bytes()
        (folder / names[0]).write_bytes(data)
    doc = scan_json(dest, "2025-11-15", "--state", str(tmp_path / "s"))
    served = {
        f["path"].rsplit("/", 1)[0]
        for ind in doc["indicators"]
        for ev in ind["evidence"]
        for f in ev["files"]
        if ind["id"] == f["path"].rsplit("/", 2)[-2].split(" ")[0]
    }
    assert served == {folder.relative_to(dest).as_posix() for folder in listed}
