"""A Rencana Aksi document as tables of cell text, whatever form the unit has it in.

- PDF: a Word table printed to PDF has its cell borders as drawn lines; pdfplumber returns
  those cells (a merged cell's other rows as empty, a cell's wrapped lines joined by "\\n"),
  and a table continued over pages as one table per page, joined here. A table with no
  borders falls back to poppler's `pdftotext -layout` columns.
- .xlsx through openpyxl (merged cells carry their value to every cell they cover); .xls and
  .ods through python-calamine; .docx straight from its XML (a vertically merged cell
  continues the one above); .csv with `,` or `;`; Markdown pipe tables (`<br>` is a line
  break inside a cell) and tab-separated text; HTML `<table>`s.
Every reader is guarded before it runs: a file, a zip entry or a sheet larger than a plan
can be is refused with what was too large, never read into memory.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

from zi_audit.core.errors import ZiAuditError
from zi_audit.rules.importing.layout import Table, layout_table

MAX_FILE = 64 << 20  # a plan document is a few MB at most
MAX_INFLATED = 128 << 20  # one part of a .docx/.xlsx, inflated
MAX_CELLS = 2_000_000  # rows x columns of one sheet, as the sheet declares them
MAX_PAGES = 400

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SUFFIXES = (
    ".pdf",
    ".xlsx",
    ".xls",
    ".ods",
    ".docx",
    ".csv",
    ".md",
    ".txt",
    ".tsv",
    ".html",
    ".htm",
)


class ImportError_(ZiAuditError):
    """A file that holds no table we can read."""


def read_tables(path: Path) -> list[Table]:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ImportError_(
            f"{path}: import reads .pdf, .xlsx, .xls, .ods, .docx, .csv, Markdown .md, "
            ".html and tab-separated .txt"
        )
    try:
        if path.stat().st_size > MAX_FILE:
            raise ImportError_(f"{path}: larger than {MAX_FILE >> 20} MB, not a plan document")
        return _READERS[suffix](path)
    except ZiAuditError:
        raise
    except (MemoryError, RecursionError):
        raise ImportError_(f"{path}: too large or too deeply nested to read") from None
    except Exception as exc:  # a damaged document: a third-party reader's own error
        raise ImportError_(
            f"{path}: cannot be read as a table ({type(exc).__name__}: {str(exc)[:200]})"
        ) from None


def _text(path: Path) -> list[Table]:
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    table = _text_lines(text)
    if not any(table) and "<table" in text.lower():
        return _html_tables(text)
    if not any(table):  # a PDF's text layer as `pdftotext -layout` lays it out
        return [layout_table(text)]
    return [table]


def _html(path: Path) -> list[Table]:
    return _html_tables(path.read_text(encoding="utf-8-sig", errors="replace"))


def _csv(path: Path) -> list[Table]:
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:4096], delimiters=",;\t"
        )
    except csv.Error:
        dialect = csv.excel
    return [[[c.strip() for c in row] for row in csv.reader(io.StringIO(text), dialect)]]


_MD_RULE = re.compile(r"^\s*\|?[\s:|-]+\|?\s*$")
_PIPE = re.compile(r"(?<!\\)\|")


def _text_lines(text: str) -> Table:
    """The table in a decree's text layer (OCR or copied from a PDF, cells tab separated) or
    in a Markdown pipe table. Prose lines stay as empty rows so a row's number is its line."""
    rows: Table = []
    for line in text.splitlines():
        if line.lstrip().startswith("|") and not _MD_RULE.match(line):
            cells = _PIPE.split(line.strip().strip("|"))
            rows.append([_md_cell(c) for c in cells])
        elif "\t" in line:
            rows.append([c.strip() for c in line.split("\t")])
        else:
            rows.append([])
    return rows


def _md_cell(cell: str) -> str:
    text = re.sub(r"<br\s*/?>", "\n", cell.replace("\\|", "|"), flags=re.I)
    return "\n".join(part.strip() for part in text.split("\n")).strip()


class _Tables(HTMLParser):
    """Cells of every <table>; a cell spanning columns is followed by empty cells."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[Table] = []
        self.cell: list[str] | None = None
        self.span = 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables and self.tables[-1]:
            self.cell = []
            span = dict(attrs).get("colspan") or "1"
            self.span = int(span) if span.isdigit() and 0 < int(span) < 50 else 1
        elif tag in ("br", "li", "p") and self.cell is not None:
            self.cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None and self.tables and self.tables[-1]:
            text = "\n".join(" ".join(p.split()) for p in "".join(self.cell).split("\n"))
            self.tables[-1][-1] += [text.strip("\n ")] + [""] * (self.span - 1)
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def _html_tables(text: str) -> list[Table]:
    parser = _Tables()
    parser.feed(text)
    return [t for t in parser.tables if t]


def _pdf(path: Path) -> list[Table]:
    import pdfplumber  # only when a PDF is imported: pdfminer is a large import

    rows: Table = []
    width = 0
    # Our own handle: pdfplumber.open(path) leaves its file open when the PDF cannot be parsed.
    with path.open("rb") as fh, pdfplumber.open(fh) as pdf:
        if len(pdf.pages) > MAX_PAGES:
            raise ImportError_(f"{path}: {len(pdf.pages)} pages, more than a plan has")
        has_text = False
        for page in pdf.pages:
            has_text = has_text or bool(page.chars)
            for table in page.extract_tables():
                cells = [[(c or "").strip() for c in row] for row in table]
                if width and cells and len(cells[0]) != width:
                    rows.append([])  # another table: a blank row keeps them apart
                width = len(cells[0]) if cells else width
                rows += cells
    if rows:
        return [rows]
    if not has_text:
        raise ImportError_(
            f"{path}: the PDF has no text layer (a scan); import its table from the Word or "
            "Excel file it was printed from, or OCR it first (ocrmypdf, tesseract -l ind)"
        )
    return [layout_table(_pdftotext(path))]  # a table drawn without borders


def _pdftotext(path: Path) -> str:
    """The PDF's text layer laid out as on the page, by poppler's pdftotext: it keeps a
    table's columns at fixed character positions, which pypdf's layout mode does not."""
    tool = shutil.which("pdftotext")
    if tool is None:
        raise ImportError_(
            f"{path}: its table has no drawn borders; reading it needs poppler's pdftotext "
            "(apt install poppler-utils), or save the table as .xlsx, .docx or .csv"
        )
    done = subprocess.run(
        [tool, "-layout", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        timeout=60,
        check=False,
    )
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = "encrypted" if any("password" in s.lower() for s in said) else "damaged"
        raise ImportError_(f"{path}: the PDF cannot be read ({reason}: {' '.join(said[:1])})")
    return done.stdout.decode("utf-8", "replace")


def _zip_guard(path: Path, z: zipfile.ZipFile) -> None:
    """Refuse a zip part that inflates past what a plan document holds (a zip bomb)."""
    for info in z.infolist():
        if info.file_size > MAX_INFLATED:
            size = info.file_size >> 20
            raise ImportError_(f"{path}: its part {info.filename} inflates to {size} MB; refused")


_REF = re.compile(rb'<(?:\w+:)?(dimension|mergeCell) ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def _sheet_guard(path: Path, z: zipfile.ZipFile) -> None:
    """A sheet's declared size and merged ranges, read (streamed) before any reader
    allocates them: a far cell or a merge such as A1:XFD1048576 makes readers build a
    billion cells."""
    for name in z.namelist():
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        tail = b""
        with z.open(name) as fh:
            while chunk := fh.read(1 << 20):
                text = tail + chunk
                for ref in _REF.finditer(text):
                    _refuse_range(path, ref)
                tail = text[-200:]


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters.decode():
        n = n * 26 + ord(ch) - 64
    return n


def _refuse_range(path: Path, ref: re.Match[bytes]) -> None:
    """A dimension counts every cell up to its last one; a merge, the cells it covers."""
    first_col, first_row = _column(ref[2]), int(ref[3])
    last_col, last_row = (_column(ref[4]), int(ref[5])) if ref[4] else (first_col, first_row)
    if ref[1] == b"dimension":
        cells = last_col * last_row
    else:
        cells = (abs(last_col - first_col) + 1) * (abs(last_row - first_row) + 1)
    if cells > MAX_CELLS:
        shown = ref[0].decode(errors="replace").split('"')[1]
        raise ImportError_(f"{path}: a sheet declares {shown} ({cells:,} cells); refused")


def _xlsx(path: Path) -> list[Table]:
    from openpyxl import load_workbook  # only when a workbook is imported

    with zipfile.ZipFile(path) as z:
        _zip_guard(path, z)
        _sheet_guard(path, z)
    book = load_workbook(path, read_only=False, data_only=True)
    tables = []
    for sheet in book.worksheets:
        if sheet.max_row * sheet.max_column > MAX_CELLS:
            raise ImportError_(f"{path}: sheet {sheet.title} is larger than a plan can be")
        values = [
            [("" if c is None else str(c)).strip() for c in row]
            for row in sheet.iter_rows(values_only=True)
        ]
        for merged in sheet.merged_cells.ranges:
            if merged.size["rows"] * merged.size["columns"] > MAX_CELLS:
                raise ImportError_(f"{path}: a merged range {merged.coord} is larger than a plan")
            top = (
                values[merged.min_row - 1][merged.min_col - 1]
                if merged.min_row <= len(values)
                else ""
            )
            for r in range(merged.min_row, min(merged.max_row, len(values)) + 1):
                for c in range(merged.min_col, min(merged.max_col, len(values[r - 1])) + 1):
                    values[r - 1][c - 1] = top
        tables.append(values)
    return tables


def _calamine(path: Path) -> list[Table]:
    """.xls and .ods: python-calamine reads both (openpyxl reads neither)."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    tables = []
    for name in book.sheet_names:
        sheet = book.get_sheet_by_name(name)
        if sheet.height * sheet.width > MAX_CELLS:
            raise ImportError_(f"{path}: sheet {name} is larger than a plan can be")
        rows = sheet.to_python(skip_empty_area=False)
        tables.append([[("" if c is None else str(c)).strip() for c in row] for row in rows])
    return tables


def _docx(path: Path) -> list[Table]:
    with zipfile.ZipFile(path) as z:
        _zip_guard(path, z)
        root = ElementTree.fromstring(z.read("word/document.xml"))
    tables = []
    for tbl in root.iter(f"{_W}tbl"):
        rows: Table = []
        for tr in tbl.iter(f"{_W}tr"):
            row = []
            for n, tc in enumerate(tr.findall(f"{_W}tc")):
                text = "\n".join(
                    "".join(t.text or "" for t in p.iter(f"{_W}t")) for p in tc.iter(f"{_W}p")
                ).strip()
                merge = tc.find(f"{_W}tcPr/{_W}vMerge")
                continues = merge is not None and merge.get(f"{_W}val") != "restart"
                if continues and rows and n < len(rows[-1]):
                    text = rows[-1][n]  # a vertically merged cell: the value above
                row.append(text)
                span = tc.find(f"{_W}tcPr/{_W}gridSpan")
                extra = int(span.get(f"{_W}val") or 1) - 1 if span is not None else 0
                row += [""] * max(0, min(extra, 50))  # a horizontally merged cell
            rows.append(row)
        tables.append(rows)
    if not tables:
        raise ImportError_(f"{path}: the document holds no table")
    return tables


_READERS = {
    ".pdf": _pdf,
    ".xlsx": _xlsx,
    ".xls": _calamine,
    ".ods": _calamine,
    ".docx": _docx,
    ".csv": _csv,
    ".md": _text,
    ".txt": _text,
    ".tsv": _text,
    ".html": _html,
    ".htm": _html,
}
