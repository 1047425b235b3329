"""The results store's rows as tests read and damage them: each row's fragment text and
files' rows live in a file the row names (state/blobs.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from zi_audit.state.blobs import Blobs
from zi_audit.state.results import FRAGMENTS


def stored_rows(state: Path) -> list[tuple[str, str, str, str]]:
    """(indicator, fragment text, files' rows, their parts' places) of every kept row, by
    indicator (its runs kept whole: `stored_runs`)."""
    return [row[:4] for row in _stored(state)]


def stored_runs(state: Path) -> dict[str, str]:
    """Each kept row's runs of files kept whole (state/chunks.py), by indicator."""
    return {row[0]: row[4] for row in _stored(state)}


def _stored(state: Path) -> list[tuple[str, str, str, str, str]]:
    blobs = Blobs(state / FRAGMENTS)
    with sqlite3.connect(state / "results.sqlite3") as db:
        rows = db.execute(
            "SELECT indicator, blob, text_size, files_size, spans_size, chunks_size FROM results"
            " ORDER BY indicator"
        ).fetchall()
    db.close()
    out = []
    for ident, blob, *sizes in rows:
        got = blobs.read(blob, sizes)
        assert got is not None, f"{ident}: its file does not read"
        out.append((ident, got[0], got[1], got[2], got[3]))
    return out


def rewrite(
    state: Path,
    ident: str,
    *,
    text: str | None = None,
    files: str | None = None,
    spans: str | None = None,
    runs: str | None = None,
    key: str = "",
) -> None:
    """Put another text, other files' rows, other places or other runs in an indicator's
    kept row (`key`: another key too, which makes it computed again)."""
    blobs = Blobs(state / FRAGMENTS)
    old = {i: rest for i, *rest in _stored(state)}[ident]
    now = (text, files, spans, runs)
    new = [was if then is None else then for was, then in zip(old, now, strict=True)]
    db = sqlite3.connect(state / "results.sqlite3")
    (blob,) = db.execute("SELECT blob FROM results WHERE indicator = ?", (ident,)).fetchone()
    sizes = blobs.write(blob, new)
    db.execute(
        "UPDATE results SET text_size = ?, files_size = ?, spans_size = ?, chunks_size = ?"
        " WHERE indicator = ?",
        (*sizes, ident),
    )
    if key:
        db.execute("UPDATE results SET key = ? WHERE indicator = ?", (key, ident))
    db.commit()
    db.close()
