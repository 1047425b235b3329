"""Progress goes to a terminal only, and only on long scans."""

from __future__ import annotations

import io
import os
import pty
import time

from zi_audit.cli.progress import Progress


def _read_all(leader: int) -> str:
    """Everything written to the terminal: one read may return only the first write (seen
    once in a full run on a loaded machine); with the other end closed, reading ends in EIO."""
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode()


def test_progress_shows_on_a_terminal_after_the_delay() -> None:
    leader, follower = pty.openpty()
    with os.fdopen(follower, "w") as tty:
        progress = Progress("id", stream=tty, delay=0.0)
        assert progress.enabled
        time.sleep(0.01)
        progress.update(3, 1200)
        progress.done()
    out = _read_all(leader)
    os.close(leader)
    assert "Memindai: 3 folder, 1200 berkas" in out
    assert out.endswith("\r\x1b[K")


def test_progress_is_silent_when_not_a_terminal() -> None:
    stream = io.StringIO()  # cron: stderr is a file or a pipe
    progress = Progress("id", stream=stream, delay=0.0)
    progress.update(3, 1200)
    progress.done()
    assert stream.getvalue() == ""


def test_progress_waits_before_showing() -> None:
    leader, follower = pty.openpty()
    with os.fdopen(follower, "w") as tty:
        progress = Progress("en", stream=tty, delay=60.0)
        progress.update(1, 1)
        progress.done()
        tty.write("end")
    out = _read_all(leader)
    os.close(leader)
    assert out == "end"
