"""`rules import` on the plans units publish: real documents read in place, and tables of
our own making with the same traits (ruled PDF tables across pages, wrapped and merged
cells, roman-numeral rows, lettered items, a frequency with named months)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook
from pypdf import PdfWriter

from tests.helpers import EXAMPLE_TREE, REPO, drawn_pdf, run_cli
from zi_audit.rules.loader import load_rules

REAL = REPO.parent / "shared" / "realdata" / "rencana-aksi"
NEEDS_REAL = pytest.mark.skipif(
    not REAL.is_dir(), reason="../shared/realdata is not beside this checkout (CI has it)"
)


def _import(table: Path, into: Path, *extra: str) -> tuple[int, str, Path]:
    out = into / "draft.yaml"
    code, text, err = run_cli(
        "rules", "import", str(table), "--output", str(out), "--lang", "en", *extra
    )
    assert "Traceback" not in err, err
    return code, text + err, out


@NEEDS_REAL
@pytest.mark.parametrize(
    ("name", "components", "areas", "indicators", "times"),
    [
        # Balai PATP, 2021: the same 81 indicator rows in its text, its laid-out text and in
        # three PDFs (INDEX.md says 82: it counts the page-15 tail of 3.f, "dengan perbaikan
        # kinerja dilakukan secara berkala.", as a row of its own; every lettered item is an
        # indicator here, and the two unlettered rows 5. and 6. of part III). Of its 56
        # time cells 54 hold a time; two hold only outcome text a merged cell spilled.
        ("01-balai-patp-kementan.txt", 6, 23, 81, 54),
        ("01-balai-patp-kementan.layout.txt", 6, 23, 81, 54),
        ("05-balai-patp-kementan-rencana-kerja.pdf", 6, 23, 81, 54),
        ("06-balai-patp-kementan-target-prioritas.pdf", 6, 23, 81, 54),
        ("07-balai-patp-kementan-monev-semester1.pdf", 6, 23, 81, 54),
        ("03-bps-kabupaten-nias.txt", 6, 42, 109, 0),
        ("04-bps-provinsi-sumatera-selatan.txt", 1, 4, 11, 0),
    ],
)
def test_a_real_plan_imports_with_its_own_counts(
    tmp_path: Path, name: str, components: int, areas: int, indicators: int, times: int
) -> None:
    code, text, out = _import(REAL / name, tmp_path)
    assert code == 0, text
    rules = load_rules(out)
    assert len(rules.components) == components
    assert (len(rules.areas), len(rules.indicators)) == (areas, indicators)
    assert f"{times} target times read" in text
    assert run_cli("rules", "check", str(out))[0] == 0


@NEEDS_REAL
def test_the_laid_out_text_drafts_what_the_table_drafts(tmp_path: Path) -> None:
    """`pdftotext -layout` of the Balai PATP table and pdfplumber's cells of it: one draft."""
    drafts = []
    for name in ("01-balai-patp-kementan.txt", "01-balai-patp-kementan.layout.txt"):
        code, text, out = _import(REAL / name, tmp_path / name)
        assert code == 0, text
        drafts.append([line for line in out.read_text().splitlines() if "#" not in line])
    assert drafts[0] == drafts[1]


def _laid_out(rows: list[tuple[str, ...]], at: tuple[int, ...]) -> list[str]:
    """Lines as `pdftotext -layout` writes them: each cell's text from its column's start."""
    out = []
    for row in rows:
        line = ""
        for text, x in zip(row, at, strict=False):
            if text:
                line = f"{line:<{x}}{text}" if len(line) < x or not line else f"{line}  {text}"
        out.append(line.rstrip())
    return out


def test_a_laid_out_table_with_wrapped_lettered_cells_across_pages(tmp_path: Path) -> None:
    """The traits of a Word table printed to PDF and laid out as text: header words centred
    over their columns, a lettered item's mark hanging left of its text, wrapped cells, a
    merged time cell whose outcome text runs down beside the next row, a heading in capitals
    running across a column, a page that goes on without the header and with its number at
    the foot, and one row whose cells pdftotext set a few characters left of the others."""
    at = (0, 6, 24, 56, 84, 112)
    words = ("No", "KOMPONEN", "INDIKATOR", "LANGKAH AKSI", "BUKTI FISIK", "TARGET WAKTU")
    ends = (*at[1:], 136)
    head = _laid_out(
        [words], tuple((x + end - len(w)) // 2 for x, end, w in zip(at, ends, words, strict=True))
    )
    first = _laid_out(
        [
            ("I", "MANAJEMEN PERUBAHAN"),
            (
                "1",
                "Tim Kerja",
                "a. SK Tim Kerja telah",
                "Menyusun SK",
                "SK Tim Kerja",
                "Agustus 2025",
            ),
            ("", "", "   dibuat sesuai prosedur.", "", "", "1. Meningkatnya"),
            (
                "",
                "",
                "b. Anggota tim dipilih",
                "Rapat pemilihan",
                "- Notulen rapat",
                "komitmen pegawai",
            ),
            ("", "", "   secara terbuka.", "", "- Daftar hadir"),
            (
                "2",
                "Rencana Kerja",
                "a. Rencana kerja telah",
                "Menyusun rencana",
                "Dokumen rencana",
                "September 2025",
            ),
            ("", "Pembangunan ZI", "   disosialisasikan", "kerja", "kerja"),
            (),
            ("", "", "", "", "", "                   7"),
        ],
        at,
    )
    second = _laid_out(
        [
            ("", "", "   kepada pegawai."),
            ("II.", "PENATAAN SISTEM MANAJEMEN SDM"),
        ],
        at,
    ) + _laid_out(  # pdftotext set this row's INDIKATOR cells at 21, not 24
        [
            (
                "1.",
                "Informasi SDM",
                "Data pegawai",
                "Memutakhirkan",
                "Laporan SIMPEG",
                "Oktober 2025",
            ),
            ("", "Kepegawaian", "dimutakhirkan.", "data"),
        ],
        (0, 6, 21, 56, 84, 112),
    )
    text = "\n".join(["RENCANA KERJA ZI", "", *head, *first, "\f" + second[0], *second[1:]])
    table = tmp_path / "rencana-kerja.layout.txt"
    table.write_text(text + "\n", encoding="utf-8")
    code, text, out = _import(table, tmp_path, "--year", "2025")
    assert code == 0, text
    rules = load_rules(out)
    assert [c.name for c in rules.components] == [
        "MANAJEMEN PERUBAHAN",
        "PENATAAN SISTEM MANAJEMEN SDM",
    ]
    assert [a.name for a in rules.areas] == [
        "Tim Kerja",
        "Rencana Kerja Pembangunan ZI",
        "Informasi SDM Kepegawaian",
    ]
    got = [(i.text, i.window and i.window.text) for i in rules.indicators]
    assert got == [
        ("SK Tim Kerja telah dibuat sesuai prosedur.", "Agustus"),
        ("Anggota tim dipilih secara terbuka.", "Agustus"),
        ("Rencana kerja telah disosialisasikan kepada pegawai.", "September"),
        ("Data pegawai dimutakhirkan.", "Oktober"),
    ]
    assert [e.name for e in rules.indicators[1].evidence] == ["Notulen rapat", "Daftar hadir"]


@NEEDS_REAL
def test_the_aceh_database_rows_keep_their_lke_codes_and_pics(tmp_path: Path) -> None:
    """109 rows with a rencana aksi are indicators; the other 41 are kept, commented out."""
    code, text, out = _import(REAL / "02-bps-provinsi-aceh.txt", tmp_path)
    assert code == 0, text
    rules = load_rules(out)
    assert len(rules.indicators) == 109
    assert all(i.lke for i in rules.indicators)
    assert rules.indicators[0].lke == "pemenuhan:1.i.a"
    assert sum(1 for e in rules.evidence() if e.pic) > 60
    assert out.read_text().count("no rencana aksi: kept commented out") == 41
    assert rules.year == 2025


@NEEDS_REAL
def test_the_nias_lke_hierarchy_links_every_question(tmp_path: Path) -> None:
    code, _, out = _import(REAL / "03-bps-kabupaten-nias.txt", tmp_path)
    rules = load_rules(out)
    assert code == 0 and all(i.lke for i in rules.indicators)
    assert [c.name for c in rules.components][:2] == ["Manajemen Perubahan", "Penataan Tatalaksana"]
    assert sum(1 for i in rules.indicators if (i.lke or "").startswith("reform:")) == 22
    assert all(e.pic for e in rules.evidence())


def test_the_seed_decree_imported_then_scanned_gives_the_bundled_statuses(tmp_path: Path) -> None:
    """A unit's round trip: its decree drafted, its share scanned with the draft."""
    seed = REPO / "tests" / "data" / "keputusan-117-2025-banyuwangi.txt"
    code, text, draft = _import(seed, tmp_path, "--year", "2025")
    assert code == 0, text
    tree = tmp_path / "share"
    shutil.copytree(EXAMPLE_TREE, tree)

    def statuses(*rules: str) -> dict[str, str]:
        state = tmp_path / f"state{len(rules)}"
        args = ("scan", str(tree), "--as-of", "2025-11-15", "--format", "json")
        code, out, err = run_cli(*args, "--state", str(state), *rules)
        assert code == 0, err
        return {i["id"]: i["status"] for i in json.loads(out)["indicators"]}

    bundled, drafted = statuses(), statuses("--rules", str(draft))
    same = [k for k in bundled if drafted.get(k) == bundled[k]]
    assert len(same) >= 85, sorted(set(bundled) - set(same))


def _ruled_pdf(path: Path, pages: list[list[list[str]]], widths: list[int]) -> None:
    """A table as Word prints it to PDF: every cell a drawn rectangle, its text inside,
    a cell's lines one under the other."""
    drawn: list[list[str]] = []
    for rows in pages:
        ops, y = ["0.5 w"], 560.0
        for row in rows:
            height = 12 * max(len(c.split("\n")) for c in row) + 6
            x = 30.0
            for cell, width in zip(row, widths, strict=True):
                ops.append(f"{x} {y - height} {width} {height} re S")
                for n, line in enumerate(cell.split("\n")):
                    ops.append(f"BT /F1 8 Tf 1 0 0 1 {x + 3} {y - 12 - 12 * n} Tm ({line}) Tj ET")
                x += width
            y -= height
        drawn.append(ops)
    drawn_pdf(path, drawn)


def test_a_ruled_pdf_table_across_pages_with_wrapped_merged_and_lettered_cells(
    tmp_path: Path,
) -> None:
    head = ["No", "KOMPONEN", "INDIKATOR", "LANGKAH AKSI", "BUKTI FISIK", "TARGET DAN WAKTU"]
    first = [
        head,
        ["I", "MANAJEMEN PERUBAHAN", "", "", "", ""],
        [
            "1",
            "Tim Kerja",
            "a. SK Tim Kerja ZI telah\ndibuat sesuai prosedur.",
            "Menyusun mekanisme\npemilihan tim.",
            "- SK Tim Kerja\nPembangunan ZI.",
            "Januari 2021\n1. Meningkatnya komitmen\npimpinan.",
        ],
        [
            "",
            "",
            "b. Pemilihan anggota Tim\nsesuai prosedur.",
            "Rapat pemilihan.",
            "- Notulen rapat\n- Daftar hadir",
            "",
        ],
    ]
    second = [
        ["", "", "", "", "- Foto kegiatan", ""],  # the tail of the cell above, cut by the page
        ["II.", "PENATAAN TATA LAKSANA", "", "", "", ""],
        [
            "1.",
            "SOP",
            "a. SOP telah ditetapkan.",
            "Menetapkan SOP.",
            "Dokumen SOP",
            "- Maret 2021\n- Juni 2021\n- Sept 2021\n- Desember 2021",
        ],
    ]
    table = tmp_path / "rencana-kerja.pdf"
    _ruled_pdf(table, [first, second], [30, 120, 150, 130, 130, 130])
    code, text, out = _import(table, tmp_path)
    assert code == 0, text
    rules = load_rules(out)
    assert [c.name for c in rules.components] == ["MANAJEMEN PERUBAHAN", "PENATAAN TATA LAKSANA"]
    one, two, three = rules.indicators
    assert one.text == "SK Tim Kerja ZI telah dibuat sesuai prosedur."
    assert one.window is not None and one.window.text == "Januari"
    assert two.window == one.window  # the merged time cell covers the row below
    assert [e.name for e in two.evidence] == ["Notulen rapat", "Daftar hadir", "Foto kegiatan"]
    assert three.window is not None and three.window.text == "Maret, Juni, Sept, Desember"
    assert rules.year == 2021


def test_a_frequency_with_named_months_writes_the_months(tmp_path: Path) -> None:
    """'per triwulan' and a target naming its months: the months, never both keys."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["No", "Indikator", "Rencana Aksi", "Bukti", "Target Waktu"])
    sheet.append(
        [
            "1",
            "Monitoring ZI",
            "Rapat monev per triwulan",
            "Laporan monev",
            "Maret, Juni, September, Desember",
        ]
    )
    sheet.append(
        ["2", "Rekap absensi", "Rekap setiap bulan", "Rekap absensi", "Januari - Desember"]
    )
    table = tmp_path / "rencana.xlsx"
    book.save(table)
    code, text, out = _import(table, tmp_path, "--year", "2025")
    assert code == 0, text
    first, second = load_rules(out).indicators
    assert first.window is not None and len(first.window.parts) == 4
    assert first.evidence[0].every == ()
    assert second.evidence[0].every == ("month",)


def test_an_implausible_table_is_written_and_said(tmp_path: Path) -> None:
    """Rows without evidence under fifty components: the draft is kept for a person to mend,
    and the command exits 1 naming what looks wrong."""
    rows = ["No;Komponen;Indikator;Bukti;Waktu"]
    rows += [f"{n};Komponen {n};Indikator {n};;Agustus" for n in range(1, 51)]
    table = tmp_path / "aneh.csv"
    table.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, text, out = _import(table, tmp_path, "--year", "2025")
    assert code == 1 and out.exists()
    assert "50 components" in text and "most rows name no evidence" in text
    assert run_cli("rules", "check", str(out))[0] == 0


def test_a_scanned_pdf_names_the_way_out(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    table = tmp_path / "scan.pdf"
    with table.open("wb") as fh:
        writer.write(fh)
    code, text, out = _import(table, tmp_path)
    assert code == 2 and "no text layer" in text and "OCR" in text
    assert not out.exists()


STORE = REPO.parent / "shared" / "realdata" / "trees" / "bpatp-2021"


def _landed(doc: dict) -> dict[str, set[str]]:  # type: ignore[type-arg]
    where: dict[str, set[str]] = {}
    for ind in doc["indicators"]:
        for ev in ind["evidence"]:
            for f in ev["files"]:
                where.setdefault(f["path"], set()).add(ind["id"])
    return where


@pytest.mark.skipif(
    not STORE.is_dir(), reason="../shared/realdata/trees is not beside this checkout"
)
def test_a_unit_end_to_end_its_plan_imported_its_store_scanned(tmp_path: Path) -> None:
    """Balai PATP's Rencana Kerja PDF drafted, then its published store scanned as of 19
    August 2021 with that draft: every file numbered `<area>.<letter>` inside its component's
    folder lands on its own plan row; the reply in file/7/ belongs to none."""
    code, text, draft = _import(REAL / "05-balai-patp-kementan-rencana-kerja.pdf", tmp_path)
    assert code == 0, text
    share = tmp_path / "share"
    shutil.copytree(STORE / "file", share / "file")
    for line in (STORE / "PATHS.txt").read_text("utf-8").splitlines():
        stand_in = share / line.strip()
        if line.startswith("file/") and not stand_in.exists():  # kept out of shared/: made here
            stand_in.parent.mkdir(parents=True, exist_ok=True)
            stand_in.write_bytes(b"%PDF-1.4\n")
    args = ("scan", str(share), "--rules", str(draft), "--as-of", "2021-08-19", "--format", "json")
    code, out, err = run_cli(*args, "--state", str(tmp_path / "state"))
    assert code == 0, err
    landed = _landed(json.loads(out))
    wrong = []
    for path in sorted(p.relative_to(share).as_posix() for p in share.rglob("*") if p.is_file()):
        _, component, name = path.split("/")
        row = re.match(r"(\d+)\.([a-h])", name)
        want = {f"{component}.{row[1]}.{ord(row[2]) - 96}"} if row else set()
        if not want <= landed.get(path, set()) or (not want and landed.get(path)):
            wrong.append((path, sorted(want), sorted(landed.get(path, set()))))
    assert wrong == []
    assert len(landed) == 67


def test_files_numbered_per_component_land_on_their_row(tmp_path: Path) -> None:
    """`file/1/1.b …`: component 1 by its folder, area 1, item b by the name; a file named
    with its row's id counts there even where no pattern of the row takes its name."""
    plan = """\
version: 1
plan: {title: Uji, year: 2021}
components:
  - id: "1"
    name: Manajemen Perubahan
    areas:
      - id: "1.1"
        name: Tim Kerja
        indicators:
          - {id: "1.1.1", text: SK dibuat, window: Januari, evidence: [{name: SK Tim, patterns: ["sk tim*"]}]}
          - id: "1.1.2"
            text: Pemilihan anggota
            window: Januari
            evidence:
              - {name: Penyusunan mekanisme pemilihan, patterns: ["penyusunan mekanisme*"]}
              - {name: Notulen rapat, in_folder: ["notulen*"]}
"""
    rules = tmp_path / "rules.yaml"
    rules.write_text(plan)
    share = tmp_path / "share"
    for name in ("1.a SK Zona Integritas 2021.pdf", "1.b Mekanisme Tim 2021.pdf"):
        (share / "file" / "1").mkdir(parents=True, exist_ok=True)
        (share / "file" / "1" / name).write_bytes(b"%PDF-1.4\n")
    args = ("scan", str(share), "--rules", str(rules), "--as-of", "2021-03-01", "--format", "json")
    code, out, err = run_cli(*args, "--state", str(tmp_path / "state"))
    assert code == 0, err
    doc = json.loads(out)
    assert _landed(doc) == {
        "file/1/1.a SK Zona Integritas 2021.pdf": {"1.1.1"},
        "file/1/1.b Mekanisme Tim 2021.pdf": {"1.1.2"},
    }
    items = {ev["key"]: ev["status"] for i in doc["indicators"] for ev in i["evidence"]}
    assert items["1.1.2/1"] != "missing" and items["1.1.2/2"] == "missing"  # one file, one item


@pytest.mark.parametrize("kind", ["ods", "xls"])
def test_old_and_open_spreadsheet_formats(tmp_path: Path, kind: str) -> None:
    """.ods and .xls, as LibreOffice saves them, read through python-calamine."""
    from tests.report.test_render_xlsx import recalculated

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["No", "Komponen", "Indikator", "Rencana Aksi", "Bukti Fisik", "Waktu"])
    sheet.append(
        ["1", "Manajemen Perubahan", "Tim dibentuk", "Membentuk tim", "SK Tim Kerja", "Agustus"]
    )
    source = tmp_path / "rencana.xlsx"
    book.save(source)
    converted = recalculated(source, tmp_path, to=kind)
    code, text, out = _import(converted, tmp_path, "--year", "2025")
    assert code == 0, text
    (indicator,) = load_rules(out).indicators
    assert indicator.text == "Tim dibentuk" and indicator.evidence[0].name == "SK Tim Kerja"
