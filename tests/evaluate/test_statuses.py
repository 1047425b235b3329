"""Statuses on real trees: every status, precedence, slots, grace and date sources."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import Files, item, pdf_bytes, scan_json, statuses
from zi_audit.core.facts import FileFacts
from zi_audit.evaluate.statuses import EvaluationMemo, evaluate
from zi_audit.rules.model import RuleSet

Tree = Callable[[Files], Path]
AGEN = "1. Manajemen Perubahan/1.4 Perubahan Pola Pikir/1.4.2 Agen Perubahan"


def set_mtime(path: Path, day: dt.date) -> None:
    stamp = dt.datetime(
        day.year, day.month, day.day, 10, tzinfo=dt.timezone(dt.timedelta(hours=7))
    ).timestamp()
    os.utime(path, (stamp, stamp))


@pytest.mark.parametrize(
    ("files", "as_of", "expected"),
    [
        ({"SK Tim Agen Perubahan 2025-09-10.pdf": "pdf"}, "2025-11-15", "present"),
        (
            {"SK Tim Agen Perubahan 2025-03-10.pdf": "pdf"},
            "2025-11-15",
            "present",
        ),  # early, same year
        ({"SK Tim Agen Perubahan 2025-10-20.pdf": "pdf"}, "2025-11-15", "late"),
        ({"SK Tim Agen Perubahan 2024-09-10.pdf": "pdf"}, "2025-11-15", "outdated"),
        ({"SK Tim Agen Perubahan 2025-09-10.pdf": ""}, "2025-11-15", "invalid"),
        ({}, "2025-11-15", "missing"),
        ({}, "2025-09-15", "pending"),
        # Precedence inside one item: present > late > outdated > invalid.
        (
            {"SK Agen Perubahan 2025-09-10.pdf": "pdf", "SK Agen Perubahan 2025-10-10.pdf": "pdf"},
            "2025-11-15",
            "present",
        ),
        (
            {"SK Agen Perubahan 2025-10-10.pdf": "pdf", "SK Agen Perubahan 2024-09-01.pdf": "pdf"},
            "2025-11-15",
            "late",
        ),
        (
            {"SK Agen Perubahan 2024-09-01.pdf": "pdf", "SK Agen Perubahan 2025-09-01.pdf": ""},
            "2025-11-15",
            "outdated",
        ),
    ],
)
def test_item_statuses(tree: Tree, files: Files, as_of: str, expected: str) -> None:
    root = tree(
        {f"{AGEN}/{name}": content for name, content in files.items()} or {"README.txt": "x"}
    )
    report = scan_json(root, as_of)
    assert item(report, "1.4.2/1")["status"] == expected
    assert statuses(report)["1.4.2"] == expected


def test_year_named_evidence_of_another_year_is_outdated(tree: Tree) -> None:
    root = tree(
        {
            "1.1 Tim Kerja/SK TIM ZI 2024.pdf": "pdf",
            "1.2 Rencana/SK Rencana Aksi ZI 2024.pdf": "pdf",
        }
    )
    for p in root.rglob("*.pdf"):
        set_mtime(p, dt.date(2025, 8, 10))  # touched this year: the name still says 2024
    report = scan_json(root)
    assert item(report, "1.1.1/1")["status"] == "outdated"
    # The Rencana Aksi item does not name a year: a 2024 name alone does not make it outdated.
    assert item(report, "1.2.1/1")["status"] == "present"


def test_indicator_takes_its_worst_item(tree: Tree) -> None:
    root = tree({"Pakta Integritas 2025-08-20.pdf": "pdf"})
    report = scan_json(root)
    assert item(report, "1.2.3/1")["status"] == "present"
    assert item(report, "1.2.3/2")["status"] == "pending"
    assert statuses(report)["1.2.3"] == "pending"
    assert statuses(report)["6.3.1"] == "not_planned"
    assert report["summary"]["by_status"]["not_planned"] == 1


REKAP = "2. Penataan Tatalaksana/2.2 SPBE/2.2.2 Absensi"


def test_monthly_slots_with_grace(tree: Tree) -> None:
    root = tree(
        {
            f"{REKAP}/Rekap Absensi Agustus 2025.pdf": "pdf",  # names its period
            f"{REKAP}/Rekap Absensi 2025-09-05.pdf": "pdf",  # a day: the slot holding it
        }
    )
    early = item(scan_json(root, "2025-11-10"), "2.2.2/1")
    assert [(s["label"], s["status"]) for s in early["slots"]] == [
        ("Agustus 2025", "present"),
        ("September 2025", "present"),
        ("Oktober 2025", "pending"),  # ended 31 Oct, 14 days' grace for a recap
        ("November 2025", "pending"),
        ("Desember 2025", "pending"),
    ]
    assert early["status"] == "pending"
    late = item(scan_json(root, "2025-11-20"), "2.2.2/1")
    assert late["slots"][2]["status"] == "missing"
    assert late["status"] == "missing"


def test_file_without_a_named_period_fills_the_slot_holding_its_date(tree: Tree) -> None:
    """docs/statuses.md: a file whose name names no period fills the slot that contains its date."""
    root = tree({f"{REKAP}/Rekap Absensi {m} 2025.pdf": "pdf" for m in ("Agustus", "September")})
    (root / REKAP / "Rekap Absensi 2025-11-05.pdf").write_bytes(pdf_bytes())
    slots = item(scan_json(root, "2025-11-20"), "2.2.2/1")["slots"]
    assert [s["status"] for s in slots] == ["present", "present", "missing", "present", "pending"]


KELUHAN = "6. Pelayanan Publik/6.3 Pengelolaan Pengaduan/6.3.3 Evaluasi keluhan"


def test_two_month_window_is_two_slots(tree: Tree) -> None:
    root = tree({f"{KELUHAN}/Rapat Evaluasi Keluhan 2025-10-20.pdf": "pdf"})
    ev = item(scan_json(root, "2025-11-20"), "6.3.3/1")
    assert [(s["label"], s["status"]) for s in ev["slots"]] == [
        ("Oktober 2025", "present"),
        ("Desember 2025", "pending"),
    ]
    ev = item(scan_json(root, "2026-01-20"), "6.3.3/1")
    assert [s["status"] for s in ev["slots"]] == ["present", "missing"]
    assert ev["status"] == "missing"


MONEV = "1. Manajemen Perubahan/1.3 Pemantauan dan Evaluasi/1.3.2 Monev ZI"


def test_semester_or_quarter(tree: Tree) -> None:
    root = tree({f"{MONEV}/Rapat 15 Oktober 2025/Undangan.pdf": "pdf"})
    ev = item(scan_json(root, "2025-11-15"), "1.3.2/1")
    # Quarterly, Q3 would be missing by now; one semester meeting satisfies the plan.
    assert [(s["label"], s["status"]) for s in ev["slots"]] == [("Semester II 2025", "present")]
    assert ev["status"] == "present"
    assert ev["files"][0]["date_source"] == "folder"


def test_date_sources(tree: Tree) -> None:
    root = tree(
        {
            f"{AGEN}/SK Agen Perubahan 2025-09-10.pdf": "pdf",
            f"{MONEV}/Rapat 15 Oktober 2025/Daftar Hadir.pdf": "pdf",
            f"{KELUHAN}/Notulen rapat keluhan.pdf": pdf_bytes("D:20251002093000+07'00'"),
            f"{KELUHAN}/Daftar hadir rapat keluhan.pdf": pdf_bytes(None),
        }
    )
    set_mtime(root / KELUHAN / "Daftar hadir rapat keluhan.pdf", dt.date(2025, 10, 3))
    report = scan_json(root)
    assert item(report, "1.4.2/1")["files"][0]["date_source"] == "filename"
    assert item(report, "1.3.2/2")["files"][0]["date_source"] == "folder"
    by_name = {f["path"].rpartition("/")[2]: f for f in item(report, "6.3.3/1")["files"]}
    notulen, hadir = by_name["Notulen rapat keluhan.pdf"], by_name["Daftar hadir rapat keluhan.pdf"]
    assert (notulen["date"], notulen["date_source"], notulen["content_source"]) == (
        "2025-10-02",
        "content",
        "pdf-info",
    )
    assert (hadir["date"], hadir["date_source"]) == ("2025-10-03", "mtime")


def test_evaluation_is_pure(rules: RuleSet) -> None:
    """No files, no clock: the same facts give the same statuses."""
    path = "x/SK Tim Agen Perubahan 2025-09-10.pdf"
    facts = {path: FileFacts(size=10, mtime=0.0)}
    results = evaluate(rules, {"1.4.2/1": [path]}, facts, dt.date(2025, 11, 15))
    by_id = {r.indicator.id: r.status for r in results}
    assert by_id["1.4.2"] == "present"
    assert by_id["1.1.1"] == "missing"
    assert list(by_id.values()).count("not_planned") == 1
    assert len(by_id) == 87


def test_a_memo_reevaluates_only_the_indicators_whose_inputs_moved(rules: RuleSet) -> None:
    """Watch keeps an EvaluationMemo: the same inputs give the result kept, and anything an
    indicator depends on (its files, their facts, the date) makes it evaluated again."""
    sk = "x/SK Tim Agen Perubahan 2025-09-10.pdf"
    facts = {sk: FileFacts(size=10, mtime=0.0)}
    as_of = dt.date(2025, 11, 15)
    memo = EvaluationMemo()
    first = evaluate(rules, {"1.4.2/1": [sk]}, facts, as_of, memo=memo)
    assert memo.evaluated == 86  # every planned indicator
    assert evaluate(rules, {"1.4.2/1": [sk]}, facts, as_of, memo=memo) == first
    assert memo.evaluated == 0

    broken = {sk: FileFacts(size=10, mtime=0.0, valid=False, problems=("truncated",))}
    again = evaluate(rules, {"1.4.2/1": [sk]}, broken, as_of, memo=memo)
    assert memo.evaluated == 1
    assert again == evaluate(rules, {"1.4.2/1": [sk]}, broken, as_of)
    assert {r.indicator.id: r.status for r in again}["1.4.2"] != "present"

    assert evaluate(rules, {}, broken, as_of, memo=memo) == evaluate(rules, {}, broken, as_of)
    assert memo.evaluated == 1
    later = evaluate(rules, {}, broken, dt.date(2026, 3, 1), memo=memo)
    assert memo.evaluated == 86
    assert later == evaluate(rules, {}, broken, dt.date(2026, 3, 1))


def test_a_name_naming_the_plan_year_outranks_an_earlier_content_date(tmp_path: Path) -> None:
    """#20 point 2: 'SK Tim Pembangunan ZI 2026.pdf', created on 29 September 2025, was
    USANG under a 2026 plan; an SK for year N is often signed in December of N-1."""
    from tests.helpers import pdf_bytes, run_cli

    plan = tmp_path / "rules.yaml"
    plan.write_text(
        """\
version: 1
plan: {title: Uji, year: 2026}
components:
  - id: "1"
    name: Manajemen Perubahan
    areas:
      - id: "1.1"
        name: Tim Kerja
        indicators:
          - {id: "1.1.1", text: Tim, window: Januari, evidence: [{name: SK Tim, patterns: ["sk tim*"]}]}
          - {id: "1.1.2", text: Tim lagi, window: Januari, evidence: [{name: SK Tim Lama, patterns: ["sk lama*"]}]}
"""
    )
    root = tmp_path / "share"
    root.mkdir()
    created = "D:20250929090000+07'00'"
    (root / "SK Tim Pembangunan ZI 2026.pdf").write_bytes(pdf_bytes(created))
    (root / "SK Lama Pembangunan ZI.pdf").write_bytes(pdf_bytes(created))  # no year named
    code, out, err = run_cli(
        "scan",
        str(root),
        "--rules",
        str(plan),
        "--as-of",
        "2026-02-15",
        "--format",
        "json",
        "--state",
        str(tmp_path / "s"),
    )
    assert code == 0, err
    got = {i["id"]: i["status"] for i in json.loads(out)["indicators"]}
    assert got == {"1.1.1": "present", "1.1.2": "outdated"}


def test_unmatched_paths_are_kept_per_folder_and_read_as_paths() -> None:
    """#23.3: a folder's unmatched files are its prefix and its listing's own names."""
    from zi_audit.evaluate.model import FolderPaths

    names = ["a.jpg", "b.jpg"]
    paths = FolderPaths()
    paths.add("Foto/", names)
    paths.add("", [])
    paths.add("", ["Catatan.txt"])
    assert len(paths) == 3 and list(paths) == ["Foto/a.jpg", "Foto/b.jpg", "Catatan.txt"]
    assert paths == ("Foto/a.jpg", "Foto/b.jpg", "Catatan.txt") and paths[1] == "Foto/b.jpg"
    assert paths._parts[0][1] is names  # the names are not copied
    paths.add("", ["Arsip/lama.pdf"])
    assert paths.folders() == {"Foto": 2, "": 1, "Arsip": 1}
