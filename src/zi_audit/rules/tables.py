"""Reading a Rencana Aksi table out of a spreadsheet or a Word document, as rows of text.

.xlsx through openpyxl (merged cells carry their value to every cell they cover), .docx
straight from its XML (a vertically merged cell continues the one above), .csv as it is.
What comes out is a list of rows of cell texts; finding the header and the meaning of each
column is rules/importer.py's job.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from zi_audit.core.errors import ZiAuditError

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

Table = list[list[str]]


class ImportError_(ZiAuditError):
    """A file that holds no table we can read."""


def read_tables(path: Path) -> list[Table]:
    suffix = path.suffix.lower()
    try:
        if suffix == ".xlsx":
            return _xlsx(path)
        if suffix == ".docx":
            return _docx(path)
        if suffix == ".csv":
            text = path.read_text(encoding="utf-8-sig")
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
            return [[[c.strip() for c in row] for row in csv.reader(io.StringIO(text), dialect)]]
        if suffix == ".pdf":
            return [_layout_table(_pdftotext(path))]
        if suffix in (".txt", ".md", ".tsv"):
            return [_text_lines(path.read_text(encoding="utf-8-sig"))]
    except ZiAuditError:
        raise
    except (
        OSError,
        ValueError,
        KeyError,
        zipfile.BadZipFile,
        ElementTree.ParseError,
        csv.Error,
        subprocess.SubprocessError,
    ) as exc:
        raise ImportError_(
            f"{path}: cannot be read as a table ({type(exc).__name__}: {exc})"
        ) from None
    raise ImportError_(
        f"{path}: import reads .xlsx, .docx, .csv, .pdf (text layer), Markdown .md and tab-separated .txt"
    )


_MD_RULE = re.compile(r"^\s*\|?[\s:|-]+\|?\s*$")


def _text_lines(text: str) -> Table:
    """The table in a decree's text layer (OCR or copied from a PDF, cells tab separated) or
    in a Markdown pipe table. Prose lines stay as empty rows so a row's number is its line."""
    rows: Table = []
    for line in text.splitlines():
        if "\t" in line:
            rows.append([c.strip() for c in line.split("\t")])
        elif line.lstrip().startswith("|") and not _MD_RULE.match(line):
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
        else:
            rows.append([])
    return rows


def _pdftotext(path: Path) -> str:
    """The PDF's text layer laid out as on the page, by poppler's pdftotext: it keeps a
    table's columns at fixed character positions, which pypdf's layout mode does not."""
    tool = shutil.which("pdftotext")
    if tool is None:
        raise ImportError_(
            f"{path}: reading a PDF needs poppler's pdftotext (apt install poppler-utils); "
            "or save the table as .xlsx, .docx or tab-separated .txt"
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


_GAP = re.compile(r"(?:^|(?<=\s{2}))\S")


def _layout_table(text: str) -> Table:
    """Rows of a laid-out text layer. pdftotext lays out each page on its own, so each page
    is cut at the cell starts of its widest line (the header, where the table repeats it);
    lines above that line (the decree's prose, a title) are left out as empty rows."""
    rows: Table = []
    for page in text.split("\f"):
        lines = [line.rstrip() for line in page.splitlines()]
        chunks = [
            [(m.start(), _cell_at(line, m.start())) for m in _GAP.finditer(line)] for line in lines
        ]
        widest = max(range(len(lines)), key=lambda n: len(chunks[n]), default=0)
        if not lines or len(chunks[widest]) < 2:
            rows += [[] for _ in lines]
            continue
        cuts = [start for start, _ in chunks[widest]]
        for n, found in enumerate(chunks):
            if n < widest or not found:
                rows.append([])
                continue
            cells = [""] * len(cuts)
            for start, chunk in found:
                col = max((i for i, c in enumerate(cuts) if c <= start + 2), default=0)
                cells[col] = f"{cells[col]} {chunk}".strip()
            rows.append(cells)
    return rows


def _cell_at(line: str, start: int) -> str:
    end = line.find("  ", start)
    return line[start : end if end != -1 else len(line)]


def _xlsx(path: Path) -> list[Table]:
    from openpyxl import load_workbook  # only when a workbook is imported

    book = load_workbook(path, read_only=False, data_only=True)
    tables = []
    for sheet in book.worksheets:
        values = [
            [("" if c is None else str(c)).strip() for c in row]
            for row in sheet.iter_rows(values_only=True)
        ]
        for merged in sheet.merged_cells.ranges:
            top = (
                values[merged.min_row - 1][merged.min_col - 1]
                if merged.min_row <= len(values)
                else ""
            )
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    if r - 1 < len(values) and c - 1 < len(values[r - 1]):
                        values[r - 1][c - 1] = top
        tables.append(values)
    return tables


def _docx(path: Path) -> list[Table]:
    with zipfile.ZipFile(path) as z:
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
            rows.append(row)
        tables.append(rows)
    if not tables:
        raise ImportError_(f"{path}: the document holds no table")
    return tables
