"""What we learned about each file's content, kept across runs in SQLite.

Keyed by the file's absolute path, size, modification time and change time (ns): an
unchanged file is never opened twice, while one replaced by a copy with the same size
and modification time (`cp -p`, rsync, a restore) still counts as changed, since its
change time (set by the kernel, not by the copying tool) moves. Not opening a file
twice also matters on Google Drive mounts, which download a file when it is opened. A cache from another version of the judges,
or one SQLite cannot read, is set aside and rebuilt, never trusted.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path

from zi_audit import __version__
from zi_audit.core.facts import FileFacts, facts_from_json, facts_to_json
from zi_audit.util.sqlite import is_busy, open_versioned, set_aside

# Bump when a judge changes what it concludes, so old verdicts are not reused.
JUDGES_VERSION = "6"  # 6: the words a document holds (its date, years, an excerpt)
SCHEMA = f"facts-2/{JUDGES_VERSION}/{__version__}"


class FactsCache:
    """Busy is not corrupt: while another run holds the cache, this one works without it
    (files are judged, not cached) instead of setting a good cache aside."""

    def __init__(self, path: Path, busy_wait: float = 30.0, bulk: bool = True) -> None:
        """`bulk`: read every verdict in one query at the first look-up (a nightly rescan
        asks for thousands); else one query per file (a watch update asks for a few)."""
        self.path = path
        self.busy_wait = busy_wait
        self.bulk = bulk
        self.rebuilt: str | None = None  # why the cache was set aside, if it was
        self.db: sqlite3.Connection | None = None
        self._rows: dict[bytes, tuple[int, int, int, str]] | None = None
        try:
            self.db = self._open()
        except sqlite3.OperationalError as exc:
            if is_busy(exc):
                self.rebuilt = "busy: used by another run, not used this time"
                return
            self._rebuild(exc)
        except sqlite3.DatabaseError as exc:
            self._rebuild(exc)

    def _rebuild(self, exc: sqlite3.Error) -> None:
        self._set_aside(f"unreadable ({exc})")
        try:
            self.db = self._open()
        except sqlite3.Error:
            self.db = None  # a full disk or a folder in the way: judge without a cache

    def _open(self) -> sqlite3.Connection:
        db, replaced = open_versioned(
            self.path,
            SCHEMA,
            [
                "CREATE TABLE IF NOT EXISTS facts (path BLOB PRIMARY KEY, size INTEGER,"
                " mtime_ns INTEGER, ctime_ns INTEGER, data TEXT)"
            ],
            self.busy_wait,
            wal=True,
        )
        if replaced is not None:
            self.rebuilt = f"made by another version ({replaced})"
        return db

    def _set_aside(self, why: str) -> None:
        self.rebuilt = why
        set_aside(self.path)

    def _all(self) -> dict[bytes, tuple[int, int, int, str]]:
        """Every verdict, read in one query: a nightly rescan asks for thousands."""
        if self._rows is None:
            self._rows = {}
            if self.db is not None:
                try:
                    for path, size, mtime_ns, ctime_ns, data in self.db.execute(
                        "SELECT path, size, mtime_ns, ctime_ns, data FROM facts"
                    ):
                        self._rows[bytes(path)] = (size, mtime_ns, ctime_ns, data)
                except sqlite3.DatabaseError:
                    self._rows = {}  # unreadable pages: everything is a miss, judged again
        return self._rows

    def _one(self, key: bytes) -> tuple[int, int, int, str] | None:
        if self.db is None:
            return None
        try:
            row = self.db.execute(
                "SELECT size, mtime_ns, ctime_ns, data FROM facts WHERE path = ?", (key,)
            ).fetchone()
        except sqlite3.DatabaseError:
            return None  # an unreadable page: a miss, judged again
        return None if row is None else (row[0], row[1], row[2], row[3])

    def get(self, path: str, st: os.stat_result) -> FileFacts | None:
        data = self.get_raw(path, st)
        if data is None:
            return None
        try:
            return facts_from_json(data, st.st_size, st.st_mtime)
        except (ValueError, KeyError, TypeError):
            return None  # a damaged row is a cache miss, never a wrong verdict

    def get_raw(self, path: str, st: os.stat_result) -> str | None:
        """The verdict as stored, not decoded: a rescan whose indicators are kept
        (state/results.py) never needs it decoded. A row that does not decode is found when
        it is needed (FactsTable.decode) and judged again then."""
        key = os.fsencode(path)
        row = self._all().get(key) if self.bulk else self._one(key)
        if row is None or row[:3] != (st.st_size, st.st_mtime_ns, st.st_ctime_ns):
            return None
        return row[3]

    def forget(self, path: str) -> None:
        """Drop a row that did not decode, so that the file is judged again."""
        if self._rows is not None:
            self._rows.pop(os.fsencode(path), None)

    def put(self, path: str, st: os.stat_result, facts: FileFacts) -> None:
        if self.db is None:
            return
        try:
            self.db.execute(
                "INSERT OR REPLACE INTO facts VALUES (?, ?, ?, ?, ?)",
                (
                    os.fsencode(path),
                    st.st_size,
                    st.st_mtime_ns,
                    st.st_ctime_ns,
                    facts_to_json(facts),
                ),
            )
        except sqlite3.Error as exc:  # a page the open-time probe missed, a full disk
            with contextlib.suppress(sqlite3.Error):
                self.db.close()
            self.db = None
            if "full" in str(exc).lower():
                # A full disk says nothing about the cache: it stays, and this run goes on
                # without keeping more verdicts (they are judged again next time).
                self.rebuilt = f"not written this run ({exc})"
                return
            self.rebuilt = f"could not be written ({exc}); rebuilt next run"
            self._set_aside(self.rebuilt)

    def close(self) -> None:
        if self.db is None:
            return
        with contextlib.suppress(sqlite3.Error):  # a verdict not kept is judged again next run
            self.db.commit()
        self.db.close()


def forget_gone(
    path: Path,
    root: str,
    now: Mapping[str, Collection[str]],
    gone: Iterable[str],
    busy_wait: float = 1.0,
) -> int:
    """Drop the verdicts of files no longer in the folders a scan listed again (root-
    relative folder -> the names it holds now) or in folders that are gone. A file moved,
    renamed or deleted left its row behind, and a rescan reads every row: the cache grew
    with the share's history, not with the share. Rows of the folders' other files, of
    their subfolders and of other roots are kept; a busy or unreadable cache is left as it
    is (it is only a memo). How many rows went."""
    folders = {rel: frozenset(names) for rel, names in now.items()}
    folders.update(dict.fromkeys(gone, frozenset()))
    if not folders or not path.exists():
        return 0
    dropped: list[tuple[bytes]] = []
    try:
        db = sqlite3.connect(path, timeout=busy_wait)
    except sqlite3.Error:
        return 0
    try:
        for rel, names in folders.items():
            # Keyed as the walk builds a file's path (walk/walker.py): folder, "/", name.
            prefix = os.fsencode(os.path.join(os.path.join(root, rel) if rel else root, ""))
            upper = prefix[:-1] + bytes([prefix[-1] + 1])  # every key that starts with it
            rows = db.execute(
                "SELECT path FROM facts WHERE path >= ? AND path < ?", (prefix, upper)
            )
            for (key,) in rows:
                name = bytes(key)[len(prefix) :]
                if b"/" not in name and os.fsdecode(name) not in names:
                    dropped.append((bytes(key),))
        if dropped:
            with db:
                db.executemany("DELETE FROM facts WHERE path = ?", dropped)
    except sqlite3.Error:
        return 0
    finally:
        db.close()
    return len(dropped)
