"""The folder layout, one name at a time: numbering read, words weighed, ties refused.

The end-to-end scans (test_matcher.py, tests/cli) show layouts work as a whole; these pin
the heuristic core, so a change to one rule of it says which name it moved.
"""

from __future__ import annotations

import pytest

from zi_audit.match.layout import ROOT, Context, Layout, split_numbering
from zi_audit.rules.loader import parse_rules
from zi_audit.rules.model import RuleSet


@pytest.mark.parametrize(
    ("name", "numbers", "rest"),
    [
        ("1. Manajemen Perubahan", [1], "manajemen perubahan"),
        ("01_Manajemen_Perubahan", [1], "manajemen perubahan"),
        ("1.1 Penyusunan Tim Kerja", [1, 1], "penyusunan tim kerja"),
        ("1.i.a SK TIM ZI", [1, 1, 1], "sk tim zi"),
        ("II. PENATAAN TATALAKSANA", [2], "penataan tatalaksana"),
        ("AREA III", [3], ""),
        ("a. Rapat", [1], "rapat"),
        ("Rapat Evaluasi", [], "rapat evaluasi"),
        ("2025 Laporan", [], "2025 laporan"),  # a year is not a number of the plan
    ],
)
def test_split_numbering(name: str, numbers: list[int], rest: str) -> None:
    assert split_numbering(name) == (numbers, rest)


def locate(layout: Layout, path: str, *, is_file: bool = False) -> Context:
    context = ROOT
    parts = path.split("/")
    for n, name in enumerate(parts):
        context = layout.locate(context, name, is_file=is_file and n == len(parts) - 1)
    return context


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("1. Manajemen Perubahan", Context("1")),
        ("I. MANAJAMEN PERUBAHAN", Context("1")),  # a typo in the folder name
        ("01_Manajemen_Perubahan/1.1 Penyusunan Tim Kerja", Context("1", "1.1")),
        ("AREA I/i. Penyusunan Tim Kerja", Context("1", "1.1")),
        ("ZONA INTEGRITAS 2025/AREA V/iii. Pengaduan Masyarakat", Context("5", "5.3")),
        (
            "1. Manajemen Perubahan/1.1 Penyusunan/1.1.2 Penentuan anggota",
            Context("1", "1.1", "1.1.2"),
        ),
        ("Arsip Lama", ROOT),  # words of no component: placed nowhere
    ],
)
def test_folders_are_placed_by_number_and_words(
    rules: RuleSet, path: str, expected: Context
) -> None:
    assert locate(Layout(rules), path) == expected


def test_a_files_id_places_it_only_where_its_folders_do_not(rules: RuleSet) -> None:
    layout = Layout(rules)
    area = locate(layout, "1. Manajemen Perubahan/1.1 Penyusunan Tim Kerja")
    assert layout.locate(area, "1.1.2 SK anggota.pdf", is_file=True).indicator == "1.1.2"
    own = locate(layout, "1. Manajemen Perubahan/1.1 Penyusunan/1.1.1 Unit telah membentuk tim")
    assert layout.locate(own, "1.1.2 SK anggota.pdf", is_file=True) == own  # the folder wins
    assert layout.conflict(own, "1.1.2 SK anggota.pdf") is not None


def test_the_units_own_name_places_nothing() -> None:
    """A folder named after the unit says nothing about where it belongs, whatever the unit."""
    plan = parse_rules(
        """\
version: 1
plan: {title: Uji, unit: BPS Kabupaten Nias, year: 2025}
components:
  - id: "1"
    name: Nias Bersih
    areas:
      - id: "1.1"
        name: Statistik Nias
        indicators:
          - {id: "1.1.1", text: Data Nias, window: Agustus, evidence: [{name: SK, patterns: ["sk*"]}]}
  - id: "2"
    name: Penataan Tatalaksana
    areas:
      - id: "2.1"
        name: Prosedur
        indicators:
          - {id: "2.1.1", text: SOP, window: Agustus, evidence: [{name: SOP, patterns: ["sop*"]}]}
"""
    )
    layout = Layout(plan)
    assert layout.words("BPS Kabupaten Nias Bersih") == ["bersih"]
    assert locate(layout, "BPS Nias") == ROOT
    assert locate(layout, "Penataan Tatalaksana BPS Nias") == Context("2")


TWO_MEETINGS = """\
version: 1
plan: {title: Uji, year: 2025}
components:
  - id: "1"
    name: Manajemen Perubahan
    areas:
      - id: "1.1"
        name: Rapat Koordinasi
        indicators:
          - {id: "1.1.1", text: Koordinasi, window: Agustus, evidence: [{name: SK, patterns: ["sk*"]}]}
      - id: "1.2"
        name: Rapat Evaluasi
        indicators:
          - {id: "1.2.1", text: Evaluasi, window: Agustus, evidence: [{name: SK, patterns: ["sk*"]}]}
"""


def test_equal_matches_are_placed_nowhere_and_named() -> None:
    """Two areas whose words fit a folder as well as each other: the folder is placed on
    neither (a wrong place is worse than none), and the tie is kept for explain; the exact
    name breaks it."""
    layout = Layout(parse_rules(TWO_MEETINGS))
    component = layout.locate(ROOT, "1. Manajemen Perubahan")
    layout.last_tie = ()
    assert layout.locate(component, "Rapat") == component
    assert layout.last_tie == ("1.1", "1.2")
    assert layout.locate(component, "Rapat Evaluasi").area == "1.2"


def test_a_drive_layout_with_cut_names_places_each_folder_by_its_prefix() -> None:
    """#20 point 3, on a layout like AZIAPP's Drive export: names cut with '…' and a
    fullwidth '／' are placed by their prefix under their parents; two lettered folders whose
    texts are alike go to a and b, not both to one."""
    from pathlib import Path

    from zi_audit.app.plan import load_plan
    from zi_audit.match.matcher import Matcher

    rules = load_plan(Path("lke-2021"), None, 2026)
    matcher = Matcher(rules)
    top = "BUKTI DUKUNG ZI 2026/A. PENGUNGKIT/II. REFORM"
    spbe = f"{top}/II. PENATAAN TATALAKSANA/2. SPBE yang Terintegrasi"
    lhkpn = f"{top}/V. PENGUATAN PENGAWASAN/3. Penyampaian Laporan Harta Kekayaan"
    placed = {}
    for folder in (
        f"{spbe}/a. Implementasi SPBE terintegrasi (pelayanan publik cepat &…",
        f"{spbe}/b. Implementasi SPBE terintegrasi (pelayanan internal cepat…",
        f"{lhkpn}/a. Penyampaian LHKPN dipantau",
        f"{lhkpn}/b. Penyampaian Non-LHKPN dipantau",
        f"{top}/VI. PENINGKATAN KUALITAS PELAYANAN PUBLIK/1. Upaya dan／atau Inovasi"
        " Pelayanan Publik/b. Upaya／inovasi pada perijinan／pelayanan dipermudah",
    ):
        parts = folder.split("/")
        for depth in range(1, len(parts) + 1):
            state = matcher.enter_dir("/".join(parts[:depth]))
        indicator = state.context.indicator
        assert indicator is not None, folder
        placed[folder.rpartition("/")[2][:2]] = placed.get(folder.rpartition("/")[2][:2], [])
        placed[folder.rpartition("/")[2][:2]].append(rules.indicator(indicator).lke)
    assert placed["a."] == ["reform:2.ii.a", "reform:5.iii.a"]
    assert placed["b."] == ["reform:2.ii.b", "reform:5.iii.b", "reform:6.i.b"]
