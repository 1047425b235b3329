"""What each folder of the share held at the last scan, so that the next one need not
list it again or match its names again.

A folder's entries can only change together with its modification time (an entry added,
removed or renamed moves it), so a folder whose identity (inode) and times are those
recorded is taken from here (the change time too: a folder made unreadable by `chmod`
keeps its modification time): one `stat` instead of listing and matching every name. Its
subfolders are checked the same way, each on its own. Contents changed in place do not
move a folder's time; they need not: matched files are stat-ed every scan anyway, and a
name's match depends only on its path and the rules.

The memo is not trusted where that reasoning fails:
- a folder whose time lies within RACY_NS (walk/record.py) of its listing: on a file system
  with coarse times (FAT's 2 s), a change in the same tick leaves the time as it was;
- a folder that held symbolic links (a link's target can change without its folder);
- another rule file, ignore file or zi-audit version (the fingerprint), or another root;
- a file system whose folder times are not kept faithfully (FUSE mounts, walk/mounts.py):
  every folder there is listed, and only the per-name matches are reused.

Kept in SQLite, one row per folder, so that a night with 100 changed files rewrites the
rows of a few folders, not the memo of 100,000 names. A row keeps the names that match
nothing as one block, and the matched ones with their hits: a folder taken from the memo
hands its unmatched names on as that block (walk/record.py, `Names`), split only where
they are read one by one. Lost, locked or damaged, it is only a memo: the scan then lists
everything, and says nothing.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from pathlib import Path

from zi_audit.util.sqlite import connect, is_busy, open_versioned
from zi_audit.walk.record import SEP, FolderRecord, Names, joined

BUSY_WAIT = 1.0  # seconds to wait for a memo another run is writing, then do without
# 3: where the layout places each folder; 4: the unmatched names apart from the matched
SCHEMA = "listing-4"


def _enc(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def _dec(blob: bytes) -> str:
    return bytes(blob).decode("utf-8", "surrogateescape")


def _names(blob: bytes) -> list[str]:
    text = _dec(blob)
    return text.split(SEP) if text else []


class Listing:
    """The memo of one root under one fingerprint; `records` is what the last scan left."""

    def __init__(self, path: Path | None, root: str, fingerprint: str) -> None:
        self.path, self.root, self.fingerprint = path, root, fingerprint
        self.records: dict[str, FolderRecord] = {}
        self._root_id: int | None = None
        if path is not None:
            with contextlib.suppress(sqlite3.Error, OSError, ValueError, TypeError):
                self.records = self._load(path)

    def _connect(self, path: Path) -> sqlite3.Connection:
        db, _ = open_versioned(
            path,
            SCHEMA,
            [
                "CREATE TABLE IF NOT EXISTS roots"
                " (id INTEGER PRIMARY KEY, path BLOB UNIQUE, fingerprint TEXT)",
                "CREATE TABLE IF NOT EXISTS folders (root INTEGER, rel BLOB, ino INTEGER,"
                " mtime_ns INTEGER, ctime_ns INTEGER, listed_ns INTEGER, subdirs BLOB, rest BLOB,"
                " hits TEXT, conflicts TEXT, links INTEGER, place BLOB, PRIMARY KEY (root, rel))",
            ],
            BUSY_WAIT,
        )
        return db

    def _load(self, path: Path) -> dict[str, FolderRecord]:
        if not path.exists():
            return {}
        db = connect(path, BUSY_WAIT)
        try:
            row = db.execute(
                "SELECT roots.id, roots.fingerprint FROM roots WHERE path = ?", (_enc(self.root),)
            ).fetchone()
            if row is None or row[1] != self.fingerprint:
                return {}
            return {
                _dec(row_[0]): _record(*row_[1:])
                for row_ in db.execute(
                    "SELECT rel, ino, mtime_ns, ctime_ns, listed_ns, subdirs, rest, hits,"
                    " conflicts, links, place FROM folders WHERE root = ?",
                    (row[0],),
                )
            }
        finally:
            db.close()

    def save(self, records: dict[str, FolderRecord], changed: set[str]) -> None:
        """Keep `records` as the memo: rows of `changed` folders are rewritten, rows of
        folders gone since the last scan deleted. A failure costs the next scan a listing."""
        if self.path is None:
            return
        gone = self.records.keys() - records.keys()
        try:
            db = self._connect(self.path)
        except sqlite3.DatabaseError as exc:  # damaged: start a new memo in its place
            if is_busy(exc):
                return  # another run is writing it: the next scan lists a little more
            try:
                for suffix in ("", "-journal", "-wal", "-shm"):
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(f"{self.path}{suffix}")
                db = self._connect(self.path)
            except (sqlite3.Error, OSError):
                return
        except (sqlite3.Error, OSError):
            return
        try:
            with db:
                row = db.execute(
                    "SELECT id, fingerprint FROM roots WHERE path = ?", (_enc(self.root),)
                ).fetchone()
                if row is None or row[1] != self.fingerprint:
                    if row is not None:
                        db.execute("DELETE FROM folders WHERE root = ?", (row[0],))
                    db.execute(
                        "INSERT OR REPLACE INTO roots (path, fingerprint) VALUES (?, ?)",
                        (_enc(self.root), self.fingerprint),
                    )
                    row = db.execute(
                        "SELECT id FROM roots WHERE path = ?", (_enc(self.root),)
                    ).fetchone()
                    changed = set(records)  # a fresh memo: every row
                    gone = set()
                root_id = row[0]
                db.executemany(
                    "DELETE FROM folders WHERE root = ? AND rel = ?",
                    [(root_id, _enc(rel)) for rel in gone],
                )
                db.executemany(
                    "INSERT OR REPLACE INTO folders VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [_row(root_id, rel, records[rel]) for rel in changed if rel in records],
                )
        except (sqlite3.Error, OSError) as exc:
            if not is_busy(exc):  # damaged or unwritable: the next scan starts afresh
                with contextlib.suppress(OSError):
                    self.path.unlink()
        finally:
            db.close()
        self.records = records


def _record(
    ino: int,
    mtime_ns: int,
    ctime_ns: int,
    listed_ns: int,
    subdirs: bytes,
    rest: bytes,
    hits: str,
    conflicts: str,
    links: int,
    place: bytes | None,
) -> FolderRecord:
    unmatched = Names(_dec(rest))
    found: dict[str, list[int]] = json.loads(hits) if hits else {}
    return FolderRecord(
        ino,
        mtime_ns,
        ctime_ns,
        listed_ns,
        _names(subdirs),
        Names(unmatched.block, found) if found else unmatched,
        found,
        json.loads(conflicts) if conflicts else {},
        bool(links),
        None if place is None else tuple(_dec(place).split(SEP)),
        unmatched,
    )


def _row(root_id: int, rel: str, r: FolderRecord) -> tuple[object, ...]:
    return (
        root_id,
        _enc(rel),
        r.ino,
        r.mtime_ns,
        r.ctime_ns,
        r.listed_ns,
        _enc(SEP.join(r.subdirs)),
        _enc(joined(r.unmatched(), SEP)),
        json.dumps(r.hits, ensure_ascii=True) if r.hits else "",
        json.dumps(r.conflicts, ensure_ascii=True) if r.conflicts else "",
        int(r.links),
        None if r.place is None else _enc(SEP.join(r.place)),
    )
