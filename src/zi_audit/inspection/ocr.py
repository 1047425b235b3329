"""Reading the words of a scan: poppler's `pdftoppm` renders a page, Tesseract reads it.

Why the command-line tools and not a Python binding: pytesseract only runs this same
`tesseract` program, and ocrmypdf rewrites whole PDFs; calling both programs ourselves
adds no dependency and gives every page its own hard time limit, so a page that takes
too long is stopped, not waited on. Both are Debian packages (`tesseract-ocr
tesseract-ocr-ind poppler-utils`), optional: without them a scan is counted by its name
and the report says it was not read and how to install them.

Pages are capped: the first (title, subject) and the last (a decree's date, the
signature); a 300-page scan is not read whole at night.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

LANGS = "ind+eng"
DPI = 200  # enough for 10-point type on a scanned A4; more only costs time
PAGE_SECONDS = 60.0  # one page's rendering and reading, at most
MAX_PIXELS = 12_000_000  # a photo larger than this is read at a scale that fits it


@functools.cache
def available() -> bool:
    """Tesseract with Indonesian, and pdftoppm, are installed."""
    tesseract = shutil.which("tesseract")
    if tesseract is None or shutil.which("pdftoppm") is None:
        return False
    try:
        done = subprocess.run(
            [tesseract, "--list-langs"], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return "ind" in done.stdout.split()


def read_pdf(path: str, pages: int) -> str:
    """The words of a scanned PDF's first and last pages."""
    wanted = sorted({1, pages}) if pages else [1]
    out = []
    with tempfile.TemporaryDirectory(prefix="zi-ocr-") as tmp:
        for number in wanted:
            stem = os.path.join(tmp, f"p{number}")
            subprocess.run(
                [
                    "pdftoppm",
                    "-r",
                    str(DPI),
                    "-gray",
                    "-png",
                    "-singlefile",
                    "-f",
                    str(number),
                    "-l",
                    str(number),
                    path,
                    stem,
                ],
                capture_output=True,
                timeout=PAGE_SECONDS,
                check=True,
            )
            out.append(_tesseract(stem + ".png"))
    return "\n".join(out)


def read_image(path: str) -> str:
    """The words of a photo or scan of a page."""
    from PIL import Image  # a worker has it loaded already

    with tempfile.TemporaryDirectory(prefix="zi-ocr-") as tmp, Image.open(path) as im:
        pixels = im.width * im.height
        if pixels <= MAX_PIXELS and im.format in ("JPEG", "PNG", "TIFF", "BMP"):
            return _tesseract(path)
        scale = min(1.0, (MAX_PIXELS / pixels) ** 0.5)
        small = im.convert("L").resize((int(im.width * scale), int(im.height * scale)))
        target = Path(tmp) / "page.png"
        small.save(target)
        return _tesseract(str(target))


def _tesseract(image: str) -> str:
    # One thread each: the scan already runs a reader per core, and Tesseract's own
    # OpenMP threads on top of that only contend for the same cores.
    done = subprocess.run(
        ["tesseract", image, "stdout", "-l", LANGS],
        capture_output=True,
        timeout=PAGE_SECONDS,
        check=True,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    )
    return done.stdout.decode("utf-8", "replace")
