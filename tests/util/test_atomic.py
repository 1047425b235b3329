"""A state file written again over its copy before last (util/atomic.py, `rewrite`), or
over the file it replaces under another name (`take_over`): a reader sees a whole file,
old or new; nothing a reader holds is ever written over."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from zi_audit.util.atomic import open_held, read_whole, rewrite, take_over


def _spare(path: Path) -> Path:
    return path.with_name(f".{path.name}.spare")


def test_the_copy_replaced_becomes_the_spare_and_is_written_over(tmp_path: Path) -> None:
    path = tmp_path / "unmatched.txt"
    rewrite(path, ["a\n", b"b\n"])
    assert path.read_text() == "a\nb\n"
    assert not _spare(path).exists()
    first = path.stat().st_ino
    rewrite(path, ["second, longer\n"])
    assert path.read_text() == "second, longer\n"
    assert _spare(path).read_text() == "a\nb\n"
    assert _spare(path).stat().st_ino == first
    rewrite(path, ["3\n"])  # written over the first copy, cut to its own length
    assert path.read_text() == "3\n"
    assert path.stat().st_ino == first
    assert _spare(path).read_text() == "second, longer\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == [".unmatched.txt.spare", "unmatched.txt"]


def test_a_reader_keeps_the_copy_it_opened(tmp_path: Path) -> None:
    path = tmp_path / "last-report.json"
    rewrite(path, ["old"])
    with open(path) as reader:
        rewrite(path, ["new"])
        assert reader.read() == "old"
    assert path.read_text() == "new"


def test_a_copy_read_with_read_whole_is_never_written_over(tmp_path: Path) -> None:
    """The copy a reader of ours holds (its shared lock) is not the spare written next."""
    import fcntl

    path = tmp_path / "last-report.json"
    rewrite(path, ["one"])
    with open(path, "rb") as reader:
        fcntl.flock(reader.fileno(), fcntl.LOCK_SH)  # as read_whole holds it
        rewrite(path, ["two"])  # the copy read becomes the spare...
        rewrite(path, ["three"])  # ...and is left to the reader: a new one is made
        assert reader.read() == b"one"
    assert read_whole(path) == b"three"
    rewrite(path, ["four"])
    assert path.read_text() == "four"


def test_a_spare_that_is_not_a_plain_file_of_its_own_is_never_written_through(
    tmp_path: Path,
) -> None:
    path = tmp_path / "unmatched.txt"
    rewrite(path, ["one"])
    other = tmp_path / "elsewhere.txt"
    other.write_text("not ours")
    _spare(path).symlink_to(other)  # a link planted as the spare
    rewrite(path, ["two"])
    assert other.read_text() == "not ours" and path.read_text() == "two"

    os.unlink(_spare(path))
    os.link(other, _spare(path))  # a second name of another file
    rewrite(path, ["three"])
    assert other.read_text() == "not ours" and path.read_text() == "three"

    os.unlink(_spare(path))
    _spare(path).mkdir()  # no spare can be had: written the usual way
    rewrite(path, ["four"])
    assert path.read_text() == "four"


def test_a_run_stopped_between_the_renames_leaves_nothing_in_the_way(tmp_path: Path) -> None:
    path = tmp_path / "unmatched.txt"
    rewrite(path, ["one"])
    os.link(path, tmp_path / ".unmatched.txt.old")  # as a killed run left it
    rewrite(path, ["two"])
    rewrite(path, ["three"])
    assert path.read_text() == "three"
    assert not (tmp_path / ".unmatched.txt.old").exists()


def test_runs_writing_at_once_take_turns_and_readers_see_whole_files(tmp_path: Path) -> None:
    """A what-if scan beside the nightly run: both rewrite the same files."""
    path = tmp_path / "unmatched.txt"
    versions = {f"{n}\n" * (2000 + 37 * n) for n in range(6)}
    rewrite(path, ["0\n" * 2000])
    torn: list[str] = []
    done = threading.Event()

    def write(n: int) -> None:
        for _ in range(30):
            rewrite(path, [f"{n}\n" * (2000 + 37 * n)])

    def read() -> None:
        while not done.is_set():
            text = read_whole(path).decode()
            if text not in versions:
                torn.append(text[:20])

    writers = [threading.Thread(target=write, args=(n,)) for n in range(1, 6)]
    reader = threading.Thread(target=read)
    reader.start()
    for w in writers:
        w.start()
    for w in writers:
        w.join()
    done.set()
    reader.join()
    assert not torn
    assert path.read_text() in versions


def test_a_file_replaced_under_another_name_is_taken_to_be_written_over(tmp_path: Path) -> None:
    """`take_over`: the file out of its name (no reader opens it from then on), open to be
    written over, locked; None, and nothing left under the temporary name, for a file
    that is gone, has a second name, is a folder, or that a reader holds (`open_held`),
    which still reads it whole."""
    old, tmp = tmp_path / "old.json", tmp_path / ".old.json.tmp"
    old.write_bytes(b"old text")
    inode = old.stat().st_ino
    fd = take_over(old, tmp)
    assert fd is not None
    try:
        os.write(fd, b"new")
        os.ftruncate(fd, 3)
    finally:
        os.close(fd)
    assert not old.exists() and tmp.read_bytes() == b"new" and tmp.stat().st_ino == inode

    assert take_over(tmp_path / "gone.json", tmp) is None  # nothing to take: nothing touched
    assert tmp.read_bytes() == b"new"
    tmp.unlink()
    held = tmp_path / "held.json"
    held.write_bytes(b"held text")
    with open_held(held) as reader:
        assert take_over(held, tmp) is None
        assert reader.read() == b"held text"
    assert not tmp.exists() and not held.exists()  # out of its name all the same
    linked = tmp_path / "linked.json"
    linked.write_bytes(b"x")
    os.link(linked, tmp_path / "second name.json")
    assert take_over(linked, tmp) is None and (tmp_path / "second name.json").read_bytes() == b"x"
    (tmp_path / "folder.json").mkdir()
    assert take_over(tmp_path / "folder.json", tmp) is None


def test_a_pipe_in_the_place_of_a_file_to_take_is_refused_not_waited_on(tmp_path: Path) -> None:
    """A FIFO named as the file to write over: opening it to write would wait for a reader
    that never comes. Run in a process of its own, so that a hang fails instead of stalling."""
    os.mkfifo(tmp_path / "old.json")
    code = (
        "import sys; from pathlib import Path; from zi_audit.util.atomic import take_over\n"
        f"print(take_over(Path({str(tmp_path / 'old.json')!r}), Path({str(tmp_path / 't')!r})))"
    )
    try:
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=20
        )
    except subprocess.TimeoutExpired:
        pytest.fail("take_over waited on a pipe")
    assert out.stdout.strip() == "None", out.stderr
    assert not (tmp_path / "t").exists()
