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
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from zi_audit.errors import ZiAuditError

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
    ) as exc:
        raise ImportError_(
            f"{path}: cannot be read as a table ({type(exc).__name__}: {exc})"
        ) from None
    raise ImportError_(
        f"{path}: import reads .xlsx, .docx and .csv tables, Markdown .md and tab-separated .txt"
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
