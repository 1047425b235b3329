"""Helpers the tests share: real trees, real PDFs (pypdf) and JPEGs (Pillow), the CLI.

Plain functions, imported by the tests that use them; the fixtures are in conftest.py.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from zi_audit.cli.main import cli

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_TREE = REPO / "examples" / "evidence_tree"
# The decree whose Rencana Aksi the bundled rules encode (KPU Kabupaten Banyuwangi
# No. 117/2025, as OCR'd text), kept in the repository so no test depends on a sibling folder.
SEED = REPO / "tests" / "data" / "keputusan-117-2025-banyuwangi.txt"


def file_statuses(doc: dict[str, Any], name: str) -> set[str]:
    """The statuses a JSON report gives the files whose path ends with `name`."""
    return {
        f["status"]
        for ind in doc["indicators"]
        for item in ind["evidence"]
        for f in item["files"]
        if f["path"].endswith(name)
    }


def pdf_bytes(created: str | None = "D:20250915090000+07'00'") -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if created:
        writer.add_metadata({"/CreationDate": created})
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def drawn_pdf(path: Path, pages: list[list[str]], size: tuple[int, int] = (842, 595)) -> None:
    """A PDF whose pages carry the given content-stream operators, with Helvetica as /F1:
    text placed as a word processor places it, lines drawn as it draws a table's borders."""
    writer = PdfWriter()
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
    )
    for ops in pages:
        page = writer.add_blank_page(*size)
        stream = DecodedStreamObject()
        stream.set_data("\n".join(ops).encode("latin-1"))
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
        page[NameObject("/Contents")] = writer._add_object(stream)
    with path.open("wb") as fh:
        writer.write(fh)


def jpeg_bytes(taken: str | None = "2025:09:12 10:15:32") -> bytes:
    image = Image.new("RGB", (640, 480), (10, 120, 200))
    exif = Image.Exif()
    if taken:
        exif.get_ifd(0x8769)[0x9003] = taken
    buf = io.BytesIO()
    image.save(buf, "JPEG", exif=exif)
    return buf.getvalue()


Files = dict[str, bytes | str]


def write_tree(root: Path, files: Files) -> Path:
    """Write `files` (root-relative path -> content; "" or "pdf"/"jpg" for real documents)."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if content == "pdf":
            content = pdf_bytes()
        elif content == "jpg":
            content = jpeg_bytes()
        elif isinstance(content, str):
            content = content.encode()
        path.write_bytes(content)
    return root


def run_cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def scan_json(root: Path, as_of: str = "2025-11-15", *extra: str) -> Any:
    code, out, err = run_cli("scan", str(root), "--as-of", as_of, "--format", "json", *extra)
    assert code == 0, err
    return json.loads(out)


def nightly(
    root: Path, state: Path, *extra: str, as_of: str = "2025-11-15"
) -> tuple[int, str, str]:
    """A scan as the nightly run makes it: recorded in the history of `state`, JSON out."""
    return run_cli(
        "scan",
        str(root),
        "--as-of",
        as_of,
        "--history",
        "--state",
        str(state),
        "--format",
        "json",
        *extra,
    )


def statuses(report: dict) -> dict[str, str]:
    return {i["id"]: i["status"] for i in report["indicators"]}


def item(report: dict, key: str) -> dict:
    ident = key.split("/")[0]
    ind = next(i for i in report["indicators"] if i["id"] == ident)
    return next(e for e in ind["evidence"] if e["key"] == key)


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def mail_scan(tree: Path, config: Path, *extra: str) -> tuple[int, str, str]:
    """Scan `tree` as of the example's date and email the report, as `config` says."""
    return run_cli(
        "scan", str(tree), "--config", str(config), "--as-of", "2025-11-15", "--email", *extra
    )
