"""The LKE workbook: the file a unit hands to its TPI (`zi-audit report --format xlsx`).

Sheet "LKE" lists every row of both parts in the LKE's own layout: part, id, text, answer
options, sub-area weight, the answer the evidence supports, the team's answer, the answer
that counts, its value, the evidence files, their problems and a link to them. Sheet
"Ringkasan" (xlsx_summary.py) sums it up
by sub-area, area and part, with Hasil, the total and every WBK/WBBM condition. Every value
and sum is a spreadsheet formula over the answer cells: an evaluator who changes an answer
sees the totals move. openpyxl writes it; docs/lke.md says what each column means.
"""

from __future__ import annotations

import io
import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import NamedTuple
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from zi_audit.core.schema import LkeDoc, LkeRowDoc, ReportDoc
from zi_audit.i18n import problem
from zi_audit.lke.model import (
    ANSWER_VALUES,
    PARTS,
    Row,
    SubArea,
    load_lke,
)
from zi_audit.report.xlsx_common import HEAD, INPUT, PART_NAMES, value_formula
from zi_audit.report.xlsx_summary import summary

_LINK = Font(color="1F4E9E", underline="single")
_COLUMNS = (
    ("Bagian", 11),
    ("Baris LKE", 11),
    ("Uraian", 60),
    ("Pilihan jawaban", 16),
    ("Bobot sub-area", 10),
    ("Jawaban didukung bukti", 12),
    ("Jawaban tim", 10),
    ("Jawaban dinilai", 10),
    ("Nilai", 8),
    ("Bukti", 60),
    ("Masalah", 30),
    ("Catatan", 24),
    ("Tautan", 14),
)

# A `percent` row's value from its Jumlah rows (docs/lke.md, "The workbook"):
# numerator and denominator as the Jumlah rows' own numbers under the percent row's id.
# "Jumlah yang harus melaporkan" (5.iii.a.1, 5.iii.b.1) is itself the sum of its breakdown.
PERCENT_FROM = {
    "1.i.a": ("{2}", "{1}"),
    "1.i.b": ("{2}", "{1}"),
    "3.iii.a": ("({1}-{2})", "{1}"),
    "4.i.a": ("{2}", "{1}"),
    "5.ii.a": ("{3}", "{1}"),
    "5.iii.a": ("{2}", "{1}"),
    "5.iii.b": ("{2}", "{1}"),
    "6.i.b": ("{2}", "{1}"),
}
SUMMED = ("5.iii.a.1", "5.iii.b.1")


class Links(NamedTuple):
    """Where a row's evidence link points: the share as published on the web
    (`links.base_url` in zi-audit.yaml), else the file on the share, relative to the
    workbook's own folder (so the link survives the share being mounted elsewhere)."""

    root: str
    base_url: str | None = None
    workbook_dir: Path | None = None

    def href(self, path: str) -> str:
        if self.base_url:
            return self.base_url + quote(path)
        target = Path(self.root) / path
        if self.workbook_dir is not None:
            rel = os.path.relpath(target, self.workbook_dir)
            return quote(PurePosixPath(*Path(rel).parts).as_posix())
        return target.as_uri()


def render(doc: ReportDoc, links: Links | None = None) -> bytes:
    lke = load_lke()
    result = doc.get("lke")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "LKE"
    for n, (title, width) in enumerate(_COLUMNS, 1):
        cell = sheet.cell(1, n, title)
        cell.font, cell.alignment = HEAD, Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(n)].width = width
    sheet.row_dimensions[1].height = 45  # "Jawaban didukung bukti" on three lines, not cut
    sheet.freeze_panes = "C2"
    _print_setup(sheet)
    ordered = [(sub, row) for sub in lke.subareas if sub.part in PARTS for row in sub.rows]
    lines = {row.key: n for n, (_, row) in enumerate(ordered, 2)}
    rows = _Rows(sheet, result, _evidence(doc), lines, links or Links(doc["root"]))
    for sub, row in ordered:
        rows.add(sub, row)
    _validations(sheet)
    summary(book, lke, rows.value_cells, result)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _height(sheet: Worksheet, line: int) -> float:
    """Points for a row whose wrapped cells show whole: neither Excel nor LibreOffice sizes
    a row openpyxl wrote, so text would run over the rows below when printed."""
    lines = 1
    for col in (3, 10, 11, 12):
        text = str(sheet.cell(line, col).value or "")
        width = int(_COLUMNS[col - 1][1] * 1.1) or 1
        lines = max(lines, sum(1 + len(part) // width for part in text.split("\n")))
    return 13.0 * min(lines, 30)


def _print_setup(sheet: Worksheet) -> None:
    """Printed landscape, one page wide, the header row on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_title_rows = "1:1"


@dataclass
class _Evidence:
    files: list[str]
    problems: list[str]
    folders: list[str]  # where its evidence is expected, for a row without a file

    def target(self) -> str | None:
        """The one file, else the folder the files share, else the folder expected."""
        if len(self.files) == 1:
            return self.files[0]
        if self.files:
            common = os.path.commonpath([f"/{f}" for f in self.files]).lstrip("/")
            return common or None
        return self.folders[0] if self.folders else None


def _evidence(doc: ReportDoc) -> dict[str, _Evidence]:
    """LKE row key -> the files of its plan indicators, their problems (in Indonesian, as the
    rest of the workbook), and the folders where they are expected."""
    evidence: dict[str, _Evidence] = defaultdict(lambda: _Evidence([], [], []))
    for ind in doc["indicators"]:
        if "lke" in ind:
            found = evidence[ind["lke"]]
            for ev in ind["evidence"]:
                found.folders.append(ev["expected"]["folder"])
                for f in ev["files"]:
                    found.files.append(f["path"])
                    name = f["path"].rpartition("/")[2]
                    found.problems += [f"{name}: {problem(p, 'id')}" for p in f["problems"]]
    return evidence


class _Rows:
    """The LKE sheet, one line per LKE row; remembers each sub-area's value cells."""

    def __init__(
        self,
        sheet: Worksheet,
        result: LkeDoc | None,
        evidence: dict[str, _Evidence],
        lines: dict[str, int],
        links: Links,
    ) -> None:
        self.sheet, self.evidence, self.lines, self.links = sheet, evidence, lines, links
        self.scored: dict[str, LkeRowDoc] = {r["key"]: r for r in result["rows"]} if result else {}
        self.claims = {c["key"]: c for c in result["claims"]} if result else {}
        self.value_cells: dict[str, list[str]] = defaultdict(list)  # sub-area key -> cells
        self.line = 1

    def add(self, sub: SubArea, row: Row) -> None:
        self.line += 1
        line, sheet = self.line, self.sheet
        for n, value in enumerate(self._cells(sub, row), 1):
            cell = sheet.cell(line, n, value)
            if isinstance(value, str):
                cell.data_type = "s"  # a name such as =HYPERLINK(…) stays text
            cell.alignment = Alignment(wrap_text=n in (3, 10, 11, 12), vertical="top")
        sheet.cell(line, 8).fill = INPUT
        if row.answer_type in ANSWER_VALUES:
            sheet.cell(line, 9, value_formula(f"H{line}", row.answer_type))
            self.value_cells[sub.key].append(f"I{line}")
        elif row.answer_type == "percent":
            sheet.cell(line, 9, self._percent(row, line))
            sheet.cell(line, 9).number_format = "0%"
            self.value_cells[sub.key].append(f"I{line}")
        elif row.id in SUMMED:
            parts = [f"H{n}" for k, n in self.lines.items() if k.startswith(f"{row.key}.")]
            sheet.cell(line, 8, f'=IF(COUNT({",".join(parts)})=0,"",SUM({",".join(parts)}))')
        target = self.evidence[row.key].target() if row.key in self.evidence else None
        if target:  # the one file, the files' folder, or the folder where they belong
            found = self.evidence[row.key]
            words = "buka berkas" if len(found.files) == 1 else "buka folder"
            link = sheet.cell(line, 13, words)
            link.hyperlink = self.links.href(target)
            link.font = _LINK
            link.alignment = Alignment(vertical="top")
        sheet.row_dimensions[line].height = _height(sheet, line)

    def _percent(self, row: Row, line: int) -> str:
        """Its value from its Jumlah rows once the team types them (a denominator that is
        0 or empty leaves the value in H, what the evidence and the answers give)."""
        shape = PERCENT_FROM.get(row.id)
        if shape is None:
            return f"=MIN(1,MAX(0,H{line}))"
        cells = {
            n: f"H{self.lines[f'{row.key}.{n}']}" for n in "123" if f"{row.key}.{n}" in self.lines
        }
        num, den = (part.format(*[None, *(cells.get(n, "0") for n in "123")]) for part in shape)
        return f"=IF(N({den})=0,MIN(1,MAX(0,H{line})),MIN(1,MAX(0,{num}/{den})))"

    def _cells(self, sub: SubArea, row: Row) -> tuple[str | float | None, ...]:
        r = self.scored.get(row.key)
        found = self.evidence.get(row.key)
        files, problems = (found.files, found.problems) if found else ([], [])
        options = (
            "/".join(label for label, _ in ANSWER_VALUES[row.answer_type])
            if row.answer_type in ANSWER_VALUES
            else ("%" if row.answer_type == "percent" else "Jumlah")
        )
        supported = r["answer"] if r and r["answer"] else None
        claimed = r.get("claimed") if r else None
        claim = self.claims.get(row.key)
        return (
            PART_NAMES.get(row.part, row.part),
            row.id,
            row.text,
            options,
            sub.weight,
            supported or "",
            claimed or "",
            _counted(row.answer_type, supported, claimed, r),
            None,
            "\n".join(files),
            "\n".join(problems),
            (
                f"dijawab {claim['claimed']}, bukti mendukung {claim['supported'] or '-'}"
                if claim
                else ""
            ),
        )


def _counted(
    answer_type: str, supported: str | None, claimed: str | None, r: LkeRowDoc | None
) -> str | float | None:
    """The answer that counts: what the evidence supports; for rows the evidence cannot
    answer, the team's; else the lowest (an answer without evidence gets the lowest value)."""
    if answer_type == "count":
        return None
    if answer_type == "percent":
        return r["value"] if r else 0.0
    if r is not None and r["status"] == "answered" and claimed:
        return claimed.capitalize() if answer_type == "yesno" else claimed.upper()
    return supported or ANSWER_VALUES[answer_type][-1][0]


def _validations(sheet: Worksheet) -> None:
    """Drop-downs on the answer cells, so an evaluator picks an answer that exists."""
    for options in ANSWER_VALUES.values():
        labels = ",".join(label for label, _ in options)
        cells = [
            f"H{c.row}" for c in sheet["D"] if c.value == "/".join(label for label, _ in options)
        ]
        if cells:
            dv = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=True)
            dv.error = f"Pilih salah satu: {labels}"
            for ref in cells:
                dv.add(ref)
            sheet.add_data_validation(dv)
