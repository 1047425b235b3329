"""What reading a file taught us: the facts every stage after the walk shares.

A leaf type: the inspection fills it (and caches it), the evaluation reads it. Problem
codes are stable (docs/problems.md).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any, NamedTuple

# Problems said of this run only, never of the content: not cached, judged again next time.
TRANSIENT = frozenset({"timeout", "crashed", "unreadable", "vanished"})


class FileFacts(NamedTuple):
    """What I/O learned about one matched file: its stat, and what its content says.
    A named tuple, immutable like the frozen dataclass it was and built about five times
    as fast: a changed night decodes one for each of thousands of files (4.3 -> 0.8 us)."""

    size: int
    mtime: float
    valid: bool = True
    problems: tuple[str, ...] = ()  # why it is invalid: stable codes (docs/problems.md)
    notes: tuple[str, ...] = ()  # flags that do not make it invalid: scanned, signed, …
    detail: str = ""  # the reader's own words for the first problem
    content_date: dt.datetime | None = None
    content_date_source: str | None = None  # pdf-xmp | pdf-info | exif | exif-ifd0 | office
    content_precision: str = "day"  # year | month | day
    raw_date: str | None = None
    pages: int | None = None
    sha256: str | None = None  # of the content, for history; None when not read
    # From the document's words (its text layer, or OCR): None where it has none read.
    text: str | None = None  # folded start and end, what the rules' `words` are checked on
    text_date: dt.date | None = None  # the date it states of itself (a decree's, a letter's)
    text_date_raw: str | None = None  # the words that state it, for the report
    text_years: tuple[int, ...] = ()  # years its title or number names


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
    if f.text is not None:  # only documents with words carry them: the rest stay small
        d["text"] = f.text
    if f.text_date is not None:
        d["tdate"], d["traw"] = f.text_date.isoformat(), f.text_date_raw
    if f.text_years:
        d["tyears"] = list(f.text_years)
    return json.dumps(d)


# The decoder's C scanner, without `json.loads`' wrapper: a rescan decodes one row per
# matched file, 18,000 on the 100k bench, and the wrapper was a third of that cost.
_decode = json.JSONDecoder().raw_decode


def codes(words: list[str]) -> tuple[str, ...]:
    """Problem and note codes, one string each however many files say them, and one tuple
    each set of them: a watch holds every matched file's facts, and 18,000 copies of
    `corrupt` or `signed` add up (the tuples were 0.9 MB)."""
    if not words:
        return ()
    said = tuple(map(sys.intern, words))
    if len(_CODES) > 4096:  # codes are a few dozen; never let a surprise grow without end
        _CODES.clear()
    return _CODES.setdefault(said, said)


_CODES: dict[tuple[str, ...], tuple[str, ...]] = {}


def facts_from_json(text: str, size: int, mtime: float) -> FileFacts:
    d = _decode(text)[0]
    source, date = d["date_source"], d["date"]
    # Positional, in the fields' order: a changed night decodes thousands.
    return FileFacts(
        size,
        mtime,
        d["valid"],
        codes(d["problems"]),
        codes(d["notes"]),
        sys.intern(d["detail"]),  # the reader's words: the same for many files
        dt.datetime.fromisoformat(date) if date else None,
        sys.intern(source) if source else None,
        sys.intern(d["precision"]),
        d["raw_date"],
        d["pages"],
        d.get("sha256"),
        d.get("text"),
        dt.date.fromisoformat(d["tdate"]) if "tdate" in d else None,
        d.get("traw"),
        tuple(d["tyears"]) if "tyears" in d else (),
    )
