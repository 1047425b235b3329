"""Plan documents built to exhaust memory (#24 point 5): refused with what was too large,
exit 2, in bounded memory. Each import runs in a child process under a 1.5 GB address-space
cap, so a regression fails here instead of taking the machine."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

CAP = 1536 << 20


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))


def _import(doc: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    out = tmp_path / "draft.yaml"
    cmd = [sys.executable, "-m", "zi_audit", "rules", "import", str(doc), "--output", str(out)]
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    done = subprocess.run(
        cmd, capture_output=True, text=True, timeout=120, preexec_fn=_capped, env=env
    )
    assert not out.exists()
    return done


def _xlsx(tmp_path: Path, build: str) -> Path:
    """A 2 KB workbook whose sheet claims a far cell, or a merge over the whole sheet (written
    into its XML: openpyxl itself would build every merged cell)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["No", "Indikator", "Bukti"])
    if build == "far cell":
        sheet["XFD1048576"] = "x"
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    path = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if build == "merged range" and item.filename == "xl/worksheets/sheet1.xml":
                merge = b'<mergeCells count="1"><mergeCell ref="A5:XFD1048576"/></mergeCells>'
                data = data.replace(b"</sheetData>", b"</sheetData>" + merge)
            dst.writestr(item, data)
    return path


@pytest.mark.parametrize("build", ["far cell", "merged range"])
def test_a_sheet_that_declares_a_billion_cells_is_refused(tmp_path: Path, build: str) -> None:
    done = _import(_xlsx(tmp_path, build), tmp_path)
    assert done.returncode == 2, done.stderr
    assert "refused" in done.stderr or "larger than a plan" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_a_docx_whose_text_inflates_to_gigabytes_is_refused(tmp_path: Path) -> None:
    doc = tmp_path / "bom.docx"
    with zipfile.ZipFile(doc, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as fh:
            block = b" " * (1 << 20)
            for _ in range(300):  # 300 MB of spaces: a 300 KB file
                fh.write(block)
    done = _import(doc, tmp_path)
    assert done.returncode == 2, done.stderr
    assert "inflates to 300 MB" in done.stderr and "Traceback" not in done.stderr
