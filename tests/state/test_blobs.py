"""Files of a memo's big texts (state/blobs.py): read back whole or not at all, written
over the file they replace where no reader holds it, and swept once no row names them
and they are an hour old."""

from __future__ import annotations

import fcntl
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


def test_a_blob_is_written_over_the_file_it_replaces(tmp_path: Path) -> None:
    """`over`: the new text goes into the old file's pages (12 MB a changed night took
    24 ms as new files), under the new name; the old name is gone, a shorter text is not
    followed by the old one's end."""
    blobs = Blobs(tmp_path)
    old, new = blob_name("/share", "1.1.1", "k1"), blob_name("/share", "1.1.1", "k2")
    blobs.write(old, ["a longer text than the next", "rows"])
    inode = (tmp_path / old).stat().st_ino
    sizes = blobs.write(new, ["short", "r"], over=old)
    assert (tmp_path / new).stat().st_ino == inode
    assert blobs.read(new, sizes) == ["short", "r"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [new]
    gone = blob_name("/share", "1.1.1", "k3")  # nothing to write over: a new file
    assert blobs.write(gone, ["x"], over=old) == (1,)
    assert blobs.read(gone, (1,)) == ["x"]


def test_a_file_a_reader_holds_is_not_written_over(tmp_path: Path) -> None:
    """A reader (another run: `read` holds its file under a shared lock) reads the old
    text whole; the new one goes to a file of its own, and the old name is gone."""
    blobs = Blobs(tmp_path)
    old, new = blob_name("/share", "1.1.1", "k1"), blob_name("/share", "1.1.1", "k2")
    blobs.write(old, ["old text"])
    inode = (tmp_path / old).stat().st_ino
    with open(tmp_path / old, "rb") as reader:
        fcntl.flock(reader.fileno(), fcntl.LOCK_SH)
        assert blobs.write(new, ["new text"], over=old) == (8,)
        assert reader.read() == b"old text"
    assert (tmp_path / new).stat().st_ino != inode
    assert blobs.read(new, (8,)) == ["new text"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [new]
