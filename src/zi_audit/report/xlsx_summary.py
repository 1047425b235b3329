"""Sheet "Ringkasan" of the LKE workbook: every sub-area, area and part as a formula over
the LKE sheet's value cells, the Hasil inputs, the total and each WBK/WBBM condition."""

from __future__ import annotations

from collections import defaultdict

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from zi_audit.core.schema import HasilDoc, LkeDoc
from zi_audit.lke.model import PARTS, SURVEY_MAX, THRESHOLDS, Lke
from zi_audit.report.xlsx_common import HEAD, INPUT, PART_NAMES, value_formula


def summary(
    book: Workbook, lke: Lke, value_cells: dict[str, list[str]], result: LkeDoc | None
) -> None:
    sheet = book.create_sheet("Ringkasan", 0)  # first: the page LibreOffice and Excel open
    book.active = 0
    # Printed (or exported) one page wide, so no column lands on a page of its own.
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_title_rows = "1:1"
    for n, width in enumerate((12, 10, 48, 9, 10, 10), 1):
        sheet.column_dimensions[get_column_letter(n)].width = width
    sheet.append(["Bagian", "Nomor", "Sub-area / area", "Bobot", "Nilai", "%"])
    for cell in sheet[1]:
        cell.font = HEAD
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
                PART_NAMES[sub.part],
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
                    PART_NAMES[part],
                    area_no,
                    name,
                    weight,
                    "=" + "+".join(area_cells[(part, area_no)]),
                    f"=E{line}/D{line}",
                ]
            )
            sheet.cell(line, 3).font = HEAD
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
        sheet.append(["Hasil", None, label, None, None])
        inputs[key] = f"E{sheet.max_row}"
        sheet.cell(sheet.max_row, 5).fill = INPUT
    if hasil:
        if hasil["ipak"] is not None:
            sheet[inputs["ipak"]] = round(hasil["ipak"] / 17.5 * SURVEY_MAX, 4)
        if hasil["prima"] is not None:
            sheet[inputs["ipkp"]] = round(hasil["prima"] / 17.5 * SURVEY_MAX, 4)
        if hasil["kinerja"] is not None:
            letter = {1.0: "A", 0.75: "B", 0.5: "C", 0.25: "D", 0.0: "E"}
            sheet[inputs["kinerja"]] = letter.get(round(hasil["kinerja"] / 5.0, 2), "")
    kinerja = value_formula(inputs["kinerja"], "abcde")[1:]
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
        th_cell.font = HEAD
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
