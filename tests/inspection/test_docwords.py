"""A document known by its words (#22): its own date from its text, the words an item needs,
another year in its title; a scan read with OCR where Tesseract is installed."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import time
import zipfile
from pathlib import Path
from typing import cast

import pytest
from openpyxl import Workbook
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter

from tests.helpers import REPO, drawn_pdf, run_cli
from zi_audit.inspection import ocr
from zi_audit.inspection.docwords import date_in_text, years_named

BPATP = REPO.parent / "shared" / "realdata" / "trees" / "bpatp-2021"
NEEDS_OCR = pytest.mark.skipif(
    not ocr.available(),
    reason="needs tesseract-ocr, tesseract-ocr-ind and poppler-utils (.ci/run installs them)",
)

PLAN = """\
version: 1
plan: {title: Uji isi dokumen, year: 2025}
components:
  - id: "1"
    name: Manajemen Perubahan
    areas:
      - id: "1.1"
        name: Tim Kerja
        indicators:
          - id: "1.1.1"
            text: SK Tim Kerja
            window: Januari - Desember
            evidence:
              - name: SK Tim Kerja
                patterns: ["sk tim*"]
                words: ["tim kerja", "zona integritas|wbk"]
          - id: "1.1.2"
            text: Notulen
            window: Januari - Desember
            evidence:
              - {name: Notulen rapat, patterns: ["notulen*"]}
"""

DECREE = [
    "KEPUTUSAN KETUA KPU KABUPATEN CONTOH",
    "NOMOR 12/HK.03/2025",
    "TENTANG PEMBENTUKAN TIM KERJA ZONA INTEGRITAS TAHUN 2025",
    "Ditetapkan di Contoh",
    "pada tanggal 5 Agustus 2025",
]


@pytest.mark.parametrize(
    ("text", "day", "said"),
    [
        ("Ditetapkan di : Bogor\nada tanggal : 4 Januari 2021", "2021-01-04", "ada tanggal"),
        (
            "Menimbang keputusan tanggal 3 Maret 2019;\nDitetapkan di Banyuwangi\npada tanggal 5 Agustus 2025",
            "2025-08-05",
            "5 Agustus 2025",
        ),
        (
            "NOTULEN RAPAT\nHari/Tanggal : Senin, 4 Agustus 2025\nTempat: Aula",
            "2025-08-04",
            "Hari/Tanggal",
        ),
        ("DAFTAR HADIR\nTanggal: 04-08-2025", "2025-08-04", "04-08-2025"),
        (
            "Nomor: 12/2025\n   Banyuwangi, 5 Agt 2025\nPerihal: Undangan",
            "2025-08-05",
            "Banyuwangi",
        ),
        ("Pada tanggal : 12 Januar1 2021", "2021-01-12", "Januar1"),  # an OCR slip
    ],
)
def test_the_date_a_document_states_of_itself(text: str, day: str, said: str) -> None:
    found = date_in_text(text)
    assert found is not None and found[0] == dt.date.fromisoformat(day) and said in found[1]


def test_the_years_a_title_or_number_names() -> None:
    assert years_named("\n".join(DECREE)) == (2025,)
    assert years_named("SK NOMOR: 7/KPTS/2024\nTENTANG TIM TAHUN 2024") == (2024,)
    assert date_in_text("Rapat tanggal 31 Februari 2025") is None


def _text_pdf(path: Path, lines: list[str], created: str | None = None) -> None:
    """A PDF with a text layer, as a word processor writes it; CreationDate as given."""
    drawn_pdf(
        path,
        [
            [
                "BT /F1 12 Tf",
                *(f"1 0 0 1 60 {780 - 20 * n} Tm ({t}) Tj" for n, t in enumerate(lines)),
                "ET",
            ]
        ],
        size=(595, 842),
    )
    if created:
        writer = PdfWriter(clone_from=PdfReader(path))
        writer.add_metadata({"/CreationDate": created})
        with path.open("wb") as fh:
            writer.write(fh)


def _docx(path: Path, paragraphs: list[str]) -> None:
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", f"<w:document><w:body>{body}</w:body></w:document>")


def _scan_text(root: Path, rules: Path, *extra: str) -> str:
    args = ("--rules", str(rules), "--as-of", "2025-11-15", "--state", str(root.parent / "state"))
    code, out, err = run_cli("scan", str(root), *args, *extra)
    assert code in (0, 1), err
    return out


def _scan(root: Path, rules: Path, *extra: str) -> dict:
    return cast(dict, json.loads(_scan_text(root, rules, "--format", "json", *extra)))


def _files(report: dict) -> dict[str, dict]:
    return {
        f["path"]: f for ind in report["indicators"] for ev in ind["evidence"] for f in ev["files"]
    }


def test_words_date_a_document_and_decide_what_counts(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(PLAN)
    root = tmp_path / "share"
    root.mkdir()
    # A decree whose PDF was made a year later (scanned, re-saved): its words date it.
    _text_pdf(root / "SK Tim Kerja 2025.pdf", DECREE, created="D:20260310090000+07'00'")
    # Named for 2025, but last year's decree inside.
    _text_pdf(root / "SK Tim 2025 lama.pdf", [line.replace("2025", "2024") for line in DECREE])
    # A file named like the SK that is an invitation: the words the item needs are not there.
    _text_pdf(
        root / "SK Tim undangan.pdf", ["UNDANGAN RAPAT", "Hari/Tanggal: Senin, 4 Agustus 2025"]
    )
    # Minutes as .docx; a list as .xlsx: their dates are in their text.
    _docx(root / "Notulen rapat.docx", ["NOTULEN RAPAT", "Hari/Tanggal : Kamis, 14 Agustus 2025"])
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["DAFTAR HADIR"])
    sheet.append(["Tanggal: 15-08-2025"])
    book.save(root / "Notulen daftar hadir.xlsx")

    files = _files(_scan(root, rules))
    sk = files["SK Tim Kerja 2025.pdf"]
    assert (sk["date"], sk["date_source"], sk["status"]) == ("2025-08-05", "text", "present")
    assert "pada tanggal 5 Agustus 2025" in sk["raw_date"]
    old = files["SK Tim 2025 lama.pdf"]
    assert old["status"] == "outdated" and "other_year:2024" in old["problems"]
    invite = files["SK Tim undangan.pdf"]
    assert invite["status"] == "invalid"
    assert "words_missing:tim kerja, zona integritas / wbk" in invite["problems"]
    assert (files["Notulen rapat.docx"]["date"], files["Notulen rapat.docx"]["date_source"]) == (
        "2025-08-14",
        "text",
    )
    assert files["Notulen daftar hadir.xlsx"]["date"] == "2025-08-15"
    # Alone in its folder, the invitation is what the report and explain say is wrong.
    (root / "SK Tim Kerja 2025.pdf").unlink()
    (root / "SK Tim 2025 lama.pdf").unlink()
    args = ("--rules", str(rules), "--state", str(tmp_path / "state"))
    _, text, _ = run_cli("scan", str(root), "--as-of", "2025-11-15", *args)
    assert "isi tidak memuat 'tim kerja, zona integritas / wbk'" in text
    _, why, _ = run_cli("explain", "--root", str(root), str(root / "SK Tim undangan.pdf"), *args)
    assert "isi tidak memuat 'tim kerja" in why, why


def test_a_decree_of_december_naming_next_year_belongs_to_it(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(PLAN)
    root = tmp_path / "share"
    root.mkdir()
    early = [*DECREE[:3], "Ditetapkan di Contoh", "pada tanggal 20 Desember 2024"]
    _text_pdf(root / "SK Tim Kerja.pdf", early)
    sk = _files(_scan(root, rules))["SK Tim Kerja.pdf"]
    assert (sk["date"], sk["status"]) == ("2024-12-20", "present")


def test_a_scan_without_ocr_is_counted_by_name_and_said_unread(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(PLAN)
    root = tmp_path / "share"
    root.mkdir()
    _page_pdf(root / "SK Tim Kerja 2025-08-05.pdf", DECREE)
    report = _scan(root, rules, "--ocr-budget", "0")
    sk = _files(report)["SK Tim Kerja 2025-08-05.pdf"]
    assert sk["status"] == "present" and "text_unread" in sk["notes"]
    assert report["stats"]["ocr_waiting"] == 1
    assert "1 dokumen hasil pindai" in _scan_text(root, rules, "--ocr-budget", "0")


def _page(lines: list[str]) -> Image.Image:
    """A page as a scanner or a phone camera gives it: black type on white."""
    page = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(page)
    try:
        font: ImageFont.FreeTypeFont | ImageFont.ImageFont = ImageFont.truetype(
            "DejaVuSans.ttf", 34
        )
    except OSError:
        pytest.skip("the DejaVu font is needed to draw a page to read")
    for n, line in enumerate(lines):
        draw.text((120, 200 + 60 * n), line, fill=0, font=font)
    return page


def _page_pdf(path: Path, lines: list[str]) -> None:
    """A scanned PDF: the page is an image, with no text layer."""
    _page(lines).convert("RGB").save(path, "PDF", resolution=150)


@NEEDS_OCR
def test_ocr_reads_a_scanned_pdf_and_a_photo_once(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(PLAN)
    root = tmp_path / "share"
    root.mkdir()
    _page_pdf(root / "SK Tim Kerja.pdf", DECREE)
    buf = io.BytesIO()
    notes = ["NOTULEN RAPAT TIM KERJA", "Hari/Tanggal : Kamis, 14 Agustus 2025"]
    _page(notes).convert("RGB").save(buf, "JPEG", quality=90)
    (root / "Notulen rapat.jpg").write_bytes(buf.getvalue())
    report = _scan(root, rules, "--ocr-budget", "120")
    files = _files(report)
    for name, day in (("SK Tim Kerja.pdf", "2025-08-05"), ("Notulen rapat.jpg", "2025-08-14")):
        assert (files[name]["date"], files[name]["date_source"]) == (day, "text"), files[name]
        assert "ocr" in files[name]["notes"]
    assert report["stats"]["ocr"] == 2 and report["stats"]["ocr_waiting"] == 0
    again = _scan(root, rules, "--ocr-budget", "120")
    assert (again["stats"]["opened"], again["stats"]["ocr"]) == (0, 0)  # read once, ever
    assert _files(again) == files


@pytest.mark.skipif(not BPATP.is_dir(), reason="../shared/realdata is not beside this checkout")
def test_a_units_real_decrees_are_dated_by_their_own_lines(tmp_path: Path) -> None:
    """Balai PATP's SKs: CreationDate 12 July 2021, decreed 4 January 2021; the scanned SK
    of its agents of change (no text layer) read by OCR where Tesseract is installed."""
    from zi_audit.inspection.judge import judge

    found = {}
    names = ["1.a SK Zona Integritas-2021-New.pdf", "4.d SK Zona Integritas-2021-New.pdf"]
    if ocr.available():
        names.append("4.b 16 SK-Agen perubahan 2021.pdf")
    for name in names:
        path = BPATP / "file" / "1" / name
        started = time.monotonic()
        verdict = judge(str(path), "pdf", path.stat().st_size, ocr=True)
        facts = verdict.facts(path.stat())
        found[name] = (facts.text_date, facts.text_date_raw, round(time.monotonic() - started))
        assert facts.text_date == dt.date(2021, 1, 4), found[name]
        assert facts.content_date is not None and facts.content_date.date() != facts.text_date
    print("\n".join(f"{n}: {d} from {raw!r} ({s} s)" for n, (d, raw, s) in found.items()))


def test_the_text_cache_keeps_no_whole_documents(tmp_path: Path) -> None:
    """Only what the rules need is kept: a 60-page report's words are not in the cache."""
    long = [f"Baris {n} laporan kegiatan tim kerja zona integritas" for n in range(40)]
    path = tmp_path / "laporan.pdf"
    drawn_pdf(
        path,
        [
            [
                "BT /F1 10 Tf",
                *(f"1 0 0 1 40 {800 - 18 * k} Tm ({t}) Tj" for k, t in enumerate(long)),
                "ET",
            ]
        ]
        * 60,
        size=(595, 842),
    )
    from zi_audit.core.facts import facts_to_json
    from zi_audit.inspection.judge import judge

    facts = judge(str(path), "pdf", path.stat().st_size).facts(path.stat())
    assert facts.text is not None and len(facts_to_json(facts)) < 6_000
    shutil.rmtree(tmp_path / "nothing", ignore_errors=True)


def test_an_ocr_that_fails_leaves_the_scan_waiting_never_invalid(tmp_path: Path) -> None:
    """A page image Pillow refuses to decode for OCR (a decompression bomb: an IHDR
    declaring 100,000 x 100,000 pixels) keeps its facts and waits; it is never judged
    invalid by the failure of its reading."""
    import struct
    import zlib

    from zi_audit.inspection.judge import _read_scan
    from zi_audit.inspection.verdict import Verdict

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    bomb = tmp_path / "halaman.png"
    ihdr = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 0, 0, 0, 0)
    bomb.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b""))
    verdict = Verdict()
    verdict.note("ocr_pending")
    _read_scan(str(bomb), "png", verdict)
    assert verdict.valid and verdict.notes == ["ocr_pending"] and verdict.words is None
