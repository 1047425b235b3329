"""The state directory's SQLite stores, opened one way: versioned, busy told from damaged.

The verdict cache and the folder memo are made again from the share when lost, so a store
of another schema is emptied, and a damaged one is set aside (never deleted: a person may
want to look) and made anew. A store another run holds is busy, not damaged: the run
works without it. The history is the team's record and is never emptied or set aside
(state/history.py says so in its errors).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path


def is_busy(exc: BaseException) -> bool:
    """Another run holds the store: wait or do without, never set it aside."""
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def connect(path: Path, busy_wait: float) -> sqlite3.Connection:
    """A store of the state directory, owner-only like every other file there (its JSON
    files are 0600; a store made under umask 022 was 0644, readable by every local user)."""
    fresh = not path.exists()
    db = sqlite3.connect(path, timeout=busy_wait)
    if fresh:
        with contextlib.suppress(OSError):
            os.chmod(path, 0o600)
    return db


def open_versioned(
    path: Path,
    schema: str,
    tables: Sequence[str],
    busy_wait: float,
    *,
    wal: bool = False,
) -> tuple[sqlite3.Connection, str | None]:
    """The store at `path` with `tables` (name -> its CREATE's column list), emptied when
    another schema made it. Returns the connection and the schema it replaced, if any."""
    db = connect(path, busy_wait)
    try:
        if wal:
            db.execute("PRAGMA journal_mode=WAL")
            # A commit goes to the log without waiting for the disk: a power cut may lose
            # the last commits of a cache, never leave it damaged (SQLite's WAL mode).
            db.execute("PRAGMA synchronous=NORMAL")
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        row = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        replaced = row[0] if row is not None and row[0] != schema else None
        for create in tables:
            name = create.split("(", 1)[0].split()[-1]
            if replaced is not None:
                db.execute(f"DROP TABLE IF EXISTS {name}")
            db.execute(create)
            db.execute(f"SELECT count(*) FROM {name}").fetchone()  # corrupt pages fail here
        # Written only when it is not already so: every run opens every store, and each
        # write was a commit waiting for the disk (four syncs each on a rollback journal).
        if row is None or replaced is not None:
            db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (schema,))
        db.commit()
    except BaseException:
        db.close()
        raise
    return db, replaced


def set_aside(path: Path) -> None:
    """Move a damaged store (and its WAL files) aside, keeping one such copy at most: on a
    full disk, copies must not pile up."""
    for old in path.parent.glob(f"{path.name}*.corrupt-*"):
        with contextlib.suppress(OSError):
            old.unlink()
    for suffix in ("", "-wal", "-shm"):
        part = Path(f"{path}{suffix}")
        if part.exists():
            with contextlib.suppress(OSError):
                os.replace(part, f"{part}.corrupt-{int(time.time())}")
