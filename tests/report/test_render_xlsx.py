"""The LKE workbook: opens in openpyxl and LibreOffice, whose recalculated totals are
zi-audit's own, and whose totals move when an evaluator changes an answer."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

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
    row_2ia = rows[("Pemenuhan", "2.i.a")]
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


def _lke_book(example_tree: Path, tmp_path: Path, config_text: str = "") -> tuple[Path, Path]:
    tmp_path.mkdir(exist_ok=True)
    config = tmp_path / "zi-audit.yaml"
    config.write_text(f"state: {tmp_path / 'state'}\n{config_text}", encoding="utf-8")
    broken = example_tree / "5. Penguatan Pengawasan" / "LHKPN rusak 2025-03-31.pdf"
    broken.write_bytes(b"%PDF-1.4\n")  # so a row has a problem to say (twice: same bytes)
    scan = ("scan", str(example_tree), "--config", str(config), "--as-of", "2025-11-15")
    assert run_cli(*scan, "--quiet")[0] == 0
    book = tmp_path / "laporan" / "LKE.xlsx"
    book.parent.mkdir()
    code, _, err = run_cli(
        "report", "--config", str(config), "--format", "xlsx", "--output", str(book)
    )
    assert code == 0, err
    return book, config


def test_the_workbook_reads_as_a_tpi_prints_and_clicks_it(
    example_tree: Path, tmp_path: Path
) -> None:
    """#21.3: Indonesian throughout (parts named, problems in words), headers that wrap, a
    print set-up (landscape, one page wide, header rows repeated), and each LKE row linked
    to its evidence: relative to the workbook, or under links.base_url."""
    book, _ = _lke_book(example_tree, tmp_path)
    wb = openpyxl.load_workbook(book)
    sheet = wb["LKE"]
    assert {c.value for c in sheet["A"][1:]} == {"Pemenuhan", "Reform"}
    assert {r[0] for r in wb["Ringkasan"].iter_rows(min_row=2, max_row=5, values_only=True)} == {
        "Pemenuhan"
    }
    problems = " ".join(str(c.value or "") for c in sheet["K"])
    assert "rusak, tidak dapat dibuka" in problems and "corrupt" not in problems
    assert sheet["E1"].alignment.wrap_text and sheet.row_dimensions[1].height >= 30
    for ws in (sheet, wb["Ringkasan"]):
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$1:$1"
    assert sheet.page_setup.orientation == "landscape"
    links = {c.row: c.hyperlink.target for c in sheet["M"] if c.hyperlink}
    assert len(links) > 20
    target = next(iter(links.values()))
    assert target.startswith("../evidence_tree/")  # from laporan/ to the share, relative
    assert (book.parent / unquote(target)).exists()

    (tmp_path / "laporan" / "LKE.xlsx").unlink()
    url = "https://drive.example.go.id/zi/"
    book, _ = _lke_book(example_tree, tmp_path / "web", f"links: {{base_url: {url}}}\n")
    sheet = openpyxl.load_workbook(book)["LKE"]
    web = [c.hyperlink.target for c in sheet["M"] if c.hyperlink]
    assert web and all(w.startswith(url) and " " not in w for w in web)


def test_typing_a_count_moves_its_percent_row_its_sub_area_and_the_total(
    example_tree: Path, tmp_path: Path
) -> None:
    """#21.3, recalculated by LibreOffice: Reform 4.i.a is Jumlah Sasaran tercapai ÷ Jumlah
    Sasaran; 5.iii.a's 'harus melaporkan' is the sum of its breakdown."""
    book, _ = _lke_book(example_tree, tmp_path)
    before = totals(recalculated(book, tmp_path))
    wb = openpyxl.load_workbook(book)
    sheet = wb["LKE"]
    line = {(c.value, sheet.cell(c.row, 1).value): c.row for c in sheet["B"]}
    sheet.cell(line[("4.i.a.1", "Reform")], 8).value = 10
    sheet.cell(line[("4.i.a.2", "Reform")], 8).value = 8
    for n, v in (("5.iii.a.1.1", 1), ("5.iii.a.1.2", 2), ("5.iii.a.1.3", 1), ("5.iii.a.2", 3)):
        sheet.cell(line[(n, "Reform")], 8).value = v
    changed = tmp_path / "LKE-jumlah.xlsx"
    wb.save(changed)
    after_book = recalculated(changed, tmp_path)
    values = openpyxl.load_workbook(after_book, data_only=True)["LKE"]
    assert values.cell(line[("4.i.a", "Reform")], 9).value == pytest.approx(0.8)
    assert values.cell(line[("5.iii.a.1", "Reform")], 8).value == 4
    assert values.cell(line[("5.iii.a", "Reform")], 9).value == pytest.approx(0.75)
    after = totals(after_book)
    assert after["Reform"] > before["Reform"] and after["Total"] > before["Total"]
    summary = openpyxl.load_workbook(after_book, data_only=True)["Ringkasan"]
    sub = next(r for r in summary.iter_rows(values_only=True) if r[:2] == ("Reform", "4.i"))
    assert sub[4] == pytest.approx(2.0 * 0.8)  # weight 2.00 × its one scored row

    # The LKE sheet as LibreOffice prints it, for a person to look at.
    pdf = recalculated(changed, tmp_path, "pdf")
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("pdftoppm is not installed (apt-get install poppler-utils)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            pdftoppm,
            "-png",
            "-r",
            "60",
            "-f",
            "3",  # the Ringkasan fills two pages; the LKE sheet begins on the third
            "-l",
            "3",
            "-singlefile",
            str(pdf),
            str(ARTIFACTS / "lke-baris"),
        ],
        check=True,
        timeout=60,
    )
    assert (ARTIFACTS / "lke-baris.png").stat().st_size > 1000
