"""The terminal report stays short on a big share: unmatched files are listed up to a
bound, those with a likely home first, and `--all` lists every one."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import pdf_bytes, run_cli

BK = "5. Penguatan Pengawasan/5.5 Penanganan Benturan Kepentingan/5.5.1 Telah terdapat identifikasi-pemetaan benturan"


def test_a_share_of_photos_does_not_flood_the_terminal(tmp_path: Path) -> None:
    root = tmp_path / "share"
    (root / "Foto").mkdir(parents=True)
    for n in range(300):
        (root / "Foto" / f"IMG_{n:04d}.txt").write_text("x")
    (root / BK).mkdir(parents=True)
    (root / BK / "scan_0001.pdf").write_bytes(pdf_bytes())  # unmatched, with a likely home
    args = ["scan", str(root), "--as-of", "2025-11-15", "--state", str(tmp_path / "s")]

    code, out, _ = run_cli(*args)
    assert code == 0
    assert "301 berkas tidak cocok dengan bukti mana pun" in out
    listed = out.split("301 berkas tidak cocok")[1].splitlines()
    assert "scan_0001.pdf" in listed[1]  # the one a move away from counting comes first
    assert sum("IMG_" in line for line in listed) == 49
    assert "… dan 251 lagi (semuanya: scan --all, atau STATE/unmatched.txt)" in out

    code, everything, _ = run_cli(*args, "--all")
    assert sum("IMG_" in line for line in everything.splitlines()) == 300
    assert "lagi (semuanya" not in everything


def test_missing_periods_and_periods_to_come_are_said_apart(tmp_path: Path) -> None:
    """A monthly recap KURANG as of 30 April listed every month to December as 'periode
    belum ada' (#20 point 6)."""
    plan = tmp_path / "rules.yaml"
    plan.write_text(
        """\
version: 1
plan: {title: Uji, year: 2025}
components:
  - id: "1"
    name: Penataan Tatalaksana
    areas:
      - id: "1.1"
        name: SPBE
        indicators:
          - id: "1.1.1"
            text: Absensi dengan aplikasi
            window: Januari - Desember
            evidence:
              - {name: Rekap absensi, patterns: ["rekap absensi*"], every: [month]}
"""
    )
    root = tmp_path / "share"
    root.mkdir()
    (root / "Rekap Absensi Januari 2025.pdf").write_bytes(pdf_bytes())
    code, text, err = run_cli(
        "scan",
        str(root),
        "--rules",
        str(plan),
        "--as-of",
        "2025-04-30",
        "--state",
        str(tmp_path / "s"),
    )
    assert code == 0, err
    missing = next(line for line in text.splitlines() if "periode belum ada" in line)
    coming = next(line for line in text.splitlines() if "periode mendatang" in line)
    assert "Februari 2025" in missing and "Maret 2025" in missing and "Desember" not in missing
    assert "April 2025" in coming and "Desember 2025" in coming
