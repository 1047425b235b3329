"""Files of a memo's big texts (state/blobs.py): read back whole or not at all, and swept
once no row names them and they are an hour old."""

from __future__ import annotations

import os
import time
from pathlib import Path

from zi_audit.state.blobs import SWEEP_AGE, Blobs, blob_name


def test_texts_read_back_as_written_or_not_at_all(tmp_path: Path) -> None:
    blobs = Blobs(tmp_path / "fragments")
    name = blob_name("/share", "1.1.1", "key")
    sizes = blobs.write(name, ['{"name": "Notulen ☺"}', "[]"])
    assert sizes == (len('{"name": "Notulen ☺"}'.encode()), 2)
    assert blobs.read(name, sizes) == ['{"name": "Notulen ☺"}', "[]"]
    assert blobs.read(name, (sizes[0], 3)) is None  # another size than the row says
    assert blobs.read(name, (sizes[0] - 3, sizes[1] + 3)) is None  # cut inside a character
    assert blobs.read(blob_name("/share", "1.1.1", "other"), sizes) is None  # gone
    assert (tmp_path / "fragments").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "fragments" / name).stat().st_mode & 0o777 == 0o600


def test_a_name_says_what_it_holds() -> None:
    assert blob_name("/a", "1.1.1", "k") != blob_name("/a", "1.1.1", "l")
    assert blob_name("/a", "1.1.1", "k") == blob_name("/a", "1.1.1", "k")


def test_only_old_files_no_row_names_are_swept(tmp_path: Path) -> None:
    blobs = Blobs(tmp_path)
    for name in ("kept.json", "young.json", "old.json", ".old.json.x.tmp", "other.txt"):
        (tmp_path / name).write_text("x")
    past = time.time() - SWEEP_AGE - 60
    for name in ("kept.json", "old.json", ".old.json.x.tmp", "other.txt"):
        os.utime(tmp_path / name, (past, past))
    blobs.sweep({"kept.json"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.json", "other.txt", "young.json"]


def test_the_first_texts_read_alone_and_the_whole_file_checked(tmp_path: Path) -> None:
    """`count`: the texts after it are neither read nor decoded (a kept fragment's file
    rows, for a run that records no history), but a file of another size is still a miss."""
    blobs = Blobs(tmp_path)
    name = blob_name("/share", "1.1.1", "key")
    sizes = blobs.write(name, ["text", "rows"])
    (tmp_path / name).write_bytes(b"text\xff\xff\xff\xff")  # the rows not UTF-8, same size
    assert blobs.read(name, sizes, 1) == ["text"]
    assert blobs.read(name, sizes) is None
    (tmp_path / name).write_bytes(b"textrow")
    assert blobs.read(name, sizes, 1) is None  # cut short
