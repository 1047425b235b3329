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
    assert "… dan 251 lagi (semuanya: --all, atau laporan JSON/HTML)" in out

    code, everything, _ = run_cli(*args, "--all")
    assert sum("IMG_" in line for line in everything.splitlines()) == 300
    assert "lagi (semuanya" not in everything
