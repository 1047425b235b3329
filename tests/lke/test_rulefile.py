"""`--rules lke-2021` on shares filed per LKE row: every file lands on its row, in its part."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import pdf_bytes, run_cli
from zi_audit.lke.model import PARTS, load_lke

ROMAN = ("I", "II", "III", "IV", "V", "VI")


def cut(text: str, limit: int = 60) -> str:
    """As Drive-synced folders often are: the row's text cut at 60 characters with '…'."""
    clean = text.replace("/", "-")
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def scan(root: Path, tmp_path: Path) -> dict:
    code, out, err = run_cli(
        "scan",
        str(root),
        "--rules",
        "lke-2021",
        "--as-of",
        "2026-06-01",
        "--format",
        "json",
        "--state",
        str(tmp_path / "state"),
    )
    assert code == 0, err
    return json.loads(out)


def placed(doc: dict) -> dict[str, list[str]]:
    """LKE row key -> the files counted for it."""
    return {
        i["lke"]: [f["path"] for e in i["evidence"] for f in e["files"]] for i in doc["indicators"]
    }


def test_a_drive_style_tree_puts_every_file_on_its_row_of_the_right_part(tmp_path: Path) -> None:
    lke = load_lke()
    root = tmp_path / "BUKTI DUKUNG ZI 2026"
    expected: dict[str, list[str]] = {}
    data = pdf_bytes("D:20260310090000+07'00'")
    for part_no, part in enumerate(PARTS):
        for area_no, area, _ in lke.areas(part):
            area_dir = f"A. PENGUNGKIT/{ROMAN[part_no]}. {part.upper()}/{ROMAN[int(area_no) - 1]}. {area.upper()}"
            subs = [s for s in lke.subareas if (s.part, s.area_no) == (part, area_no)]
            for s_pos, sub in enumerate(subs, 1):
                for row in sub.scored_rows:
                    letter = row.id.rsplit(".", 1)[1]
                    rel = f"{area_dir}/{s_pos}. {cut(sub.name)}/{letter}. {cut(row.text)}/Bukti {row.id}.pdf"
                    (root / rel).parent.mkdir(parents=True, exist_ok=True)
                    (root / rel).write_bytes(data)
                    expected[row.key] = [rel]
    got = placed(scan(root, tmp_path))
    wrong = {k: (got.get(k), v) for k, v in expected.items() if got.get(k) != v}
    assert not wrong, wrong
    assert got["reform:1.i.a"] != got["pemenuhan:1.i.a"]


def test_an_area_tree_with_ids_in_names_puts_every_file_on_its_row(tmp_path: Path) -> None:
    lke = load_lke()
    root = tmp_path / "ZONA INTEGRITAS 2026"
    expected: dict[str, list[str]] = {}
    data = pdf_bytes("D:20260310090000+07'00'")
    for area_no, _, _ in lke.areas("pemenuhan"):
        subs = [s for s in lke.subareas if (s.part, s.area_no) == ("pemenuhan", area_no)]
        for sub in subs:
            folder = f"AREA {ROMAN[int(area_no) - 1]}/{sub.no}. {sub.name.replace('/', '-')}"
            for row in sub.scored_rows:
                rel = f"{folder}/{row.id} {cut(row.text, 40)}.pdf"
                (root / rel).parent.mkdir(parents=True, exist_ok=True)
                (root / rel).write_bytes(data)
                expected[row.key] = [rel]
    doc = scan(root, tmp_path)
    got = placed(doc)
    wrong = {k: (got.get(k), v) for k, v in expected.items() if got.get(k) != v}
    assert not wrong, wrong
    assert doc["lke"]["pemenuhan"]["value"] == 30.0  # every Pemenuhan row has its document


def test_rules_show_and_init_work_on_the_lke_rules(tmp_path: Path) -> None:
    code, out, _ = run_cli("rules", "show", "7.1.1", "--rules", "lke-2021")
    assert code == 0 and "Bukti dukung LKE 1.i.a" in out
    code, out, _ = run_cli("init", str(tmp_path / "share"), "--rules", "lke-2021", "--dry-run")
    assert code == 0 and "II. REFORM/1. Manajemen Perubahan" in out
