"""The LKE workbook: opens in openpyxl and LibreOffice, whose recalculated totals are
zi-audit's own, and whose totals move when an evaluator changes an answer."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from tests.helpers import REPO, run_cli

ARTIFACTS = REPO / "build" / "test-artifacts"


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(
                "LibreOffice is required under CI (.ci/run installs libreoffice-calc-nogui)"
            )
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
    return found


def recalculated(book: Path, tmp_path: Path, to: str = "xlsx") -> Path:
    """The workbook as LibreOffice computes it (it recalculates formulas without a cached value)."""
    out = tmp_path / f"lo-{to}-{book.stem}"
    subprocess.run(
        [
            soffice(),
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            to,
            "--outdir",
            str(out),
            str(book),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return out / f"{book.stem}.{to}"


def totals(path: Path) -> dict[str, float]:
    sheet = openpyxl.load_workbook(path, data_only=True)["Ringkasan"]
    return {
        str(r[0]): r[4]
        for r in sheet.iter_rows(values_only=True)
        if r[0] in ("Pemenuhan", "Reform", "Pengungkit", "Total")
    }


def test_the_workbook_computes_what_zi_audit_computes(example_tree: Path, tmp_path: Path) -> None:
    config = tmp_path / "zi-audit.yaml"
    config.write_text(
        f"state: {tmp_path / 'state'}\nlke: {{ipak: 3.6, ipkp: 3.2, capaian_kinerja: C}}\n"
    )
    answers = tmp_path / "jawaban.yaml"
    answers.write_text('answers:\n  "2.i.a": A\n  "reform 1.i.a": 80%\n')
    code, out, err = run_cli(
        "scan",
        str(example_tree),
        "--config",
        str(config),
        "--as-of",
        "2025-11-15",
        "--answers",
        str(answers),
        "--format",
        "json",
    )
    assert code == 0, err
    lke = json.loads(out)["lke"]
    book = tmp_path / "LKE.xlsx"
    code, _, err = run_cli(
        "report", "--config", str(config), "--format", "xlsx", "--output", str(book)
    )
    assert code == 0, err

    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["Ringkasan", "LKE"]
    rows = {(r[0], r[1]): r for r in wb["LKE"].iter_rows(min_row=2, values_only=True)}
    assert len(rows) == 134
    row_2ia = rows[("pemenuhan", "2.i.a")]
    assert (row_2ia[5], row_2ia[6], row_2ia[7]) == ("D", "A", "D")  # claimed A, the evidence: D
    assert row_2ia[11] == "dijawab A, bukti mendukung D"  # a claim without evidence
    assert str(row_2ia[8]).startswith("=IF(")  # a formula, so the totals follow the answers

    computed = totals(recalculated(book, tmp_path))
    assert computed["Pemenuhan"] == pytest.approx(lke["pemenuhan"]["value"], abs=0.005)
    assert computed["Reform"] == pytest.approx(lke["reform"]["value"], abs=0.005)
    assert computed["Total"] == pytest.approx(lke["total"], abs=0.005)

    # An evaluator gives 1.i.a (yesno; sub-area 1.i: 0.50 over 2 rows) its top answer.
    sheet = wb["LKE"]
    line = next(c.row for c in sheet["B"] if c.value == "1.i.a")
    assert sheet.cell(line, 8).value == "Tidak"
    sheet.cell(line, 8).value = "Ya"
    changed = tmp_path / "LKE-diubah.xlsx"
    wb.save(changed)
    moved = totals(recalculated(changed, tmp_path))
    assert moved["Pemenuhan"] - computed["Pemenuhan"] == pytest.approx(0.50 / 2, abs=0.001)

    # The summary sheet as LibreOffice prints it, kept for a person to look at.
    pdf = recalculated(book, tmp_path, "pdf")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        if os.environ.get("CI"):
            pytest.fail("pdftoppm is required under CI (.ci/run installs poppler-utils)")
        pytest.skip("pdftoppm is not installed (apt-get install poppler-utils)")
    subprocess.run(
        [
            pdftoppm,
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(ARTIFACTS / "lke-ringkasan"),
        ],
        check=True,
        timeout=60,
    )
    assert (ARTIFACTS / "lke-ringkasan.png").stat().st_size > 1000


def test_xlsx_needs_an_output_file(tmp_path: Path, example_tree: Path) -> None:
    state = tmp_path / "state"
    assert run_cli("scan", str(example_tree), "--state", str(state), "--quiet")[0] == 0
    code, _, err = run_cli("report", "--state", str(state), "--format", "xlsx")
    assert code == 2 and "--output" in err
