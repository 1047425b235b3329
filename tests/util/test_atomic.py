"""A state file written again over its copy before last (util/atomic.py, `rewrite`): a
reader sees a whole file, old or new; nothing but the spare is ever written over."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

from zi_audit.util.atomic import read_whole, rewrite


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
