"""What changed since the last recorded scan, in words: one list every renderer shows
near the top (text, HTML, Markdown, both parts of the email).

Loudest first: evidence that disappeared, indicators that were complete and are not any
more (with the file that went), indicators newly overdue, then the good news.
"""

from __future__ import annotations

from zi_audit.core.schema import ChangesDoc, ReportDoc
from zi_audit.i18n import t

CATEGORIES = ("disappeared", "regressed", "overdue", "completed", "moved", "added", "changed")
_NAME = 70  # characters of an indicator's text shown beside its id


def _status_line(doc: ReportDoc, changes: ChangesDoc, ident: str, lang: str) -> str:
    text = next((i["text"] for i in doc["indicators"] if i["id"] == ident), "")
    name = text if len(text) <= _NAME else text[: _NAME - 1].rsplit(" ", 1)[0] + "…"
    pair = changes["statuses"].get(ident)
    move = f": {t('status.' + pair[0], lang)} → {t('status.' + pair[1], lang)}" if pair else ""
    return f"{ident} {name}{move}"


def change_groups(doc: ReportDoc, lang: str) -> list[tuple[str, list[str]]]:
    """[(category, lines)] for the categories that have something, loudest first."""
    changes = doc.get("changes")
    if changes is None or changes["previous"] is None:
        return []
    regressed = {r["indicator"]: r["files"] for r in changes["regressed"]}
    groups: dict[str, list[str]] = {
        "disappeared": list(changes["disappeared"]),
        "regressed": [
            _status_line(doc, changes, ident, lang)
            + (f" ({t('doc.went', lang)}: {', '.join(files)})" if files else "")
            for ident, files in regressed.items()
        ],
        "overdue": [
            _status_line(doc, changes, i, lang) for i in changes["overdue"] if i not in regressed
        ],
        "completed": [_status_line(doc, changes, i, lang) for i in changes["completed"]],
        "moved": [f"{m['from']} → {m['to']}" for m in changes["moved"]],
        "added": list(changes["added"]),
        "changed": list(changes["changed"]),
    }
    return [(key, groups[key]) for key in CATEGORIES if groups[key]]
