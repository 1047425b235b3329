"""Reading a report document (the JSON report's dict) for the HTML, Markdown, CSV and mail views.

Those views render from the document, not from live objects, so that `zi-audit report`
can redraw the last scan from the state directory without scanning again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from zi_audit.evaluate.model import INDICATOR_ORDER
from zi_audit.months import format_date

Doc = dict[str, Any]
GAP_STATUSES = ("missing", "invalid", "outdated", "late")


def day(iso: str, lang: str) -> str:
    return format_date(dt.date.fromisoformat(iso), lang)


def gaps(doc: Doc, component: str | None = None) -> list[tuple[Doc, Doc]]:
    """(indicator, evidence) pairs that need work now, by deadline then severity."""
    out = [
        (ind, ev)
        for ind in doc["indicators"]
        if component is None or ind["component"] == component
        for ev in ind["evidence"]
        if ev["status"] in GAP_STATUSES
    ]
    out.sort(key=lambda p: (p[1]["due"]["end"], INDICATOR_ORDER.index(p[1]["status"]), p[1]["key"]))
    return out


def invalid_files(doc: Doc) -> list[tuple[str, list[str], str]]:
    """(path, problem codes, reader's detail) of every matched file that is not valid, once each."""
    seen: dict[str, tuple[str, list[str], str]] = {}
    for ind in doc["indicators"]:
        for ev in ind["evidence"]:
            for f in ev["files"]:
                if not f["valid"]:
                    seen.setdefault(f["path"], (f["path"], f["problems"], f.get("detail", "")))
    return sorted(seen.values())


def headline(doc: Doc) -> dict[str, int]:
    by = doc["summary"]["by_status"]
    planned = doc["summary"]["indicators"] - by["not_planned"]
    return {
        "done": by["present"] + by["late"],
        "planned": planned,
        "missing": by["missing"],
        "invalid": by["invalid"],
        "outdated": by["outdated"],
        "late": by["late"],
        "pending": by["pending"],
        "due_soon": len(doc.get("due_soon", [])),
    }


def percent(done: int, planned: int) -> int:
    return round(100 * done / planned) if planned else 100
