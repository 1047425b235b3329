"""Each indicator's report fragment, kept with the key of what it was computed from, so
that a rescan in which nothing of an indicator moved neither decodes its files' verdicts
nor evaluates it again.

The key covers everything the evaluation reads (evaluate/statuses.py is pure):
- the rules and the code that turns them into statuses and fragments (`code_print`);
- the indicator's expected folder;
- each item's matched paths, with a digest of each file's verdict as stored (its size,
  modification time and what its content said: inspection/table.py), so a file changed
  in place, judged anew or read by OCR since moves the key;
- how the as-of date bears on it: how many of its closing days have passed
  (`as_of_bearing`), so the day a window closes computes the indicator again and the
  days between cost nothing.
Indicators under a folder this scan could not read are never kept nor taken from here.

One row per indicator, in SQLite like the folder memo, its fragment's text and its files'
rows in a file the row names (state/blobs.py: SQLite took ten times as long to write
them). Lost, locked or damaged, it is only a memo: the scan evaluates everything, and
says nothing. docs/state.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from pathlib import Path

from zi_audit import __version__
from zi_audit.evaluate.asof import as_of_bearing
from zi_audit.evaluate.model import MARK, KeptIndicator
from zi_audit.rules.model import Indicator
from zi_audit.state.blobs import Blobs, blob_name
from zi_audit.state.filememo import Prior
from zi_audit.util.sqlite import is_busy, open_versioned, set_aside

BUSY_WAIT = 1.0  # seconds to wait for a store another run is writing, then do without
# 5: each fragment's head and invalid files beside its text (evaluate/model.py, KeptIndicator)
# 6: the text and the files' rows in a file beside the store (state/blobs.py)
# 7: the rows a JSON list a line, their parts' places apart (state/filememo.py)
# 8: runs of files kept whole beside them (state/chunks.py)
SCHEMA = "results-8"
FRAGMENTS = "fragments"  # the folder of those files, beside the store

# The modules whose code decides an indicator's fragment: a change to any of them makes
# every kept result another code's, computed again (no version to remember to bump).
_CODE = (
    "evaluate",
    "core",
    "rules/periods.py",
    "rules/model.py",
    "report/document.py",
    "report/fragment.py",
    "state/filememo.py",
    "state/chunks.py",
    "state/keptwrite.py",
    "util/textnorm.py",
    "util/months.py",
)


@cache
def code_print() -> str:
    """A digest of the code that computes a fragment, and of zi-audit's version."""
    h = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent.parent
    for part in _CODE:
        target = package / part
        for source in sorted(target.glob("*.py")) if target.is_dir() else [target]:
            with contextlib.suppress(OSError):
                h.update(source.read_bytes())
    return h.hexdigest()


def memo_base(rules_print: str) -> str:
    """What every kept file result was computed under: the rules and the code."""
    return hashlib.sha256(f"{rules_print}\0{code_print()}".encode()).hexdigest()


def indicator_key(
    base: str,
    ind: Indicator,
    folder: str,
    matches: Mapping[str, Sequence[str]],
    stamp: Callable[[str], str],
    judged_as_of: dt.date,
) -> str:
    """What an indicator's result is computed from, as a digest (the module's docstring).
    `base`: the rules' fingerprint; `stamp`: a digest of a matched file's verdict as
    stored (state/filememo.py, `digest`), made once per run for the file results too."""
    h = hashlib.sha256(f"{base}\0{code_print()}\0{folder}\0".encode("utf-8", "surrogatepass"))
    h.update(str(as_of_bearing(ind, judged_as_of)).encode())
    for e in ind.evidence:
        h.update(f"\1{e.key}".encode())
        # One text per item, not two updates per file: the same digest, a third the calls.
        files = "".join([f"\2{path}\3{stamp(path)}" for path in sorted(matches.get(e.key, ()))])
        h.update(files.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _marks(value: object) -> tuple[str, ...]:
    """Invalid files' marks as kept: one string, MARK characters each."""
    if not (isinstance(value, str) and len(value) % MARK == 0):
        raise TypeError("not a string of marks")
    return tuple(value[at : at + MARK] for at in range(0, len(value), MARK))


# A row as the store reads it: its key, the `base` it was made under, its file, and the
# sizes in bytes of what that file holds: the fragment's text, its files' rows, and
# where their parts lie in the text (state/filememo.py).
_Row = tuple[str, str, str, tuple[int, int, int, int]]


class ResultStore:
    """The kept fragments of one root (a state directory may serve several plans' roots:
    `scan --units` keeps each unit's apart)."""

    def __init__(self, path: Path, root: str) -> None:
        self.path, self.root = path, root
        self.blobs = Blobs(path.parent / FRAGMENTS)
        self._db: sqlite3.Connection | None = None
        self._rows: dict[str, _Row] = {}  # indicator -> its kept row
        try:
            self._open()
        except sqlite3.Error as exc:
            self.close()
            if is_busy(exc):
                return  # another run's: evaluate everything this time
            set_aside(path)  # damaged: kept aside for a person to look at, made anew
            with contextlib.suppress(sqlite3.Error, OSError):
                self._open()
        except OSError:
            self.close()

    def _open(self) -> None:
        self._db = self._connect()
        self._rows = {
            ident: (key, base, blob, sizes)
            for ident, key, base, blob, *sizes in self._db.execute(
                "SELECT indicator, key, base, blob, text_size, files_size, spans_size,"
                " chunks_size FROM results WHERE root = ?",
                (self.root,),
            )
        }

    def _connect(self) -> sqlite3.Connection:
        db, _ = open_versioned(
            self.path,
            SCHEMA,
            [
                "CREATE TABLE IF NOT EXISTS results (root TEXT, indicator TEXT, key TEXT,"
                " base TEXT, head TEXT, blob TEXT, text_size INTEGER, files_size INTEGER,"
                " spans_size INTEGER, chunks_size INTEGER, PRIMARY KEY (root, indicator))"
            ],
            BUSY_WAIT,
        )
        return db

    def knows(self, ident: str) -> bool:
        """Whether a result of this indicator is kept at all (a first scan keeps none: no
        key need be made before evaluating)."""
        return ident in self._rows

    def holds(self, ident: str, key: str) -> bool:
        """Whether the kept result of this indicator was computed from this key."""
        row = self._rows.get(ident)
        return self._db is not None and row is not None and row[0] == key

    def _texts(self, ident: str, count: int | None = None) -> list[str] | None:
        """The kept fragment's text, files' rows, their places and its runs (`count`: the
        first so many of those), from the file its row names."""
        _, _, blob, sizes = self._rows[ident]
        if not (all(type(size) is int for size in sizes) and isinstance(blob, str)):
            return None
        return self.blobs.read(blob, sizes, count)

    def get(self, ind: Indicator, rows: bool = True) -> KeptIndicator | None:
        """The kept result (`holds` said whose key it is); a damaged row is a miss.
        `rows`: its files' rows too (a run that records history); else they stay on disk."""
        if self._db is None:
            return None
        try:  # read when asked for: one fragment's text is held at a time, not 9 MB of them
            (head,) = self._db.execute(
                "SELECT head FROM results WHERE root = ? AND indicator = ?",
                (self.root, ind.id),
            ).fetchone()
            doc, invalid = json.loads(head)
            kept = self._texts(ind.id, 2 if rows else 1)
            # The text is written into the report undecoded: one that is not this
            # indicator's fragment (another row's, cut short) is a miss, computed again.
            start = '{"id": ' + json.dumps(ind.id)
            if kept is None or doc["id"] != ind.id:
                return None
            text, files = kept[0], kept[1] if rows else None
            if not (text.startswith(start) and text.endswith("}")):
                return None
            return KeptIndicator(ind, doc["status"], doc, text, files, _marks(invalid))
        except (sqlite3.Error, ValueError, KeyError, TypeError):
            return None

    def prior(self, ident: str, base: str) -> Prior | None:
        """An indicator's kept fragment text and files, whatever its key, if made under
        this `base` (memo_base): what its unchanged files' results are taken from."""
        row = self._rows.get(ident)
        if self._db is None or row is None or row[1] != base:
            return None
        got = self._texts(ident)
        return None if got is None else Prior(*got)

    def save(self, fresh: Mapping[str, tuple[str, KeptIndicator, str, str]], base: str) -> None:
        """Keep the results computed this scan (indicator -> key, result, where its files'
        parts lie, its runs) under `base`. A store another run holds, or a full disk, keeps nothing
        this time."""
        if self._db is None or not fresh:
            return
        rows, written = [], set()
        for ident, (key, res, spans, runs) in fresh.items():
            blob = blob_name(self.root, ident, key, base)
            if res.files is None:  # computed results carry their rows: never so
                continue
            over = self._rows[ident][2] if ident in self._rows else None
            try:
                sizes = self.blobs.write(blob, (res.text, res.files, spans, runs), over)
            except (OSError, UnicodeEncodeError):  # not kept: computed next time
                continue
            written.add(blob)
            head = json.dumps([res.head, "".join(res.invalid)])  # ASCII: filememo.py
            rows.append((self.root, ident, key, base, head, blob, *sizes))
        replaced = {self._rows[ident][2] for ident in fresh if ident in self._rows}
        try:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
                )
            named = {blob for (blob,) in self._db.execute("SELECT blob FROM results")}
        except sqlite3.Error:  # not kept: computed next time
            self.blobs.remove(written - replaced)
            return
        self.blobs.remove(replaced - named)
        self.blobs.sweep(named)

    def close(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None
