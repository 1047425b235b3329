"""What we learned about each file's content, kept across runs in SQLite.

Keyed by the file's absolute path, size and modification time (ns): an unchanged
file is never opened twice, which also matters on Google Drive mounts that
download a file when it is opened. A cache from another version of the judges,
or one SQLite cannot read, is set aside and rebuilt, never trusted.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from zi_audit import __version__
from zi_audit.evaluate.model import FileFacts

# Bump when a judge changes what it concludes, so old verdicts are not reused.
JUDGES_VERSION = "3"  # 3: images too small to be evidence are invalid
SCHEMA = f"facts-1/{JUDGES_VERSION}/{__version__}"


def facts_to_json(f: FileFacts) -> str:
    d: dict[str, Any] = {
        "valid": f.valid,
        "problems": list(f.problems),
        "notes": list(f.notes),
        "detail": f.detail,
        "date": f.content_date.isoformat() if f.content_date else None,
        "date_source": f.content_date_source,
        "precision": f.content_precision,
        "raw_date": f.raw_date,
        "pages": f.pages,
        "sha256": f.sha256,
    }
    return json.dumps(d)


def facts_from_json(text: str, size: int, mtime: float) -> FileFacts:
    d = json.loads(text)
    return FileFacts(
        size=size,
        mtime=mtime,
        valid=d["valid"],
        problems=tuple(d["problems"]),
        notes=tuple(d["notes"]),
        detail=d["detail"],
        content_date=dt.datetime.fromisoformat(d["date"]) if d["date"] else None,
        content_date_source=d["date_source"],
        content_precision=d["precision"],
        raw_date=d["raw_date"],
        pages=d["pages"],
        sha256=d.get("sha256"),
    )


class FactsCache:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.rebuilt: str | None = None  # why the cache was set aside, if it was
        try:
            self.db = self._open()
        except sqlite3.DatabaseError as exc:
            self._set_aside(f"unreadable ({exc})")
            self.db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        row = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        if row is not None and row[0] != SCHEMA:
            db.execute("DROP TABLE IF EXISTS facts")
            self.rebuilt = f"made by another version ({row[0]})"
        db.execute(
            "CREATE TABLE IF NOT EXISTS facts (path BLOB PRIMARY KEY, size INTEGER, mtime_ns INTEGER, data TEXT)"
        )
        db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA,))
        db.execute(
            "SELECT count(*) FROM facts"
        ).fetchone()  # touches the pages: corrupt files fail here
        db.commit()
        return db

    def _set_aside(self, why: str) -> None:
        self.rebuilt = why
        for suffix in ("", "-wal", "-shm"):
            part = Path(f"{self.path}{suffix}")
            if part.exists():
                os.replace(part, f"{part}.corrupt-{int(time.time())}")

    def get(self, path: str, size: int, mtime_ns: int, mtime: float) -> FileFacts | None:
        try:
            row = self.db.execute(
                "SELECT data FROM facts WHERE path=? AND size=? AND mtime_ns=?",
                (os.fsencode(path), size, mtime_ns),
            ).fetchone()
            return facts_from_json(row[0], size, mtime) if row else None
        except (sqlite3.DatabaseError, ValueError, KeyError, TypeError):
            return None  # a damaged row is a cache miss, never a wrong verdict

    def put(self, path: str, size: int, mtime_ns: int, facts: FileFacts) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO facts VALUES (?, ?, ?, ?)",
            (os.fsencode(path), size, mtime_ns, facts_to_json(facts)),
        )

    def close(self) -> None:
        self.db.commit()
        self.db.close()
