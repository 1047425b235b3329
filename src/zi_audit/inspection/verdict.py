"""The outcome of judging one file, and the dispatch by file type."""

from __future__ import annotations

import datetime as dt
import hashlib
import warnings
from dataclasses import dataclass, field

# Problem codes make a file invalid; note codes flag it but it still counts.
PROBLEMS = (
    "empty",
    "corrupt",
    "encrypted",
    "truncated",
    "too_large",
    "timeout",
    "crashed",
    "no_pages",
    "too_small",
    "unreadable",
    "vanished",
)
# Said of this run only, never of the content: not cached, judged again next time.
TRANSIENT = frozenset({"timeout", "crashed", "unreadable", "vanished"})
NOTES = (
    "owner_password",
    "scanned",
    "signed",
    "repaired",
    "unsupported",
    "no_text",
    "reader_warning",
)


@dataclass
class Verdict:
    valid: bool = True
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    detail: str = ""  # the library's own words for the first problem, for `explain`
    created: dt.datetime | None = None
    precision: str = "day"  # year | month | day: how much of `created` the file stated
    date_source: str | None = None  # pdf-xmp | pdf-info | exif | exif-ifd0 | office
    raw_date: str | None = None
    pages: int | None = None
    sha256: str | None = None

    def fail(self, code: str, detail: str = "") -> Verdict:
        self.valid = False
        if code not in self.problems:
            self.problems.append(code)
        self.detail = self.detail or detail[:300]
        return self

    def note(self, code: str) -> None:
        if code not in self.notes:
            self.notes.append(code)


PDF = {"pdf"}
IMAGES = {"jpg", "jpeg", "png", "gif", "bmp", "tif", "tiff", "webp", "heic", "heif"}
OFFICE = {"docx", "xlsx", "pptx"}


def needs_content(ext: str) -> bool:
    """Types whose content we parse; any other accepted type is judged by being non-empty
    (all are still read once, in a worker, for their hash)."""
    return ext in PDF or ext in IMAGES or ext in OFFICE


def judge(path: str, ext: str, size: int) -> Verdict:
    """Judge one file. Must not raise for any content: every failure is a verdict."""
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
    return verdict


def _sha256(path: str) -> str:
    """The content's hash, for history: a file that changed, or moved, is known by it."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _judge_content(path: str, ext: str) -> Verdict:
    try:
        if ext in PDF:
            from zi_audit.inspection.pdf import judge_pdf

            return judge_pdf(path)
        if ext in IMAGES:
            from zi_audit.inspection.image import judge_image

            return judge_image(path, ext)
        if ext in OFFICE:
            from zi_audit.inspection.office import judge_office

            return judge_office(path, ext)
    except MemoryError:
        return Verdict().fail("too_large", "out of memory while reading")
    except RecursionError:
        return Verdict().fail("corrupt", "structure nests without end")
    except OSError as exc:
        return _cannot_read(exc)
    return Verdict()


def _cannot_read(exc: OSError) -> Verdict:
    """An error from the file system says nothing about the content: a file deleted or
    renamed away mid-scan, a permission, a share that blinked. Not a verdict to keep."""
    if isinstance(exc, FileNotFoundError):
        return Verdict().fail("vanished", "gone while it was read")
    return Verdict().fail("unreadable", exc.strerror or str(exc))
