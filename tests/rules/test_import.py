"""`zi-audit rules import`: a unit's own Rencana Aksi table to a draft rule file."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from pypdf import PdfWriter

from tests.helpers import drawn_pdf, run_cli
from zi_audit.rules.loader import load_rules
from zi_audit.rules.model import Indicator

ROWS = [
    # component, indicator, action, output, time, pic
    (
        "Manajemen Perubahan",
        "Unit kerja telah membentuk tim untuk melakukan pembangunan Zona Integritas",
        "Membentuk tim",
        "SK Tim Kerja ZI",
        "Januari 2025 / 1. Meningkatnya komitmen",
        "Sekretaris",
    ),
    (
        "Manajemen Perubahan",
        "Terdapat dokumen rencana kerja pembangunan Zona Integritas menuju WBK/WBBM",
        "Menyusun rencana",
        "SK Rencana Aksi; Foto sosialisasi",
        "Februari s.d. Maret",
        "Kasubbag",
    ),
    (
        "Penguatan Pengawasan",
        "Laporan pengaduan masyarakat",
        "Rekap pengaduan setiap bulan",
        "Rekap pengaduan",
        "Januari - Desember",
        "Humas",
    ),
    (
        "Penguatan Pengawasan",
        "Pemantauan benturan kepentingan",
        "Identifikasi",
        "Surat pernyataan",
        "pada waktunya",
        "",
    ),
]
HEAD = ["Penanggung Jawab", "Keluaran / Bukti", "Komponen", "Target Waktu", "Indikator", "Kegiatan"]


def _imported(table: Path, year: str, into: Path) -> tuple[str, Path]:
    """(what the import printed, the draft written in `into`) of a table that must import."""
    out = into / "rules.yaml"
    code, text, err = run_cli("rules", "import", str(table), "--output", str(out), "--year", year)
    assert code == 0, err
    return text, out


def _row(r: tuple[str, ...]) -> list[str]:
    component, indicator, action, output, time, pic = r
    return [pic, output, component, time, indicator, action]


def test_an_xlsx_with_shuffled_renamed_columns_and_merged_components(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Rencana Aksi Pembangunan ZI 2025"])
    sheet.append(HEAD)
    for n, r in enumerate(ROWS):
        row = _row(r)
        if n in (1, 3):
            row[2] = None  # merged below
        sheet.append(row)
    sheet.merge_cells("C3:C4")
    sheet.merge_cells("C5:C6")
    table = tmp_path / "rencana-aksi.xlsx"
    book.save(table)
    text, out = _imported(table, "2025", tmp_path)
    assert "2 komponen, 2 area, 4 indikator" in text
    assert "row 6" in text and "periksa" in text  # 'pada waktunya' is not a time
    rules = load_rules(out)
    assert [c.name for c in rules.components] == ["Manajemen Perubahan", "Penguatan Pengawasan"]
    first, second, third, _ = rules.indicators
    assert first.lke == "pemenuhan:1.i.a" and second.lke == "pemenuhan:1.ii.a"
    assert first.window is not None and first.window.text == "Januari"
    assert [e.name for e in second.evidence] == ["SK Rencana Aksi", "Foto sosialisasi"]
    assert third.evidence[0].every == ("month",)
    assert first.evidence[0].pic == "Sekretaris"
    assert "# periksa:" in out.read_text()
    assert run_cli("rules", "check", str(out))[0] == 0
    code, _, err = run_cli("rules", "import", str(table), "--output", str(out))
    assert code == 2 and "never overwrites" in err


def _docx(path: Path, rows: list[list[str]], merged: set[tuple[int, int]]) -> None:
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    body = []
    for r, row in enumerate(rows):
        cells = []
        for c, text in enumerate(row):
            merge = ""
            if (r, c) in merged:
                merge = "<w:tcPr><w:vMerge/></w:tcPr>"
            elif (r + 1, c) in merged:
                merge = '<w:tcPr><w:vMerge w:val="restart"/></w:tcPr>'
            content = "" if (r, c) in merged else text
            cells.append(f"<w:tc>{merge}<w:p><w:r><w:t>{content}</w:t></w:r></w:p></w:tc>")
        body.append("<w:tr>" + "".join(cells) + "</w:tr>")
    xml = f'<?xml version="1.0"?><w:document {w}><w:body><w:tbl>{"".join(body)}</w:tbl></w:body></w:document>'
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", xml)
        z.writestr("[Content_Types].xml", "<Types/>")


def test_a_docx_without_a_target_column(tmp_path: Path) -> None:
    head = ["No", "Komponen", "Indikator", "Rencana Aksi", "Output"]
    rows = [head] + [["1", r[0], r[1], r[2], r[3]] for r in ROWS]
    table = tmp_path / "rencana-aksi.docx"
    _docx(table, rows, merged={(2, 1), (4, 1)})
    text, out = _imported(table, "2025", tmp_path)
    assert "no target-time column" in text
    rules = load_rules(out)
    assert len(rules.indicators) == 4 and len(rules.components) == 2
    assert all(i.window and i.window.text == "Januari - Desember" for i in rules.indicators)
    assert rules.indicators[2].evidence[0].every == ("month",)  # "setiap bulan" in the activity


def test_a_table_keyed_by_lke_code_takes_texts_and_areas_from_the_lke(tmp_path: Path) -> None:
    """Plans keyed by LKE code often have no component, indicator or target column."""
    table = tmp_path / "rencana-aksi.csv"
    table.write_text(
        "Kode LKE;Bukti Dukung;PIC\n"
        "1.i.a;SK Tim Kerja ZI;Sekretaris\n"
        "1.I.b.;Notulen pemilihan anggota tim;Sekretaris\n"
        "3.iv.c;Hasil pengukuran kinerja triwulanan;Kasubbag SDM\n"
        "9.z.z;Dokumen lain;Humas\n",
        encoding="utf-8",
    )
    text, out = _imported(table, "2025", tmp_path)
    assert "no target-time column" in text and "LKE code '9.z.z' is not an LKE row" in text
    rules = load_rules(out)
    assert [i.lke for i in rules.indicators] == [
        "pemenuhan:1.i.a",
        "pemenuhan:1.i.b",
        "pemenuhan:3.iv.c",
        None,
    ]
    first = rules.indicators[0]
    assert first.text.startswith("Unit kerja telah membentuk tim")
    assert [c.name for c in rules.components][:2] == [
        "Manajemen Perubahan",
        "Penataan Sistem Manajemen SDM Aparatur",
    ]
    assert [a.name for a in rules.components[0].areas] == ["Penyusunan Tim Kerja"]
    assert rules.indicators[2].evidence[0].every == ("quarter",)
    assert first.evidence[0].pic == "Sekretaris"


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("kosong.csv", "a,b,c\n1,2,3\n", "no Rencana Aksi table"),
        ("rusak.xlsx", "bukan spreadsheet", "cannot be read as a table"),
        ("catatan.txt", "isi tanpa tabel", "no Rencana Aksi table"),
        ("rencana.odt", "isi", "import reads .pdf, .xlsx, .xls, .ods, .docx"),
    ],
)
def test_a_file_without_a_table_is_one_message_and_nothing_written(
    tmp_path: Path, name: str, content: str, words: str
) -> None:
    table = tmp_path / name
    table.write_text(content)
    out = tmp_path / "rules.yaml"
    code, _, err = run_cli("rules", "import", str(table), "--output", str(out))
    assert code == 2 and words in err and "Traceback" not in err
    assert not out.exists()


def _indicators(path: Path) -> dict[str, Indicator]:
    rules = load_rules(path)
    return {i.id: i for c in rules.components for a in c.areas for i in a.indicators}


def test_the_seed_decree_text_imports_to_the_bundled_plan(tmp_path: Path) -> None:
    """The decree's OCR text (page breaks repeating the header, cells cut across pages,
    'DeRember') drafts the same 87 indicators, windows and recurrences that the hand-written
    bundled rule file encodes."""
    root = Path(__file__).parents[2]
    seed = root / "tests" / "data" / "keputusan-117-2025-banyuwangi.txt"
    text, out = _imported(seed, "2025", tmp_path)
    assert "6 komponen, 25 area, 87 indikator" in text
    assert "'September-DeRember' read as 'September-Desember'" in text
    assert "'Agusttls - Desember' read as 'Agustus - Desember'" in text
    bundled = root / "rules" / "bukti_fisik.yaml"
    assert [len(c.areas) for c in load_rules(out).components] == [
        len(c.areas) for c in load_rules(bundled).components
    ]
    want, got = _indicators(bundled), _indicators(out)
    assert list(got) == list(want)
    for key, mine in want.items():
        theirs = got[key]
        assert (mine.window and mine.window.parts) == (theirs.window and theirs.window.parts), key
        every = {e.every for e in mine.evidence if e.every}
        assert {e.every for e in theirs.evidence if e.every} == every, key
    assert sum(got[k].lke == want[k].lke for k in want) >= 86
    assert run_cli("rules", "check", str(out))[0] == 0


def test_a_markdown_pipe_table(tmp_path: Path) -> None:
    table = tmp_path / "rencana-aksi.md"
    table.write_text(
        "# Rencana Aksi 2025\n\nLampiran keputusan.\n\n"
        "| No | Komponen | Indikator | Bukti | Waktu |\n"
        "|:--:|---|---|---|---|\n"
        "| 1 | Manajemen Perubahan | Unit kerja telah membentuk tim | SK Tim Kerja ZI | Agt s.d. Des |\n"
        "| 2 | | Terdapat dokumen rencana kerja | SK Rencana Aksi | Juni, Desember |\n",
        encoding="utf-8",
    )
    _, out = _imported(table, "2025", tmp_path)
    rules = load_rules(out)
    assert [c.name for c in rules.components] == ["Manajemen Perubahan"]
    assert [i.window and i.window.text for i in rules.indicators] == [
        "Agt s.d. Des",
        "Juni, Desember",
    ]


def test_a_table_with_activities_and_no_indicator_or_number_column(tmp_path: Path) -> None:
    """Each activity is a row of its own, not the tail of the one above."""
    table = tmp_path / "kegiatan.csv"
    table.write_text(
        "Kegiatan;Output;Waktu\n"
        "Membentuk tim ZI;SK Tim;Agustus\n"
        "Menyusun rencana aksi;SK Rencana Aksi;September\n"
        "rapat evaluasi;Notulen rapat;Oktober\n",
        encoding="utf-8",
    )
    _, out = _imported(table, "2025", tmp_path)
    windows = [i.window and i.window.text for i in load_rules(out).indicators]
    assert windows == ["Agustus", "September", "Oktober"]


def _table_pdf(path: Path, pages: list[list[tuple[float, float, str]]]) -> None:
    """A PDF whose pages carry text at (x, y), as a word processor exports a table."""
    drawn_pdf(
        path,
        [
            ["BT /F1 8 Tf", *(f"1 0 0 1 {x} {y} Tm ({t}) Tj" for x, y, t in runs), "ET"]
            for runs in pages
        ],
    )


COLS = (30, 60, 190, 400, 560, 700)
HEADER = ["NO", "KOMPONEN", "INDIKATOR", "LANGKAH AKSI", "BUKTI FISIK", "TARGET WAKTU"]


def _line(y: float, cells: list[str]) -> list[tuple[float, float, str]]:
    return [(x, y, c) for x, c in zip(COLS, cells, strict=True) if c]


NEEDS_PDFTOTEXT = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="needs poppler-utils (.ci/run installs it)"
)


@NEEDS_PDFTOTEXT
def test_a_pdf_text_layer_with_prose_a_page_break_and_a_cut_cell(tmp_path: Path) -> None:
    first = [
        (30, 560, "KEPUTUSAN KETUA KPU KABUPATEN CONTOH NOMOR 12 TAHUN 2025"),
        (30, 545, "Menetapkan rencana aksi pembangunan zona integritas sebagai berikut."),
        *_line(520, HEADER),
        *_line(505, ["1", "MANAJEMEN PERUBAHAN", "", "", "", ""]),
        *_line(
            490,
            [
                "i",
                "Penyusunan Tim Kerja",
                "Unit kerja telah membentuk tim",
                "Membentuk tim",
                "SK Tim Kerja ZI",
                "Agustus",
            ],
        ),
        *_line(
            475,
            [
                "",
                "",
                "Terdapat dokumen rencana kerja",
                "Menyusun rencana",
                "SK Rencana Aksi",
                "Juni - Desember",
            ],
        ),
        *_line(
            460,
            [
                "",
                "",
                "Terdapat monitoring dan evaluasi",
                "Rapat evaluasi per triwulan",
                "Notulen rapat",
                "",
            ],
        ),
    ]
    second = [
        *_line(520, HEADER),
        *_line(505, ["", "", "terhadap pembangunan ZI", "", "", "Agustus - Desember"]),
        *_line(490, ["2", "PENATAAN TATALAKSANA", "", "", "", ""]),
        *_line(
            475,
            [
                "i",
                "SOP",
                "SOP mengacu pada peta proses bisnis",
                "Menyusun SOP",
                "SK SOP",
                "September",
            ],
        ),
    ]
    table = tmp_path / "lampiran.pdf"
    _table_pdf(table, [first, second])
    _, out = _imported(table, "2025", tmp_path)
    rules = load_rules(out)
    assert [c.name for c in rules.components] == ["MANAJEMEN PERUBAHAN", "PENATAAN TATALAKSANA"]
    assert [a.name for a in rules.components[0].areas] == ["Penyusunan Tim Kerja"]
    got = [(i.text, i.window and i.window.text) for i in rules.indicators]
    assert got == [
        ("Unit kerja telah membentuk tim", "Agustus"),
        ("Terdapat dokumen rencana kerja", "Juni - Desember"),
        ("Terdapat monitoring dan evaluasi terhadap pembangunan ZI", "Agustus - Desember"),
        ("SOP mengacu pada peta proses bisnis", "September"),
    ]
    assert rules.indicators[2].evidence[0].every == ("quarter",)
    assert run_cli("rules", "check", str(out))[0] == 0


@NEEDS_PDFTOTEXT
def test_an_encrypted_pdf_is_one_message_and_nothing_written(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt(user_password="rahasia", owner_password="rahasia")
    table = tmp_path / "terkunci.pdf"
    with table.open("wb") as fh:
        writer.write(fh)
    out = tmp_path / "rules.yaml"
    code, _, err = run_cli("rules", "import", str(table), "--output", str(out))
    assert code == 2 and "encrypted" in err and "Traceback" not in err
    assert not out.exists()


def test_messy_cells_dates_in_the_evidence_bullets_s_slash_d_drifting_numbers(
    tmp_path: Path,
) -> None:
    table = tmp_path / "rencana.csv"
    table.write_text(
        "No;Komponen;Indikator;Kegiatan;Output;Waktu\n"
        "I;Manajemen Perubahan;;;;\n"
        "1.;;Unit kerja telah membentuk tim;Membentuk tim;SK Tim (Juli, Des 2021);\n"
        "a.;;Terdapat rencana kerja;Menyusun rencana;SK Rencana Aksi;"
        "- Maret - Juni - Sept - Desember\n"
        "I;Manajemen Perubahan;;;;\n"
        "2;;Monitoring evaluasi;Rapat;Notulen;Januari 2021 / 1. Meningkatnya komitmen\n"
        "II.;Penataan Tatalaksana;;;;\n"
        "1;;SOP;Menyusun SOP;SK SOP;Agt s/d Des\n",
        encoding="utf-8",
    )
    text, out = _imported(table, "2021", tmp_path)
    assert "periksa:" not in text and "0 baris perlu diperiksa" in text
    rules = load_rules(out)
    assert [c.name for c in rules.components] == ["Manajemen Perubahan", "Penataan Tatalaksana"]
    got = [(i.window and i.window.text, [e.name for e in i.evidence]) for i in rules.indicators]
    assert got == [
        ("Juli, Des", ["SK Tim"]),
        ("Maret, Juni, Sept, Desember", ["SK Rencana Aksi"]),
        ("Januari", ["Notulen"]),
        ("Agt s.d. Des", ["SK SOP"]),
    ]


def test_the_draft_proposes_what_each_kind_of_document_says(tmp_path: Path) -> None:
    """#22.3: an SK says 'keputusan', minutes say 'notulen' (or notula, risalah), an
    attendance list 'hadir'; a kind it does not know gets no `words`."""
    table = tmp_path / "rencana.csv"
    table.write_text(
        "Komponen;Indikator;Rencana Aksi;Output;Waktu\n"
        'Manajemen Perubahan;Tim kerja;Membentuk tim;"SK Tim Kerja ZI, Notulen rapat";Agustus\n'
        'Manajemen Perubahan;Rapat;Rapat evaluasi;"Daftar hadir rapat, Banner ZI";Oktober\n',
        encoding="utf-8",
    )
    _, out = _imported(table, "2025", tmp_path)
    said = {e.name: e.words for e in load_rules(out).evidence()}
    assert said == {
        "SK Tim Kerja ZI": ("keputusan",),
        "Notulen rapat": ("notulen|notula|notulensi|risalah",),
        "Daftar hadir rapat": ("hadir|presensi|absensi",),
        "Banner ZI": (),
    }
