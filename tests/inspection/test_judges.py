"""Each judge on real files: pypdf-written and byte-broken PDFs, Pillow JPEGs, Office zips."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from PIL import Image

from tests.helpers import broken, jpeg_bytes, pdf_bytes
from zi_audit.inspection.judge import judge
from zi_audit.inspection.pdfdate import parse_pdf_date
from zi_audit.inspection.verdict import Verdict

WIB = dt.timezone(dt.timedelta(hours=7))


def judged(tmp_path: Path, name: str, data: bytes) -> Verdict:
    path = tmp_path / name
    path.write_bytes(data)
    return judge(str(path), name.rpartition(".")[2].lower(), len(data))


def test_sound_pdf_with_its_date(tmp_path: Path) -> None:
    v = judged(tmp_path, "sk.pdf", pdf_bytes("D:20250929143000+07'00'"))
    assert v.valid and v.problems == [] and v.pages == 1
    assert v.created == dt.datetime(2025, 9, 29, 14, 30, tzinfo=WIB)
    assert (v.date_source, v.raw_date) == ("pdf-info", "D:20250929143000+07'00'")
    assert "scanned" in v.notes  # a blank page has no text layer


def test_text_layer_and_signature_field(tmp_path: Path) -> None:
    assert "scanned" not in judged(tmp_path, "text.pdf", broken.text_pdf()).notes
    signed = judged(tmp_path, "ttd.pdf", broken.signed_field_pdf())
    assert signed.valid and "signed" in signed.notes


@pytest.mark.parametrize(
    ("raw", "expected", "precision"),
    [
        ("D:20250929143000+07'00'", dt.datetime(2025, 9, 29, 14, 30, tzinfo=WIB), "day"),
        ("D:20250929143000Z", dt.datetime(2025, 9, 29, 14, 30, tzinfo=dt.UTC), "day"),
        (
            "D:20250929143000-03'30'",
            dt.datetime(
                2025, 9, 29, 14, 30, tzinfo=dt.timezone(-dt.timedelta(hours=3, minutes=30))
            ),
            "day",
        ),
        ("D:20250929143000", dt.datetime(2025, 9, 29, 14, 30), "day"),  # no zone: naive
        ("20250929", dt.datetime(2025, 9, 29), "day"),
        ("D:202509", dt.datetime(2025, 9, 1), "month"),
        ("D:2025", dt.datetime(2025, 1, 1), "year"),  # pypdf would say 1 January
    ],
)
def test_pdf_date_forms(raw: str, expected: dt.datetime, precision: str) -> None:
    assert parse_pdf_date(raw) == (expected, precision)


@pytest.mark.parametrize("raw", ["D:", "9/29/2025 2:30 PM", "D:20251399", "", "D:00000000"])
def test_unreadable_pdf_dates(raw: str) -> None:
    assert parse_pdf_date(raw) is None


def test_partial_date_keeps_its_precision(tmp_path: Path) -> None:
    v = judged(tmp_path, "lama.pdf", pdf_bytes("D:2025"))
    assert (v.created, v.precision) == (dt.datetime(2025, 1, 1), "year")


def test_user_password_is_invalid_owner_password_is_not(tmp_path: Path) -> None:
    locked = judged(tmp_path, "kunci.pdf", broken.encrypted_pdf(user="rahasia"))
    assert not locked.valid and locked.problems == ["encrypted"]
    restricted = judged(tmp_path, "batas.pdf", broken.encrypted_pdf(user=""))
    assert restricted.valid and "owner_password" in restricted.notes
    assert restricted.created == dt.datetime(2025, 9, 29, 14, 30, tzinfo=WIB)


def test_pdfs_broken_byte_by_byte(tmp_path: Path) -> None:
    good = pdf_bytes()
    half = judged(tmp_path, "half.pdf", good[: len(good) // 2])
    assert not half.valid and "truncated" in half.problems
    html = judged(tmp_path, "drive.pdf", b"<!DOCTYPE html><html><body>Sign in</body></html>")
    assert html.problems == ["corrupt"] and "HTML" in html.detail
    garbage = judged(tmp_path, "acak.pdf", bytes(range(256)) * 8)
    assert garbage.problems == ["corrupt"]
    no_pages = judged(tmp_path, "kosong.pdf", good.replace(b"/Pages", b"/Pagex"))
    assert not no_pages.valid
    mangled = bytearray(good)
    start = good.find(b"xref")
    mangled[start : start + 30] = b"#" * 30  # xref table destroyed: pypdf rebuilds it
    repaired = judged(tmp_path, "xref.pdf", bytes(mangled))
    assert repaired.valid and "repaired" in repaired.notes


def test_page_tree_that_loops(tmp_path: Path) -> None:
    v = judged(tmp_path, "loop.pdf", broken.looping_page_tree())
    assert not v.valid and v.problems == ["corrupt"]
    assert "cyclic" in v.detail


def test_jpeg_with_exif_and_truncated_copy(tmp_path: Path) -> None:
    data = jpeg_bytes("2025:09:12 10:15:32")
    v = judged(tmp_path, "foto.jpg", data)
    assert v.valid and v.created == dt.datetime(2025, 9, 12, 10, 15, 32) and v.date_source == "exif"
    cut = judged(tmp_path, "potong.jpg", data[: len(data) * 2 // 3])
    assert not cut.valid and cut.problems == ["truncated"]


def test_exif_without_a_real_date(tmp_path: Path) -> None:
    v = judged(tmp_path, "nol.jpg", jpeg_bytes("0000:00:00 00:00:00"))
    assert v.valid and v.created is None


def test_image_bomb_is_refused_not_decoded(tmp_path: Path) -> None:
    v = judged(tmp_path, "bom.png", broken.png_bomb())
    assert not v.valid and v.problems == ["too_large"]


def test_png_with_a_bad_checksum(tmp_path: Path) -> None:
    data = bytearray(broken.png_bomb(4, 4))
    data[29] ^= 0xFF  # inside the IHDR CRC
    assert judged(tmp_path, "crc.png", bytes(data)).problems == ["corrupt"]


def test_heic_without_its_plugin_is_unsupported_not_corrupt(tmp_path: Path) -> None:
    v = judged(tmp_path, "iphone.heic", b"\0\0\0\x18ftypheic" + b"\0" * 100)
    assert v.valid and "unsupported" in v.notes


@pytest.mark.parametrize("kind", ["docx", "xlsx", "pptx"])
def test_office_sound_with_date(tmp_path: Path, kind: str) -> None:
    v = judged(tmp_path, f"notulen.{kind}", broken.office(kind))
    assert (
        v.valid
        and v.created == dt.datetime(2025, 9, 29, 7, 30, tzinfo=dt.UTC)
        and v.date_source == "office"
    )


def test_office_broken(tmp_path: Path) -> None:
    good = broken.office("docx")
    assert judged(tmp_path, "potong.docx", good[: len(good) // 2]).problems in (
        ["truncated"],
        ["corrupt"],
    )
    assert judged(tmp_path, "tanpa.docx", broken.office("docx", main=False)).problems == ["corrupt"]
    assert judged(tmp_path, "kunci.docx", broken.encrypted_office()).problems == ["encrypted"]
    assert judged(tmp_path, "bukan.xlsx", b"just text, not a workbook").problems == ["corrupt"]
    crc = bytearray(good)
    body = good.find(b"word/document.xml") + 40
    crc[body : body + 8] = b"\xff" * 8  # flip compressed bytes: the CRC no longer holds
    assert not judged(tmp_path, "crc.docx", bytes(crc)).valid


def test_other_types_need_only_be_non_empty(tmp_path: Path) -> None:
    assert judged(tmp_path, "rekap.csv", b"a,b\n").valid
    assert judged(tmp_path, "kosong.csv", b"").problems == ["empty"]


@pytest.mark.parametrize(
    ("size", "valid"), [((32, 32), False), ((299, 200), False), ((300, 225), True)]
)
def test_an_image_too_small_to_show_anything_is_invalid(
    tmp_path: Path, size: tuple[int, int], valid: bool
) -> None:
    """A 686-byte icon named like the evidence once counted as an SK; docs/problems.md
    says where the 300-pixel line comes from."""
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, "PNG")
    v = judged(tmp_path, "SK Tim ZI.png", buf.getvalue())
    assert v.valid is valid
    assert v.problems == ([] if valid else ["too_small"])


def test_pypdf_encoding_table_built_once_and_never_shared() -> None:
    """The speed-up inspection/pdf.py puts into pypdf: in place with the pypdf we ship
    (a release that renames it fails here, not silently slower), the table pypdf's own, and
    every caller's copy its own to change."""
    import pypdf._codecs as codecs
    import pypdf._text_extraction._text_extractor as extractor

    import zi_audit.inspection.pdf  # noqa: F401  (puts the shared table in place)

    shared = extractor.encoding_dict_from_named_encoding
    assert shared is not codecs.encoding_dict_from_named_encoding
    first = shared("cp1252")
    assert first == codecs.encoding_dict_from_named_encoding("cp1252")
    first[0x41] = "changed"
    assert shared("cp1252")[0x41] == "A"


def test_text_of_winansi_letters_read_as_written(tmp_path: Path) -> None:
    """A letter written in cp1252 (é, curly quotes, the euro sign) reads as written, on
    every page: each page's copy of the shared table is its own."""
    content = b"BT /F1 12 Tf 10 50 Td (Caf\xe9 \x93Zona\x94 \x80 5) Tj ET"
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 5 0 R"
    page += b" /Resources << /Font << /F1 6 0 R >> >> >>"
    data = broken.raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
            page,
            page,
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        ]
    )
    v = judged(tmp_path, "surat.pdf", data)
    assert v.words is not None
    assert v.words.split("\n") == ["Caf\xe9 \u201cZona\u201d \u20ac 5"] * 2
