"""`zi-audit explain`, unmatched files with their suggestions, and `zi-audit rules`."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import Files, pdf_bytes, run_cli, scan_json
from tests.rules.test_plan import GOOD

Tree = Callable[[Files], Path]
AGEN = "1. Manajemen Perubahan/1.4 Perubahan Pola Pikir dan Budaya Kerja/1.4.2 Sudah ditetapkan agen perubahan"
MONEV = "1. Manajemen Perubahan/1.3 Pemantauan dan Evaluasi/1.3.2 Terdapat monitoring dan evaluasi"


def explain(root: Path, tmp_path: Path, *rels: str) -> str:
    code, out, err = run_cli(
        "explain",
        "--root",
        str(root),
        "--state",
        str(tmp_path / "state"),
        *(str(root / r) for r in rels),
    )
    assert code == 0, err
    return out


def test_explain_a_matching_file(tree: Tree, tmp_path: Path) -> None:
    root = tree({f"{AGEN}/SK Tim Agen Perubahan 2025-09-10.pdf": pdf_bytes()})
    out = explain(root, tmp_path, f"{AGEN}/SK Tim Agen Perubahan 2025-09-10.pdf")
    assert "tanggal: 10 September 2025 (nama berkas)" in out
    assert "LENGKAP         1.4.2   SK Tim Agen Perubahan" in out


def test_explain_a_file_outside_its_window(tree: Tree, tmp_path: Path) -> None:
    root = tree({f"{AGEN}/SK Tim Agen Perubahan 2025-10-20.pdf": pdf_bytes()})
    out = explain(root, tmp_path, f"{AGEN}/SK Tim Agen Perubahan 2025-10-20.pdf")
    assert "TERLAMBAT" in out and "target waktu: 1 September 2025 – 30 September 2025" in out


def test_explain_a_misnamed_file(tree: Tree, tmp_path: Path) -> None:
    # A folder known by its number only: its name does not itself name the evidence.
    folder = "1. Manajemen Perubahan/1.4 Pola Pikir/1.4.2 Penetapan"
    root = tree({f"{folder}/Keputusan Sekretaris.pdf": pdf_bytes()})
    out = explain(root, tmp_path, f"{folder}/Keputusan Sekretaris.pdf")
    assert "tidak dihitung sebagai bukti mana pun" in out
    assert "hampir cocok dengan" in out and "1.4.2   SK Tim Agen Perubahan" in out
    assert 'nama tidak cocok dengan pola "sk*agen perubahan*"' in out


def test_explain_a_generic_file_in_the_wrong_folder_and_a_wrong_type(
    tree: Tree, tmp_path: Path
) -> None:
    root = tree({"Arsip/Daftar Hadir.pdf": pdf_bytes(), f"{AGEN}/SK Tim Agen Perubahan.docx": "x"})
    out = explain(root, tmp_path, "Arsip/Daftar Hadir.pdf", f"{AGEN}/SK Tim Agen Perubahan.docx")
    assert "hanya dihitung di dalam folder indikator 1.3.2" in out
    assert "jenis berkas tidak diterima; yang diterima: pdf" in out


def test_explain_refuses_a_file_outside_the_root(tree: Tree, tmp_path: Path) -> None:
    root = tree({"a.pdf": pdf_bytes()})
    other = tmp_path / "lain.pdf"
    other.write_bytes(pdf_bytes())
    code, _, err = run_cli("explain", "--root", str(root), str(other))
    assert code == 2 and "not inside the evidence folder" in err


def test_unmatched_files_come_with_a_suggestion(tree: Tree) -> None:
    root = tree(
        {
            "Lain-lain/Surat Pernyataan Benturan Kepentingn.pdf": pdf_bytes(),  # typo: no pattern matches
            "Lain-lain/Lap Monev Keterbukaan Info 2025.pdf": pdf_bytes(),
            "Lain-lain/catatan.txt": "x",
        }
    )
    report = scan_json(root)
    assert sorted(report["unmatched_files"]) == [
        "Lain-lain/Lap Monev Keterbukaan Info 2025.pdf",
        "Lain-lain/Surat Pernyataan Benturan Kepentingn.pdf",
        "Lain-lain/catatan.txt",
    ]
    hints = {u["path"]: (u["indicator"], u["evidence"]) for u in report["unmatched"]}
    assert hints["Lain-lain/Surat Pernyataan Benturan Kepentingn.pdf"] == ("5.5.1", "5.5.1/2")
    assert hints["Lain-lain/Lap Monev Keterbukaan Info 2025.pdf"] == ("2.3.2", "2.3.2/1")
    assert "Lain-lain/catatan.txt" not in hints  # not a type any evidence accepts
    _, text, _ = run_cli("scan", str(root), "--as-of", "2025-11-15")
    assert "3 berkas tidak cocok dengan bukti mana pun" in text
    assert "→ mungkin untuk 5.5.1 Surat pernyataan tidak memiliki benturan kepentingan" in text


def test_rules_check_good_and_broken(tmp_path: Path) -> None:
    code, out, _ = run_cli("rules", "check", "--lang", "en")
    assert code == 0
    assert "6 components, 25 areas, 87 indicators" in out and "133 evidence items" in out
    assert "no evidence planned: 6.3.1" in out and "warning" not in out
    broken = tmp_path / "rules.yaml"
    broken.write_text(GOOD.replace("window: Agustus", "window: Agustos"))
    code, out, err = run_cli("rules", "check", str(broken))
    assert code == 2 and f"{broken}:14: 'window': 'Agustos' is not a month" in err
    unmatchable = tmp_path / "unmatchable.yaml"
    unmatchable.write_text(GOOD.replace('["sk tim*"]', '["sk direktur*"]'))
    code, out, _ = run_cli("rules", "check", str(unmatchable))
    assert code == 0 and "peringatan" in out and "1.1.1/1 SK Tim" in out


def test_rules_show(tmp_path: Path) -> None:
    code, out, _ = run_cli("rules", "show", "6.3.3")
    assert code == 0
    assert "Rapat evaluasi dan penanganan keluhan" in out and "Oktober" in out
    code, _, err = run_cli("rules", "show", "9.9.9")
    assert code == 2 and "no indicator '9.9.9'" in err


def test_explain_names_the_folder_that_kept_a_file_out(tree: Tree, tmp_path: Path) -> None:
    root = tree({"3.3.1 Usulan kebutuhan diklat/Jadwal.pdf": pdf_bytes()})
    out = explain(root, tmp_path, "3.3.1 Usulan kebutuhan diklat/Jadwal.pdf")
    assert "3.3.2" in out and "folder itu milik 3.3.1" in out


TIED = """\
version: 1
plan: {title: Uji, year: 2025}
components:
  - id: "1"
    name: Manajemen Perubahan
    areas:
      - id: "1.1"
        name: Penyusunan Tim Kerja
        indicators:
          - id: "1.1.1"
            text: Tim kerja dibentuk
            window: Agustus
            evidence:
              - {name: Undangan rapat tim, in_folder: ["undangan*"]}
  - id: "2"
    name: Penataan Tatalaksana
    areas:
      - id: "2.1"
        name: Penyusunan Tim Kerja
        indicators:
          - id: "2.1.1"
            text: Tim SOP dibentuk
            window: Agustus
            evidence:
              - {name: Undangan rapat SOP, in_folder: ["undangan*"]}
      - id: "2.2"
        name: Tim Kerja
        indicators:
          - id: "2.2.1"
            text: Tim lain
            window: Agustus
            evidence:
              - {name: Undangan tim lain, in_folder: ["undangan*"]}
"""


def test_a_folder_two_areas_claim_equally_is_placed_nowhere_and_explain_says_so(
    tree: Tree, tmp_path: Path
) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        TIED.replace(
            '      - id: "2.2"\n        name: Tim Kerja',
            '      - id: "2.2"\n        name: Arsip Lain',
        )
    )
    root = tree({"Penyusunan Tim Kerja/Undangan.pdf": pdf_bytes()})
    code, out, err = run_cli(
        "explain",
        "--root",
        str(root),
        "--rules",
        str(rules),
        "--state",
        str(tmp_path / "state"),
        str(root / "Penyusunan Tim Kerja/Undangan.pdf"),
    )
    assert code == 0, err
    assert "'Penyusunan Tim Kerja' sama cocoknya dengan 1.1, 2.1" in out
    assert "nama tidak cocok dengan pola" not in out  # no row listed merely for being near


def test_between_equal_matches_the_exact_name_decides(tree: Tree, tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(TIED)  # 2.1 'Penyusunan Tim Kerja' and 2.2 'Tim Kerja' both hold 'tim kerja'
    root = tree({"2. Penataan Tatalaksana/Tim Kerja/Undangan.pdf": pdf_bytes()})
    code, out, err = run_cli(
        "scan",
        str(root),
        "--rules",
        str(rules),
        "--as-of",
        "2025-11-15",
        "--format",
        "json",
        "--state",
        str(tmp_path / "state"),
    )
    assert code == 0, err
    ev = {e["key"]: e for i in json.loads(out)["indicators"] for e in i["evidence"]}
    assert [f["path"] for f in ev["2.2.1/1"]["files"]] == [
        "2. Penataan Tatalaksana/Tim Kerja/Undangan.pdf"
    ]


def test_plan_commands_use_the_rules_the_configuration_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """init, rules show and rules check read the plan zi-audit.yaml names, as scan does;
    the paths of the configuration expand `~` alike."""
    home = Path(os.environ["HOME"])
    (home / "plan.yaml").write_text(GOOD.replace("Unit telah membentuk tim", "Tim kami sendiri"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "zi-audit.yaml").write_text("rules: ~/plan.yaml\n")
    code, out, err = run_cli("rules", "check")
    assert code == 0, err
    assert "1 komponen, 1 area, 1 indikator" in out  # Indonesian, the default
    code, out, err = run_cli("rules", "show", "1.1.1")
    assert code == 0 and "Tim kami sendiri" in out, err
    code, out, err = run_cli("init", str(tmp_path / "share"), "--dry-run")
    assert code == 0 and "Tim kami sendiri" in out and "6." not in out, err
