"""PDF judge (pypdf): opens, not locked, has pages, complete; its date, text layer, signature."""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import logging
import warnings
import zlib
from collections.abc import Mapping
from typing import Any

from pypdf import PdfReader
from pypdf.errors import (
    DependencyError,
    EmptyFileError,
    FileNotDecryptedError,
    LimitReachedError,
    PyPdfError,
)

from zi_audit.inspection.pdfdate import parse_pdf_date
from zi_audit.inspection.verdict import Verdict

# pypdf's "repaired" messages arrive as warnings and log records; they mean the file
# was broken but readable, which evaluators may still reject, so we note them.
_CORRUPT = (
    PyPdfError,
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
    AssertionError,
    zlib.error,
)
TEXT_HEAD, TEXT_TAIL = 2, 3  # pages read for words: a decree's date stands before its annex
PAGE_CHARS = 10_000  # of one page's text: a title, a decree's lines, not a table dump


_TABLES = "encoding_dict_from_named_encoding"


def _share_encoding_tables() -> None:
    """pypdf builds the 256-entry cp1252 table anew, a byte at a time, for every page whose
    text it reads (and for each of its fonts): a third of judging a one-page letter. The
    table is the same every time, so it is built once per worker and each caller gets its
    own copy (callers may change theirs). Where a pypdf release names things otherwise, it
    is left as it is: slower, never different."""
    try:
        codecs = importlib.import_module("pypdf._codecs")
        build = getattr(codecs, _TABLES)
    except (ImportError, AttributeError):
        return
    built = functools.lru_cache(maxsize=8)(build)

    def shared(encoding: str) -> dict[int, str]:
        return dict(built(encoding))

    for name in ("pypdf._text_extraction._text_extractor", "pypdf.generic._font"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if vars(module).get(_TABLES) is build:
            vars(module)[_TABLES] = shared


_share_encoding_tables()


def _text_pages(count: int) -> list[int]:
    return sorted({*range(min(TEXT_HEAD, count)), *range(max(0, count - TEXT_TAIL), count)})


class _Repairs(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _head_and_tail(path: str) -> tuple[bytes, bytes]:
    with open(path, "rb") as fh:
        head = fh.read(1024)
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(max(0, size - 1024))
        return head, fh.read()


def judge_pdf(path: str) -> Verdict:
    v = Verdict()
    head, tail = _head_and_tail(path)
    if b"%PDF-" not in head:
        kind = "an HTML page" if b"<html" in head.lower() else "not a PDF"
        return v.fail("corrupt", f"{kind} saved with a .pdf name")
    if b"%%EOF" not in tail:
        # An upload or download that stopped part-way: pypdf would quietly rebuild what it can.
        v.fail("truncated", "the file ends before the PDF's end marker")
    repairs = _Repairs()
    log = logging.getLogger("pypdf")
    log.addHandler(repairs)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            _read(path, v)
    except FileNotDecryptedError:
        v.fail("encrypted", "needs a password to open")
    except EmptyFileError:
        v.fail("empty")
    except LimitReachedError as exc:
        v.fail("too_large", str(exc))
    except DependencyError as exc:
        v.note("unsupported")
        v.detail = str(exc)
    except _CORRUPT as exc:
        v.fail("corrupt", f"{type(exc).__name__}: {exc}")
    finally:
        log.removeHandler(repairs)
    if repairs.count or caught:
        v.note("repaired")
    return v


def _read(path: str, v: Verdict) -> None:
    reader = PdfReader(path, strict=False)
    if reader.is_encrypted:
        if reader.decrypt("") == 0:  # PasswordType.NOT_DECRYPTED
            v.fail("encrypted", "needs a password to open")
            return
        v.note("owner_password")  # opens for anyone; only printing/copying is restricted
    v.pages = len(reader.pages)
    if v.pages == 0:
        v.fail("no_pages", "the document has no pages")
        return
    _date(reader, v)
    # The first pages (title, subject, number) and the last ones (a decree's date and
    # signature, before its annex): what an evaluator reads; a 300-page annex is not.
    count = len(reader.pages)
    texts = [reader.pages[n].extract_text() or "" for n in _text_pages(count)]
    v.words = "\n".join(t[:PAGE_CHARS] for t in texts)
    if not v.words.strip():
        v.words = None
        v.note("scanned")
        v.note("ocr_pending")  # its words wait for OCR (facts.py schedules it)
    fields = reader.get_fields() or {}
    if any(f.get("/FT") == "/Sig" for f in fields.values()):
        v.note("signed")


def _date(reader: PdfReader, v: Verdict) -> None:
    try:
        xmp = reader.xmp_metadata
        created = xmp.xmp_create_date if xmp is not None else None
    except _CORRUPT:
        created = None
    if isinstance(created, dt.datetime):
        v.created, v.precision, v.date_source = created, "day", "pdf-xmp"
        v.raw_date = created.isoformat()
        return
    info: Mapping[str, Any] = reader.metadata or {}
    for key in ("/CreationDate", "/ModDate"):
        raw = info.get(key)
        parsed = parse_pdf_date(str(raw)) if raw is not None else None
        if parsed:
            v.created, v.precision = parsed
            v.date_source, v.raw_date = "pdf-info", str(raw)
            return
