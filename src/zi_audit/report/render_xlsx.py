"""The LKE workbook: the file a unit hands to its TPI (`zi-audit report --format xlsx`).

Sheet "LKE" lists every row of both parts in the LKE's own layout: part, id, text, answer
options, sub-area weight, the answer the evidence supports, the team's answer, the answer
that counts, its value, the evidence files and their problems. Sheet "Ringkasan" sums it up
by sub-area, area and part, with Hasil, the total and every WBK/WBBM condition. Every value
and sum is a spreadsheet formula over the answer cells: an evaluator who changes an answer
sees the totals move. openpyxl writes it; docs/lke.md says what each column means.
"""

from __future__ import annotations

import io
from collections import defaultdict

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from zi_audit.core.schema import HasilDoc, LkeDoc, LkeRowDoc, ReportDoc
from zi_audit.lke.model import (
    ANSWER_VALUES,
    PARTS,
    SURVEY_MAX,
    THRESHOLDS,
    Lke,
    Row,
    SubArea,
    load_lke,
)

_HEAD = Font(bold=True)
_INPUT = PatternFill("solid", fgColor="FFF4CC")  # cells an evaluator may change
_COLUMNS = (
    ("Bagian", 11),
    ("Baris LKE", 11),
    ("Uraian", 60),
    ("Pilihan jawaban", 16),
    ("Bobot sub-area", 9),
    ("Jawaban didukung bukti", 12),
    ("Jawaban tim", 10),
    ("Jawaban dinilai", 10),
    ("Nilai", 8),
    ("Bukti", 60),
    ("Masalah", 30),
)


def _value_formula(cell: str, answer_type: str) -> str:
    """=IF(H5="A",1,IF(H5="B",0.5,0)): the answer's value, the scale of docs/lke.md."""
    options = ANSWER_VALUES[answer_type]
    formula = "0"
    for label, value in reversed(options[:-1]):
        formula = f'IF(UPPER({cell})="{label.upper()}",{value},{formula})'
    return "=" + formula


def render(doc: ReportDoc) -> bytes:
    lke = load_lke()
    result = doc.get("lke")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "LKE"
    for n, (title, width) in enumerate(_COLUMNS, 1):
        sheet.cell(1, n, title).font = _HEAD
        sheet.column_dimensions[get_column_letter(n)].width = width
    sheet.freeze_panes = "C2"
    rows = _Rows(sheet, result, _evidence(doc))
    for sub in lke.subareas:
        if sub.part in PARTS:
            for row in sub.rows:
                rows.add(sub, row)
    _validations(sheet)
    _summary(book, lke, rows.value_cells, result)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _evidence(doc: ReportDoc) -> dict[str, tuple[list[str], list[str]]]:
    """LKE row key -> (the files of its plan indicators, their problems)."""
    evidence: dict[str, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for ind in doc["indicators"]:
        if "lke" in ind:
            files, problems = evidence[ind["lke"]]
            for ev in ind["evidence"]:
                for f in ev["files"]:
                    files.append(f["path"])
                    problems += [f"{f['path'].rpartition('/')[2]}: {p}" for p in f["problems"]]
    return evidence


class _Rows:
    """The LKE sheet, one line per LKE row; remembers each sub-area's value cells."""

    def __init__(
        self,
        sheet: Worksheet,
        result: LkeDoc | None,
        evidence: dict[str, tuple[list[str], list[str]]],
    ) -> None:
        self.sheet, self.evidence = sheet, evidence
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
            cell.alignment = Alignment(wrap_text=n in (3, 10, 11), vertical="top")
        sheet.cell(line, 8).fill = _INPUT
        if row.answer_type in ANSWER_VALUES:
            sheet.cell(line, 9, _value_formula(f"H{line}", row.answer_type))
            self.value_cells[sub.key].append(f"I{line}")
        elif row.answer_type == "percent":
            sheet.cell(line, 9, f"=MIN(1,MAX(0,H{line}))")
            self.value_cells[sub.key].append(f"I{line}")

    def _cells(self, sub: SubArea, row: Row) -> tuple[str | float | None, ...]:
        r = self.scored.get(row.key)
        files, problems = self.evidence.get(row.key, ([], []))
        options = (
            "/".join(label for label, _ in ANSWER_VALUES[row.answer_type])
            if row.answer_type in ANSWER_VALUES
            else ("%" if row.answer_type == "percent" else "Jumlah")
        )
        supported = r["answer"] if r and r["answer"] else None
        claimed = r.get("claimed") if r else None
        claim = self.claims.get(row.key)
        return (
            row.part,
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


def _summary(
    book: Workbook, lke: Lke, value_cells: dict[str, list[str]], result: LkeDoc | None
) -> None:
    sheet = book.create_sheet("Ringkasan", 0)  # first: the page LibreOffice and Excel open
    book.active = 0
    # Printed (or exported) one page wide, so no column lands on a page of its own.
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    for n, width in enumerate((12, 10, 48, 9, 10, 10), 1):
        sheet.column_dimensions[get_column_letter(n)].width = width
    sheet.append(["Bagian", "Nomor", "Sub-area / area", "Bobot", "Nilai", "%"])
    for cell in sheet[1]:
        cell.font = _HEAD
    area_cells = _subarea_lines(sheet, lke, value_cells)
    combined, part_cells = _area_lines(sheet, lke, area_cells)
    totals = _part_totals(sheet, part_cells)
    _hasil_lines(sheet, result["hasil"] if result is not None else None, totals)
    for row in sheet.iter_rows(min_row=2):
        row[4].number_format = "0.00"
        row[5].number_format = "0%"
    _conditions(sheet, totals, combined)


def _subarea_lines(
    sheet: Worksheet, lke: Lke, value_cells: dict[str, list[str]]
) -> dict[tuple[str, str], list[str]]:
    """One line per sub-area: weight x mean of its rows' values. (part, area) -> cells."""
    area_cells: dict[tuple[str, str], list[str]] = defaultdict(list)
    for sub in lke.subareas:
        if sub.part not in PARTS:
            continue
        line = sheet.max_row + 1
        cells = ",".join(f"LKE!{c}" for c in value_cells[sub.key])
        sheet.append(
            [
                sub.part,
                f"{sub.area_no}.{sub.no}",
                sub.name,
                sub.weight,
                f"=D{line}*AVERAGE({cells})",
                f"=E{line}/D{line}",
            ]
        )
        area_cells[(sub.part, sub.area_no)].append(f"E{line}")
    sheet.append([""])  # a separator row that counts as a row
    return area_cells


def _area_lines(
    sheet: Worksheet, lke: Lke, area_cells: dict[tuple[str, str], list[str]]
) -> tuple[dict[str, list[tuple[str, str]]], dict[str, list[str]]]:
    """One line per area of each part. Area -> its (value, weight) cells in both parts,
    and part -> its areas' value cells."""
    combined: dict[str, list[tuple[str, str]]] = defaultdict(list)
    part_cells: dict[str, list[str]] = defaultdict(list)
    for part in PARTS:
        for area_no, name, weight in lke.areas(part):
            line = sheet.max_row + 1
            sheet.append(
                [
                    part,
                    area_no,
                    name,
                    weight,
                    "=" + "+".join(area_cells[(part, area_no)]),
                    f"=E{line}/D{line}",
                ]
            )
            sheet.cell(line, 3).font = _HEAD
            combined[area_no].append((f"E{line}", f"D{line}"))
            part_cells[part].append(f"E{line}")
    sheet.append([""])  # a separator row that counts as a row
    return combined, part_cells


def _part_totals(sheet: Worksheet, part_cells: dict[str, list[str]]) -> dict[str, str]:
    """Pemenuhan, Reform and Pengungkit lines; label -> their value cell."""
    totals: dict[str, str] = {}
    for part, label in (("pemenuhan", "Pemenuhan"), ("reform", "Reform")):
        sheet.append([label, None, None, 30, "=" + "+".join(part_cells[part])])
        totals[label] = f"E{sheet.max_row}"
    sheet.append(["Pengungkit", None, None, 60, f"={totals['Pemenuhan']}+{totals['Reform']}"])
    totals["Pengungkit"] = f"E{sheet.max_row}"
    sheet.append([""])  # a separator row that counts as a row
    return totals


def _hasil_lines(sheet: Worksheet, hasil: HasilDoc | None, totals: dict[str, str]) -> None:
    """The team's survey inputs (yellow), Hasil's three parts, Hasil and the total."""
    inputs = {}
    for key, label in (
        ("ipak", "Survei IPAK (0-4)"),
        ("ipkp", "Survei IPKP (0-4)"),
        ("kinerja", "Capaian Kinerja (A-E)"),
    ):
        sheet.append(["Hasil", key, label, None, None])
        inputs[key] = f"E{sheet.max_row}"
        sheet.cell(sheet.max_row, 5).fill = _INPUT
    if hasil:
        if hasil["ipak"] is not None:
            sheet[inputs["ipak"]] = round(hasil["ipak"] / 17.5 * SURVEY_MAX, 4)
        if hasil["prima"] is not None:
            sheet[inputs["ipkp"]] = round(hasil["prima"] / 17.5 * SURVEY_MAX, 4)
        if hasil["kinerja"] is not None:
            letter = {1.0: "A", 0.75: "B", 0.5: "C", 0.25: "D", 0.0: "E"}
            sheet[inputs["kinerja"]] = letter.get(round(hasil["kinerja"] / 5.0, 2), "")
    kinerja = _value_formula(inputs["kinerja"], "abcde")[1:]
    for label, formula in (
        ("IPAK", f"={inputs['ipak']}/{SURVEY_MAX}*17.5"),
        ("Kinerja", f"=({kinerja})*5"),
        ("IPKP", f"={inputs['ipkp']}/{SURVEY_MAX}*17.5"),
    ):
        sheet.append(["Hasil", None, _HASIL_LABELS[label], None, formula])
        totals[label] = f"E{sheet.max_row}"
    sheet.append(
        ["Hasil", None, "Hasil", 40, f"={totals['IPAK']}+{totals['Kinerja']}+{totals['IPKP']}"]
    )
    totals["Hasil"] = f"E{sheet.max_row}"
    sheet.append(
        ["Total", None, "Pengungkit + Hasil", 100, f"={totals['Pengungkit']}+{totals['Hasil']}"]
    )
    totals["Total"] = f"E{sheet.max_row}"
    sheet.append([""])  # a separator row that counts as a row


_HASIL_LABELS = {
    "IPAK": "Birokrasi Bersih: IPAK",
    "Kinerja": "Birokrasi Bersih: Capaian Kinerja",
    "IPKP": "Pelayanan Publik Prima: IPKP",
}


def _conditions(
    sheet: Worksheet, totals: dict[str, str], combined: dict[str, list[tuple[str, str]]]
) -> None:
    """Every WBK/WBBM condition as a formula over the cells above: "ya" or "belum"."""
    sheet.append(["Syarat", None, "Kondisi", "WBK", "WBBM"])
    for th_cell in sheet[sheet.max_row]:
        th_cell.font = _HEAD
    wbk, wbbm = THRESHOLDS
    ipak, kin, prima = totals["IPAK"], totals["Kinerja"], totals["IPKP"]
    conditions = [
        ("Nilai total", totals["Total"], wbk.total, wbbm.total),
        ("Pengungkit", totals["Pengungkit"], wbk.pengungkit, wbbm.pengungkit),
        ("Birokrasi Bersih dan Akuntabel", f"({ipak}+{kin})", wbk.bersih, wbbm.bersih),
        ("Survei Persepsi Anti Korupsi", ipak, wbk.ipak, wbbm.ipak),
        ("Capaian Kinerja", kin, wbk.kinerja, wbbm.kinerja),
        ("Pelayanan Publik Prima", prima, wbk.prima, wbbm.prima),
    ]
    for area_no, pairs in combined.items():
        value = "+".join(v for v, _ in pairs)
        weights = "+".join(w for _, w in pairs)
        conditions.append(
            (f"Area {area_no} (%)", f"(({value})/({weights}))", wbk.area_percent, wbbm.area_percent)
        )
    for label, expr, low_wbk, low_wbbm in conditions:
        sheet.append(
            [
                "Syarat",
                None,
                label,
                f'=IF({expr}>={low_wbk},"ya","belum")',
                f'=IF({expr}>={low_wbbm},"ya","belum")',
            ]
        )
