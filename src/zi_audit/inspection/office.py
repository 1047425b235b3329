"""DOCX/XLSX/PPTX judge: a sound zip holding the parts Office needs; date from core.xml."""

from __future__ import annotations

import datetime as dt
import errno
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
