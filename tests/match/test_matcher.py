"""Which evidence a path serves, across the folder layouts teams really use."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import EXAMPLE_TREE, pdf_bytes, scan_json, write_tree
from zi_audit.match.folders import folder_names
from zi_audit.match.matcher import Matcher
from zi_audit.rules.model import RuleSet
from zi_audit.walk.record import FolderRecord


def keys(rules: RuleSet, path: str) -> list[str]:
    return [e.key for e in Matcher(rules).match_path(path)]


@pytest.mark.parametrize(
    "path",
    [
        "1. Manajemen Perubahan/1.3 Pemantauan dan Evaluasi/1.3.2 Terdapat monitoring/Daftar Hadir.pdf",
        "I. MANAJEMEN PERUBAHAN/C. Pemantauan dan Evaluasi Pembangunan WBK/2. Terdapat monitoring dan evaluasi/Daftar Hadir.pdf",
        "01_Manajemen_Perubahan/03_Pemantauan_dan_Evaluasi/Daftar_Hadir.pdf",
        "BUKTI DUKUNG ZI 2025/A. PENGUNGKIT/I. PEMENUHAN/I. MANAJAMEN PERUBAHAN/iii. Pemantauan dan Evaluasi/DAFTAR HADIR.pdf",
        "ZONA INTEGRITAS 2025/AREA I/iii. Pemantauan dan Evaluasi/1.iii.b Daftar Hadir Rapat Monev.pdf",
        "1.3.2 Monev ZI/Daftar Hadir (1).pdf",
    ],
)
def test_generic_evidence_found_in_its_own_folder_in_every_layout(
    rules: RuleSet, path: str
) -> None:
    assert keys(rules, path) == ["1.3.2/2"]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("Daftar Hadir.pdf", []),  # generic, and in no indicator's folder
        ("1. Manajemen Perubahan/Daftar Hadir.pdf", []),  # a component is not close enough
        ("5. Penguatan Pengawasan/5.2 SPIP/Daftar Hadir.pdf", ["5.2.4/3"]),
        ("5. PENGAWASN/ii. Penerapan Sistem Pengendalian Intern/Daftar Hadir.pdf", ["5.2.4/3"]),
        (
            "1. Manajemen Perubahan/1.4 Perubahan Pola Pikir/1.4.1 Pimpinan role model/Daftar Hadir.pdf",
            ["1.4.1/1"],
        ),
    ],
)
def test_generic_evidence_stays_in_its_folder(
    rules: RuleSet, path: str, expected: list[str]
) -> None:
    assert keys(rules, path) == expected


@pytest.mark.parametrize(
    "name",
    [
        "SK TIM ZI 2025.pdf",
        "SK TIM ZI 2025 (1) - Copy.PDF",
        "sk_tim_kerja_zi_final_revisi.pdf",
        "Scan SK Tim Pembangunan ZI.pdf",
        "1.i.a SK TIM ZI KPU BANYUWANGI.pdf",
    ],
)
def test_messy_names_still_match(rules: RuleSet, name: str) -> None:
    assert keys(rules, f"Arsip/{name}") == ["1.1.1/1", "1.1.2/1"]


def test_specific_evidence_counts_anywhere_and_for_every_indicator(rules: RuleSet) -> None:
    assert keys(rules, "Lain-lain/SK Rencana Aksi Pembangunan ZI.pdf") == [
        "1.2.1/1",
        "1.2.2/1",
        "1.3.1/1",
    ]


def test_exclusions_and_types(rules: RuleSet) -> None:
    assert keys(rules, "SK Tim Agen Perubahan ZI.pdf") == ["1.4.2/1"]
    assert keys(rules, "SK TIM ZI.docx") == []  # the decree must be a PDF
    assert keys(rules, "Tagline Budaya Kerja/WhatsApp Image 2025-09-12 at 10.15.32.jpeg") == [
        "1.4.3/1"
    ]


def test_case_and_accents_do_not_matter(rules: RuleSet) -> None:
    nfd = "Pakta Integrita\u0301s.pdf"
    assert keys(rules, nfd) == keys(rules, "PAKTA INTEGRITAS.pdf") != []


def test_a_folder_placed_as_one_indicator_lends_its_name_to_no_other(rules: RuleSet) -> None:
    """3.3.1's folder is named with words of 3.3.2's evidence: its files do not become
    3.3.2's usulan through the folder's name, only through their own."""
    assert keys(rules, "3.3.1 Usulan kebutuhan diklat/Jadwal.pdf") == []
    assert "3.3.2/1" in keys(rules, "3.3.1 Usulan kebutuhan diklat/Usulan diklat 2025.pdf")
    # the example tree's case: 2.2.1's folder once made a screenshot 3.4.3's evidence
    folder = "2. Penataan Tatalaksana/2.2 SPBE/2.2.1 Sistem pengukuran kinerja unit"
    assert "3.4.3/1" not in keys(rules, f"{folder}/Aplikasi Srikandi/Screenshot 2025.jpg")
    # a folder named after evidence, placed as no indicator, still covers its files
    assert keys(rules, "Tagline Budaya Kerja/IMG_20250912_101532.jpg") == ["1.4.3/1"]


def test_the_folder_wins_over_an_id_in_the_file_name(rules: RuleSet, tmp_path: Path) -> None:
    """`1.3.2 Undangan.pdf` filed in 1.4.1's folder is not 1.3.2's undangan; the scan
    reports the contradiction so the team can move or rename it."""
    folder = folder_names(rules)["1.4.1"]
    assert keys(rules, f"{folder}/1.3.2 Undangan.pdf") == []
    assert keys(rules, f"{folder}/Daftar hadir.pdf") == ["1.4.1/1"]
    root = write_tree(tmp_path / "share", {f"{folder}/1.3.2 Undangan rapat.pdf": pdf_bytes()})
    report = scan_json(root, "2025-11-15", "--state", str(tmp_path / "state"))
    assert {
        "path": f"{folder}/1.3.2 Undangan rapat.pdf",
        "code": "id_conflict",
        "detail": "1.3.2 → 1.4.1",
    } in report["problems"]


def test_explain_and_scan_decide_alike_on_every_file(rules: RuleSet) -> None:
    """explain's diagnosis calls a file a match exactly where the scan counts it: both ask
    the matcher's one per-item decision."""
    matcher = Matcher(rules)
    paths = sorted(
        p.relative_to(EXAMPLE_TREE).as_posix() for p in EXAMPLE_TREE.rglob("*") if p.is_file()
    )
    assert len(paths) > 20
    paths += [  # a generic name outside its folder, a type no item takes, an exclusion
        "1. Manajemen Perubahan/Undangan.pdf",
        "2. Penataan Tatalaksana/2.1 Prosedur Operasional Tetap/Daftar Hadir.docx",
        "SK Tim ZI.txt",
        "SK Tim Agen Perubahan 2025.pdf",
    ]
    for rel in paths:
        counted = [e.key for e in matcher.match_path(rel)]
        diagnosed = [e.key for e, verdict in matcher.diagnose(rel) if verdict == "match"]
        assert sorted(counted) == sorted(diagnosed), rel


def test_a_suggestion_never_names_an_item_that_would_refuse_the_file(
    example_tree: Path, tmp_path: Path
) -> None:
    """#20 point 5: 'Dokumen 2025-10-01.pdf' in 5.1.1's folder was suggested for 5.2.3, and
    'SOP Pelayanan Revisi ….pdf' for 6.1.1, whose rules exclude 'revisi'."""
    folder = next(p for p in example_tree.rglob("5.1.1 *") if p.is_dir())
    (folder / "Dokumen 2025-10-01.pdf").write_bytes(pdf_bytes())
    (example_tree / "SOP Pelayanan Revisi 2025-09-25.pdf").write_bytes(pdf_bytes())
    doc = scan_json(example_tree, "2025-11-15", "--state", str(tmp_path / "s"))
    hints = {u["path"].rpartition("/")[2]: u["indicator"] for u in doc["unmatched"]}
    assert hints["Dokumen 2025-10-01.pdf"] == "5.1.1"
    assert hints.get("SOP Pelayanan Revisi 2025-09-25.pdf") != "6.1.1"


def test_names_that_serve_the_same_items_share_one_list(rules: RuleSet) -> None:
    """A watch holds every matched name's items (19,000 on the bench share): names that
    serve the same items hold one list between them, never changed once made."""
    matcher = Matcher(rules)
    matcher.new_walk()
    folder = "1. Manajemen Perubahan/1.3 Pemantauan dan Evaluasi/1.3.2 Terdapat monitoring"
    names = ["Daftar Hadir 1.pdf", "Daftar Hadir 2.pdf", "catatan 1.txt"]
    record = FolderRecord(1, 0, 0, 0, [], names)
    assert matcher.match_listed(matcher.enter_dir(folder), record, None) == 3
    first, second = record.hits["Daftar Hadir 1.pdf"], record.hits["Daftar Hadir 2.pdf"]
    assert first == second == [matcher.index["1.3.2/2"]]
    assert first is second
    assert "catatan 1.txt" not in record.hits


def test_a_pattern_is_compiled_once_for_the_loader_and_the_matcher() -> None:
    """The loader compiles every pattern to check it; the matcher takes the same ones."""
    from zi_audit.rules.loader import load_rules
    from zi_audit.rules.model import bundled_rules_path
    from zi_audit.rules.patterns import compile_pattern

    compile_pattern.cache_clear()
    rules = load_rules(bundled_rules_path())
    texts = {p for e in rules.evidence() for p in (*e.patterns, *e.in_folder, *e.exclude)}
    Matcher(rules)
    assert compile_pattern.cache_info().misses == len(texts)
