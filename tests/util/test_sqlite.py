"""The state directory's stores as util/sqlite.py opens them: made once, then opened
without a write (each write a commit that waits for the disk, every run, every store)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from zi_audit.util.sqlite import open_versioned

TABLES = ["CREATE TABLE IF NOT EXISTS rows (k TEXT PRIMARY KEY, v TEXT)"]


def test_a_store_at_its_schema_is_opened_without_a_write(tmp_path: Path) -> None:
    path = tmp_path / "memo.sqlite3"
    db, replaced = open_versioned(path, "memo-1", TABLES, 1.0)
    assert replaced is None and db.total_changes > 0  # made: its schema written
    db.execute("INSERT INTO rows VALUES ('a', 'b')")
    db.commit()
    db.close()
    for wal in (False, True):
        again, replaced = open_versioned(path, "memo-1", TABLES, 1.0, wal=wal)
        assert replaced is None
        assert again.total_changes == 0  # nothing written, nothing to wait for
        assert again.execute("SELECT v FROM rows").fetchall() == [("b",)]
        again.close()


def test_a_store_of_another_schema_is_emptied_and_marked(tmp_path: Path) -> None:
    path = tmp_path / "memo.sqlite3"
    db, _ = open_versioned(path, "memo-1", TABLES, 1.0)
    db.execute("INSERT INTO rows VALUES ('a', 'b')")
    db.commit()
    db.close()
    db, replaced = open_versioned(path, "memo-2", TABLES, 1.0)
    assert replaced == "memo-1"
    assert db.execute("SELECT count(*) FROM rows").fetchone() == (0,)
    db.close()
    with sqlite3.connect(path) as check:
        assert check.execute("SELECT value FROM meta").fetchall() == [("memo-2",)]
    check.close()
