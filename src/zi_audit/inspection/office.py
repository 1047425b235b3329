"""DOCX/XLSX/PPTX judge: a sound zip holding the parts Office needs; date from core.xml."""

from __future__ import annotations

import datetime as dt
import errno
import html
import re
import zipfile
import zlib

from zi_audit.inspection.verdict import Verdict

REQUIRED = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
_CREATED = re.compile(rb"<dcterms:created[^>]*>\s*([^<]+?)\s*</dcterms:created>")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


def judge_office(path: str, ext: str) -> Verdict:
    v = Verdict()
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            bad = z.testzip()
            if bad is not None:
                return v.fail("corrupt", f"damaged part {bad}")
            missing = [p for p in ("[Content_Types].xml", REQUIRED[ext]) if p not in names]
            if missing:
                return v.fail("corrupt", f"missing {', '.join(missing)}")
            if "docProps/core.xml" in names:
                _created(z.read("docProps/core.xml"), v)
            v.words = _words(z, ext, names) or None
    except OSError as exc:
        if exc.errno != errno.EINVAL:
            raise  # the file system's error (gone, no permission): not the content's
        # A seek the zip's own offsets point outside the file: damaged, not unreadable.
        return v.fail("corrupt", "its zip directory points outside the file")
    except zipfile.BadZipFile as exc:
        with open(path, "rb") as fh:
            data = fh.read(1 << 20)
        if data.startswith(_OLE) and _ENCRYPTED in data:
            return v.fail("encrypted", "Office file protected with a password")
        code = (
            "truncated"
            if "End-of-central-directory" in str(exc) and data.startswith(b"PK")
            else "corrupt"
        )
        return v.fail(code, str(exc))
    except (zipfile.LargeZipFile, NotImplementedError, EOFError, ValueError, zlib.error) as exc:
        return v.fail("corrupt", str(exc))
    return v


# The parts holding a document's words, and the element each word run is in.
_TEXT_PARTS = {
    "docx": (re.compile(r"^word/document\.xml$"), rb"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", rb"</w:p>"),
    "xlsx": (
        re.compile(r"^xl/(?:sharedStrings|worksheets/sheet\d+)\.xml$"),
        rb"<t(?:\s[^>]*)?>([^<]*)</t>",
        rb"</si>|</c>",  # a shared string, or a cell's own (inline) one
    ),
    "pptx": (re.compile(r"^ppt/slides/slide\d+\.xml$"), rb"<a:t>([^<]*)</a:t>", rb"</a:p>"),
}
WORDS_MAX = 30_000  # characters of a document's words kept: its start and end matter
PART_MAX = 8 << 20  # inflated bytes of one part read for its words


def _words(z: zipfile.ZipFile, ext: str, names: set[str]) -> str:
    """The document's words in reading order, a line per paragraph (cell, slide line)."""
    part, run, end = _TEXT_PARTS[ext]
    out: list[str] = []
    for name in sorted(n for n in names if part.match(n)):
        with z.open(name) as fh:
            xml = fh.read(PART_MAX)
        pieces = re.finditer(run + b"|(" + end + b")", xml)
        text = "".join("\n" if m[2] else m[1].decode("utf-8", "replace") for m in pieces)
        out.append(html.unescape(text))
    words = "\n".join(out)
    return words if len(words) <= WORDS_MAX else words[: WORDS_MAX // 2] + words[-WORDS_MAX // 2 :]


def _created(core: bytes, v: Verdict) -> None:
    m = _CREATED.search(core)
    if not m:
        return
    raw = m[1].decode("ascii", "replace")
    try:
        when = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return
    if when.year < 1990:
        return  # templates carry 1980 or 1601 defaults
    v.created, v.precision, v.date_source, v.raw_date = when, "day", "office", raw
