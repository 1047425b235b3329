"""What real plans say beyond files and dates: applies_to, provided_by, only_if, min,
evaluation_date. Each on a real tree (issue 13, point 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import pdf_bytes, run_cli

PLAN = """\
version: 1
plan:
  title: Uji
  year: 2025
  unit_kinds: [kpu, imigrasi]
{plan_extra}components:
  - id: "1"
    name: Manajemen Perubahan
    areas:
      - id: "1.1"
        name: Penyusunan Tim Kerja
        indicators:
          - id: "1.1.1"
            lke: "1.i.a"
            text: Tim kerja
            window: Agustus
            evidence:
              - name: SK Tim
                patterns: ["sk tim*"]
              - name: Paspor dinas
                patterns: ["paspor*"]
                applies_to: [imigrasi]
              - name: Data pegawai
                patterns: ["data pegawai*"]
                provided_by: Biro Kepegawaian
              - name: Penanganan pelanggaran kode etik
                patterns: ["pelanggaran kode etik*"]
                only_if: terjadi pelanggaran kode etik
              - name: Foto sosialisasi
                patterns: ["foto sosialisasi*"]
                min: 3
"""


def scan(
    tmp_path: Path,
    files: dict[str, bytes],
    as_of: str = "2025-11-15",
    plan_extra: str = "",
    kind: str = "kpu",
) -> dict:
    rules = tmp_path / "rules.yaml"
    rules.write_text(PLAN.format(plan_extra=plan_extra))
    config = tmp_path / "zi-audit.yaml"
    config.write_text(f"state: {tmp_path / 'state'}\nunit_kind: {kind}\n")
    root = tmp_path / "share"
    root.mkdir(exist_ok=True)
    (root / "catatan.txt").write_text("a share with nothing planned in it yet is still there")
    for name, data in files.items():
        (root / name).write_bytes(data)
    code, out, err = run_cli(
        "scan",
        str(root),
        "--rules",
        str(rules),
        "--config",
        str(config),
        "--as-of",
        as_of,
        "--format",
        "json",
    )
    assert code == 0, err
    return json.loads(out)


def items(doc: dict) -> dict[str, dict]:
    return {e["name"]: e for i in doc["indicators"] for e in i["evidence"]}


def test_items_for_another_kind_of_unit_are_never_gaps(tmp_path: Path) -> None:
    doc = scan(tmp_path, {"SK Tim 2025-08-10.pdf": pdf_bytes()})
    assert items(doc)["Paspor dinas"]["status"] == "not_applicable"
    gaps = run_cli("report", "--state", str(tmp_path / "state"), "--format", "text")[1]
    assert "Paspor dinas" not in gaps
    assert items(scan(tmp_path, {}, kind="imigrasi"))["Paspor dinas"]["status"] == "missing"


def test_provided_evidence_is_shown_as_provided_and_checked_when_kept(tmp_path: Path) -> None:
    doc = scan(tmp_path, {})
    assert items(doc)["Data pegawai"]["status"] == "provided"
    assert items(doc)["Data pegawai"]["provided_by"] == "Biro Kepegawaian"
    kept = scan(tmp_path, {"Data Pegawai 2025-08-20.pdf": b""})  # a copy, and an empty one
    assert items(kept)["Data pegawai"]["status"] == "invalid"


def test_only_if_turns_from_not_required_to_present_when_a_file_lands(tmp_path: Path) -> None:
    assert items(scan(tmp_path, {}))["Penanganan pelanggaran kode etik"]["status"] == "not_required"
    landed = scan(tmp_path, {"Pelanggaran Kode Etik 2025-08-15.pdf": pdf_bytes()})
    assert items(landed)["Penanganan pelanggaran kode etik"]["status"] == "present"


def test_min_counts_distinct_documents_by_content(tmp_path: Path) -> None:
    one = pdf_bytes("D:20250801090000+07'00'")
    two = pdf_bytes("D:20250802090000+07'00'")
    files = {
        "Foto Sosialisasi 1 2025-08-01.pdf": one,
        "Foto Sosialisasi 1 (copy) 2025-08-01.pdf": one,  # the same content: not a third
        "Foto Sosialisasi 2 2025-08-02.pdf": two,
    }
    doc = scan(tmp_path, files)
    foto = items(doc)["Foto sosialisasi"]
    assert (foto["have"], foto["need"], foto["status"]) == (2, 3, "missing")
    row = next(r for r in doc["lke"]["rows"] if r["id"] == "1.i.a")
    # five items; one another unit's; SK missing, data provided, kode etik not required,
    # foto 2 of 3: (0 + 1 + 1 + 2/3) / 4
    assert row["share"] == pytest.approx((1 + 1 + 2 / 3) / 4, abs=1e-3)


def test_after_the_evaluation_date_nothing_is_pending(tmp_path: Path) -> None:
    before = scan(tmp_path, {}, as_of="2025-08-15", plan_extra="  evaluation_date: 2025-09-01\n")
    assert items(before)["SK Tim"]["status"] == "pending"
    after = scan(tmp_path, {}, as_of="2025-09-01", plan_extra="  evaluation_date: 2025-09-01\n")
    assert items(after)["SK Tim"]["status"] == "missing"
    assert after["summary"]["by_status"]["pending"] == 0


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("applies_to: [imigrasi]", "applies_to: [kejaksaan]", "applies_to"),
        ("min: 3", "min: 0", "min"),
    ],
)
def test_bad_plan_keys_name_file_line_and_key(tmp_path: Path, old: str, new: str, key: str) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(PLAN.format(plan_extra="").replace(old, new))
    code, _, err = run_cli("rules", "check", str(rules))
    assert code == 2 and f"'{key}'" in err and ".yaml:" in err


def test_an_unknown_unit_kind_in_the_configuration(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(PLAN.format(plan_extra=""))
    config = tmp_path / "zi-audit.yaml"
    config.write_text(f"rules: {rules}\nunit_kind: pengadilan\n")
    code, _, err = run_cli("config", "check", "--config", str(config))
    assert code == 2 and "pengadilan" in err and "unit_kinds" in err


def test_a_pic_per_area_indicator_or_item_is_named_and_mailed(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    text = (
        PLAN.format(plan_extra="")
        .replace(
            "        name: Penyusunan Tim Kerja\n",
            "        name: Penyusunan Tim Kerja\n        pic: Kasubbag Umum\n",
        )
        .replace(
            "              - name: Foto sosialisasi\n",
            "              - name: Foto sosialisasi\n                pic: Humas\n",
        )
    )
    rules.write_text(text)
    root = tmp_path / "share"
    root.mkdir()
    (root / "catatan.txt").write_text("x")
    config = tmp_path / "zi-audit.yaml"
    base = (
        f"state: {tmp_path / 'state'}\nunit_kind: kpu\nrules: {rules}\nemail:\n"
        "  sender: zi@kpu.go.id\n  recipients: [tim@kpu.go.id]\n"
        "  smtp: {host: 127.0.0.1, port: 2525, security: plain}\n"
    )
    config.write_text(base + "pics:\n  Kasubbag Umum: umum@kpu.go.id\n")
    code, _, err = run_cli("config", "check", "--config", str(config))
    assert code == 2 and "PIC 'Humas'" in err and f"{rules}:" in err and "'pic'" in err
    config.write_text(base + "pics:\n  Kasubbag Umum: umum@kpu.go.id\n  Humas: humas@kpu.go.id\n")
    code, text_out, err = run_cli(
        "scan",
        str(root),
        "--config",
        str(config),
        "--as-of",
        "2025-11-15",
        "--email",
        "--dry-run",
    )
    assert code == 0, err
    assert "PIC: Kasubbag Umum" in text_out and "PIC: Humas" in text_out
    emls = sorted((tmp_path / "state" / "outbox").rglob("*.eml"))
    heads = [p.read_bytes().split(b"\n\n", 1)[0].decode() for p in emls]
    to_humas = next(h for h in heads if "humas@kpu.go.id" in h)
    assert "Humas: 1 kekurangan" in to_humas
    body = next(p.read_bytes().decode() for p in emls if b"humas@kpu.go.id" in p.read_bytes())
    assert "Foto sosialisasi" in body and "SK Tim" not in body
