"""What each nightly scan found, kept in SQLite, and what changed since the last one.

A snapshot holds the statuses and every evidence file's size, time and content hash.
Comparing two snapshots is pure: indicators that became complete or newly overdue,
evidence added, changed, moved (same content, new place: a tidy-up, not a loss) and
disappeared. Evidence that disappears is the loudest news a share can give.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import NamedTuple, TypeVar

from zi_audit.core.errors import ZiAuditError
from zi_audit.core.schema import ChangesDoc, ReportDoc, TrendDoc
from zi_audit.core.statuses import COMPLETE
from zi_audit.evaluate.model import Report, evidence_files
from zi_audit.util.sqlite import connect
from zi_audit.util.textnorm import display

_FS, _FS_ERRORS = sys.getfilesystemencoding(), sys.getfilesystemencodeerrors()  # os.fsdecode


class EvidenceFile(NamedTuple):
    """A tuple, not a dataclass: a snapshot of the 100k share holds 18,000 of them, made
    anew from the history each night."""

    size: int
    mtime_ns: int
    sha256: str | None
    items: tuple[str, ...] = ()  # the evidence items it served, so a loss names them


@dataclass(frozen=True)
class Snapshot:
    as_of: str
    scanned_at: str
    files_seen: int
    root_dev: int | None
    indicators: dict[str, str]
    items: dict[str, str]
    components: dict[str, tuple[int, int]]  # component -> (done, planned)
    by_status: dict[str, int]
    evidence: dict[str, EvidenceFile] = field(default_factory=dict)
    pemenuhan: float | None = None  # the LKE Pemenuhan score the evidence supported


@dataclass(frozen=True)
class Changes:
    previous: str | None  # as_of of the scan compared against
    completed: tuple[str, ...] = ()
    overdue: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    moved: tuple[tuple[str, str], ...] = ()
    disappeared: tuple[str, ...] = ()
    # complete before, not now: (indicator, the files of its that went)
    regressed: tuple[tuple[str, tuple[str, ...]], ...] = ()
    statuses: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (before, now)

    def as_dict(self) -> ChangesDoc:
        # Paths are shown as every report shows names (textnorm.display): a name that is not
        # UTF-8, or holds escape sequences, must not break a report, a terminal or an email.
        d = display
        return {
            "previous": self.previous,
            "regressed": [{"indicator": i, "files": [d(p) for p in f]} for i, f in self.regressed],
            "statuses": {i: list(pair) for i, pair in self.statuses.items()},
            "completed": list(self.completed),
            "overdue": list(self.overdue),
            "added": [d(p) for p in self.added],
            "changed": [d(p) for p in self.changed],
            "moved": [{"from": d(a), "to": d(b)} for a, b in self.moved],
            "disappeared": [d(p) for p in self.disappeared],
        }


def snapshot(
    report: Report,
    doc: ReportDoc,
    root_dev: int | None,
    now: dt.datetime | None = None,
    keep: tuple[Snapshot | None, tuple[str, ...]] = (None, ()),
) -> Snapshot:
    """The figures come from the report document (counted there, once); the evidence
    files' times and hashes from the scan, which the document does not carry. `keep`: the
    last snapshot and the folders this scan could not read: what was recorded under them is
    carried over as it was, never recorded as lost or changed."""
    prev, blind = keep
    evidence: dict[str, EvidenceFile] = {}
    if prev is not None and blind:
        evidence = {
            p: f for p, f in prev.evidence.items() if any(p.startswith(f"{b}/") for b in blind)
        }
    keys: dict[str, tuple[str, ...]] = {}  # one tuple for the files of an item
    for f in evidence_files(report.indicators):
        known = evidence.get(f.path)
        if known is None:
            items = keys.get(f.key) or keys.setdefault(f.key, (f.key,))
        else:
            items = (*known.items, f.key)
        evidence[f.path] = EvidenceFile(f.size, f.mtime_ns, f.sha256, items)
    return snapshot_of(doc, root_dev, evidence, now)


def snapshot_of(
    doc: ReportDoc,
    root_dev: int | None,
    evidence: dict[str, EvidenceFile],
    now: dt.datetime | None = None,
) -> Snapshot:
    """A snapshot from the document and the evidence files: a report kept whole (app/
    standing.py) has the evidence of the scan it was last recorded as."""
    return Snapshot(
        as_of=doc["as_of"],
        scanned_at=(now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
        files_seen=doc["files_seen"],
        root_dev=root_dev,
        indicators={i["id"]: i["status"] for i in doc["indicators"]},
        items={e["key"]: e["status"] for i in doc["indicators"] for e in i["evidence"]},
        components={c["id"]: (c["done"], c["planned"]) for c in doc["components"]},
        by_status=dict(doc["summary"]["by_status"]),
        evidence=evidence,
        pemenuhan=doc["lke"]["pemenuhan"]["value"] if "lke" in doc else None,
    )


def as_trend(snapshots: list[Snapshot]) -> list[TrendDoc]:
    return [
        {
            "as_of": s.as_of,
            "scanned_at": s.scanned_at,
            "components": {k: list(v) for k, v in s.components.items()},
            "by_status": s.by_status,
            "pemenuhan": s.pemenuhan,
        }
        for s in snapshots
    ]


def diff(prev: Snapshot | None, cur: Snapshot) -> Changes:
    if prev is None:
        return Changes(previous=None)
    completed = tuple(
        i
        for i, s in cur.indicators.items()
        if s in COMPLETE and prev.indicators.get(i) not in COMPLETE
    )
    overdue = tuple(
        i
        for i, s in cur.indicators.items()
        if s == "missing" and prev.indicators.get(i) != "missing"
    )
    added = [p for p in cur.evidence if p not in prev.evidence]
    gone = [p for p in prev.evidence if p not in cur.evidence]
    changed = tuple(
        p for p, f in cur.evidence.items() if p in prev.evidence and _differs(prev.evidence[p], f)
    )
    moved = []
    by_hash = {cur.evidence[p].sha256: p for p in added if cur.evidence[p].sha256}
    for old in list(gone):
        digest = prev.evidence[old].sha256
        if digest and digest in by_hash:
            new = by_hash.pop(digest)
            moved.append((old, new))
            gone.remove(old)
            added.remove(new)
    regressed = tuple(
        (
            i,
            tuple(p for p in gone if any(k.split("/")[0] == i for k in prev.evidence[p].items)),
        )
        for i, s in cur.indicators.items()
        if s not in COMPLETE and s != "unreadable" and prev.indicators.get(i) in COMPLETE
    )
    statuses = {
        i: (before, s)
        for i, s in cur.indicators.items()
        if (before := prev.indicators.get(i)) is not None and before != s and s != "unreadable"
    }
    return Changes(
        previous=prev.as_of,
        regressed=regressed,
        statuses=statuses,
        completed=completed,
        overdue=overdue,
        added=tuple(sorted(added)),
        changed=tuple(sorted(changed)),
        moved=tuple(sorted(moved)),
        disappeared=tuple(sorted(gone)),
    )


def _differs(a: EvidenceFile, b: EvidenceFile) -> bool:
    if a.sha256 and b.sha256:
        return a.sha256 != b.sha256
    return (a.size, a.mtime_ns) != (b.size, b.mtime_ns)


class HistoryError(ZiAuditError):
    """The history cannot be read or written. Never replaced silently: it is the unit's
    record of every night; the message says how to set it aside by hand."""


T = TypeVar("T")


def _guarded(method: Callable[..., T]) -> Callable[..., T]:
    @functools.wraps(method)
    def wrapper(self: History, *args: object, **kwargs: object) -> T:
        try:
            return method(self, *args, **kwargs)
        except (sqlite3.Error, ValueError, KeyError, TypeError) as exc:
            raise HistoryError(_explain(self.path, exc)) from None

    return wrapper


def _explain(path: Path, exc: BaseException) -> str:
    text = str(exc)
    if "disk is full" in text or "No space left" in text:
        return f"disk penuh (disk full): {path} cannot be written; nothing was recorded"
    return (
        f"the history {path} cannot be read ({type(exc).__name__}: {text[:200]}); it is left "
        f"as it is. To start a new history, move it aside: mv '{path}' '{path}.bad'"
    )


class History:
    """The history database in the state directory."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.written = 0  # file rows the last record() wrote (tests count them)
        try:
            self._open(path)
        except (sqlite3.Error, OSError) as exc:
            raise HistoryError(_explain(path, exc)) from None

    def _open(self, path: Path) -> None:
        if path.is_dir():
            raise sqlite3.OperationalError("it is a folder, not a file")
        if path.exists() and path.stat().st_size == 0:
            # SQLite would take an emptied file for a new history and start again silently:
            # the team's record, and the outage baseline with it, would be gone unsaid.
            raise sqlite3.DatabaseError("it is empty (0 bytes): emptied or truncated")
        self.db = connect(path, 30)
        self.db.executescript(
            """
            CREATE TABLE IF NOT EXISTS scans (
                id INTEGER PRIMARY KEY, scanned_at TEXT, as_of TEXT, files_seen INTEGER,
                root_dev INTEGER, data TEXT);
            CREATE TABLE IF NOT EXISTS files (
                path BLOB PRIMARY KEY, first_seen TEXT, last_seen TEXT, size INTEGER,
                mtime_ns INTEGER, sha256 TEXT, gone_since TEXT, items TEXT);
            """
        )
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(files)")}
        if "items" not in columns:  # a history from before the column existed
            with self.db:
                self.db.execute("ALTER TABLE files ADD COLUMN items TEXT")

    def close(self) -> None:
        self.db.close()

    @_guarded
    def last(self) -> Snapshot | None:
        row = self.db.execute("SELECT data FROM scans ORDER BY id DESC LIMIT 1").fetchone()
        if row is None:
            return None
        prev = _snapshot_from_json(row[0])
        served: dict[str, tuple[str, ...]] = {}  # one tuple for the files of an item
        evidence = {
            path.decode(_FS, _FS_ERRORS): EvidenceFile(size, mtime_ns, sha, _items(items, served))
            for path, size, mtime_ns, sha, items in self.db.execute(
                "SELECT path, size, mtime_ns, sha256, items FROM files WHERE gone_since IS NULL"
            )
        }
        return Snapshot(**{**prev.__dict__, "evidence": evidence})

    @_guarded
    def record(self, snap: Snapshot, prev: Snapshot | None = None) -> None:
        """Record a scan. `prev`: what `last()` gave this run (its evidence is what the
        table holds as present; the run's lock keeps it so): only files new or changed since
        are written and those gone marked, so a night on which nothing changed writes one
        row, not one per evidence file. Without it every file is written."""
        data = {k: v for k, v in snap.__dict__.items() if k != "evidence"}
        before = prev.evidence if prev is not None else {}
        with self.db:
            last = self.db.execute("SELECT scanned_at FROM scans ORDER BY id DESC LIMIT 1")
            previous = (last.fetchone() or (None,))[0]
            self.db.execute(
                "INSERT INTO scans (scanned_at, as_of, files_seen, root_dev, data) VALUES (?, ?, ?, ?, ?)",
                (snap.scanned_at, snap.as_of, snap.files_seen, snap.root_dev, json.dumps(data)),
            )
            rows = [
                (os.fsencode(p), snap.scanned_at, f.size, f.mtime_ns, f.sha256, ",".join(f.items))
                for p, f in snap.evidence.items()
                if before.get(p) != f
            ]
            self.db.executemany(
                """INSERT INTO files
                     (path, first_seen, last_seen, size, mtime_ns, sha256, gone_since, items)
                   VALUES (?1, ?2, ?2, ?3, ?4, ?5, NULL, ?6)
                   ON CONFLICT(path) DO UPDATE SET last_seen=excluded.last_seen,
                   size=excluded.size, mtime_ns=excluded.mtime_ns, sha256=excluded.sha256,
                   gone_since=NULL, items=excluded.items""",
                rows,
            )
            if prev is not None:
                gone = [os.fsencode(p) for p in before if p not in snap.evidence]
            else:
                current = {os.fsencode(p) for p in snap.evidence}
                present = self.db.execute("SELECT path FROM files WHERE gone_since IS NULL")
                gone = [path for (path,) in present.fetchall() if path not in current]
            # A file gone was last seen by the scan before this one.
            self.db.executemany(
                "UPDATE files SET gone_since=?, last_seen=COALESCE(?, last_seen) WHERE path=?",
                [(snap.scanned_at, previous, path) for path in gone],
            )
        self.written = len(rows) + len(gone)

    @_guarded
    def trend(self, limit: int = 30) -> list[Snapshot]:
        rows = self.db.execute(
            "SELECT data FROM scans ORDER BY id DESC LIMIT ?", (limit,)
        ).fetchall()
        return [_snapshot_from_json(r[0]) for r in reversed(rows)]


def _items(text: str | None, seen: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The items a file served, as recorded ("1.4.2/1,1.4.2/2"; NULL in a history from
    before the column existed), one tuple for every file that served the same."""
    if not text:
        return ()
    found = seen.get(text)
    if found is None:
        found = seen[text] = tuple(text.split(","))
    return found


def _snapshot_from_json(text: str) -> Snapshot:
    d = json.loads(text)
    if not isinstance(d, dict):
        raise ValueError("a recorded scan is not an object")
    known = {f.name for f in fields(Snapshot)}
    d = {k: v for k, v in d.items() if k in known}  # keys from a newer version: ignored
    missing = {
        f.name for f in fields(Snapshot) if f.default is MISSING and f.default_factory is MISSING
    } - set(d)
    if missing:
        raise KeyError(f"a recorded scan lacks {', '.join(sorted(missing))}")
    d["components"] = {k: tuple(v) for k, v in d["components"].items()}
    return Snapshot(**d)
