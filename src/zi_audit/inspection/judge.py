"""Judging one file: the registry of judges by file kind, and what every judge shares.

Runs inside worker processes (workers.py), so that a file that hangs or exhausts memory in
pypdf or Pillow costs one worker, never the scan. Must not raise for any content: every
failure is a verdict, with a stable code (docs/problems.md).
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Callable, Mapping

from zi_audit.inspection import ocr as ocr_tools
from zi_audit.inspection.image import judge_image
from zi_audit.inspection.office import judge_office
from zi_audit.inspection.pdf import judge_pdf
from zi_audit.inspection.verdict import Verdict

Judge = Callable[[str, str], Verdict]


def _office(path: str, ext: str) -> Verdict:
    return judge_office(path, ext)


# A file kind to its judge, the one place a new kind is added. Any other accepted type is
# judged by being non-empty (and is still read once, in a worker, for its hash).
JUDGES: Mapping[str, Judge] = {
    "pdf": lambda path, ext: judge_pdf(path),
    **dict.fromkeys(
        ("jpg", "jpeg", "png", "gif", "bmp", "tif", "tiff", "webp", "heic", "heif"), judge_image
    ),
    **dict.fromkeys(("docx", "xlsx", "pptx"), _office),
}


def judge(path: str, ext: str, size: int, ocr: bool = False) -> Verdict:
    """Judge one file. Must not raise for any content: every failure is a verdict.
    `ocr`: read a scan's words too (its own, longer, time budget: workers.py)."""
    if size == 0:
        return Verdict().fail("empty")
    try:
        digest = _sha256(path)
    except OSError as exc:
        return _cannot_read(exc)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        verdict = _judge_content(path, ext)
    if caught:  # a reader's warning (a damaged EXIF block…) belongs in the notes, never on stderr
        verdict.note("reader_warning")
        verdict.detail = verdict.detail or str(caught[0].message)[:300]
    verdict.sha256 = digest
    if ocr and "ocr_pending" in verdict.notes and ocr_tools.available():
        _read_scan(path, ext, verdict)
    return verdict


def _read_scan(path: str, ext: str, verdict: Verdict) -> None:
    """OCR a scan the judge found without words. Stopped or failed, it stays pending (a
    later run tries again); read, even to nothing, it is done."""
    try:
        words = (
            ocr_tools.read_pdf(path, verdict.pages or 1)
            if ext == "pdf"
            else ocr_tools.read_image(path)
        )
    except Exception:  # any failure of the reading (a bomb, a tool's error): the scan waits;
        return  # the worker's catch-all would otherwise call the file corrupt
    verdict.notes.remove("ocr_pending")
    verdict.note("ocr")
    verdict.words = words if words.strip() else None


def _sha256(path: str) -> str:
    """The content's hash, for history: a file that changed, or moved, is known by it."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _judge_content(path: str, ext: str) -> Verdict:
    judge_kind = JUDGES.get(ext)
    if judge_kind is None:
        return Verdict()
    try:
        return judge_kind(path, ext)
    except MemoryError:
        return Verdict().fail("too_large", "out of memory while reading")
    except RecursionError:
        return Verdict().fail("corrupt", "structure nests without end")
    except OSError as exc:
        return _cannot_read(exc)


def _cannot_read(exc: OSError) -> Verdict:
    """An error from the file system says nothing about the content: a file deleted or
    renamed away mid-scan, a permission, a share that blinked. Not a verdict to keep."""
    if isinstance(exc, FileNotFoundError):
        return Verdict().fail("vanished", "gone while it was read")
    return Verdict().fail("unreadable", exc.strerror or str(exc))
