"""The JSON report: design.md's stable contract. Keys may be added, never change meaning."""

from __future__ import annotations

import json
from typing import Any

from zi_audit import __version__
from zi_audit.evaluate.model import FileResult, ItemResult, Report
from zi_audit.textnorm import display


def _file(f: FileResult) -> dict[str, Any]:
    out: dict[str, Any] = {
        "path": display(f.path),
        "date": f.date.day.isoformat(),
        "date_source": f.date.source,
        "valid": f.facts.valid,
        "problems": list(f.facts.problems),
        "status": f.status,
        "size": f.facts.size,
    }
    if f.date.period.kind != "day":
        out["period"] = f.date.period.label()
    if f.facts.notes:
        out["notes"] = list(f.facts.notes)
    if f.facts.detail:
        out["detail"] = f.facts.detail
    if f.date.source == "content":
        out["content_source"] = f.facts.content_date_source
        out["raw_date"] = f.facts.raw_date
    if f.facts.pages is not None:
        out["pages"] = f.facts.pages
    return out


def _item(item: ItemResult) -> dict[str, Any]:
    e = item.evidence
    out: dict[str, Any] = {"key": e.key, "name": e.name, "status": item.status}
    if item.slots is not None:
        out["slots"] = [
            {
                "label": s.period.label(),
                "start": s.period.start.isoformat(),
                "end": s.period.end.isoformat(),
                "status": s.status,
                "files": [display(p) for p in s.files],
            }
            for s in item.slots
        ]
    out["files"] = [_file(f) for f in item.files]
    out["due"] = {"start": item.window.start.isoformat(), "end": item.window.end.isoformat()}
    out["expected"] = {
        "folder": display(item.folder),
        "patterns": list(e.patterns),
        "in_folder": list(e.in_folder),
        "types": sorted(e.types),
    }
    return out


SOON_DAYS = 30


def due_soon(report: Report, days: int = SOON_DAYS) -> list[dict[str, Any]]:
    """Items not yet due whose deadline is within `days`: louder at 7 days and at 1."""
    out = []
    for res in report.indicators:
        for item in res.items:
            left = (item.deadline - report.as_of).days
            if item.status == "pending" and 0 <= left <= days:
                out.append(
                    {
                        "indicator": res.indicator.id,
                        "key": item.evidence.key,
                        "name": item.evidence.name,
                        "deadline": item.deadline.isoformat(),
                        "days_left": left,
                        "level": 1 if left <= 1 else 7 if left <= 7 else days,
                        "folder": display(item.folder),
                        "patterns": [*item.evidence.patterns, *item.evidence.in_folder],
                    }
                )
    return sorted(out, key=lambda d: (d["deadline"], d["key"]))


def to_dict(report: Report) -> dict[str, Any]:
    indicators = []
    for res in report.indicators:
        ind = res.indicator
        indicators.append(
            {
                "id": ind.id,
                "component": ind.component,
                "area": ind.area,
                "text": ind.text,
                "action": ind.action,
                "status": res.status,
                "due": (
                    {"start": ind.window.start.isoformat(), "end": ind.window.end.isoformat()}
                    if ind.window
                    else None
                ),
                "window": ind.window.text if ind.window else None,
                "evidence": [_item(i) for i in res.items],
            }
        )
    return {
        "tool": "zi-audit",
        "version": __version__,
        "root": display(report.root),
        "rules": display(report.rules.path),
        "as_of": report.as_of.isoformat(),
        "summary": {"indicators": len(report.indicators), "by_status": dict(report.by_status)},
        "indicators": indicators,
        "unmatched_files": [display(p) for p in report.unmatched],
        "unmatched": [
            {"path": display(p), "indicator": ind, "evidence": key, "score": score}
            for p, (ind, key, score) in report.suggestions.items()
        ],
        "problems": [
            {"path": display(p.path), "code": p.code, "detail": p.detail} for p in report.problems
        ],
        "files_seen": report.files_seen,
        "stats": dict(report.stats),
        "plan": {"title": report.rules.title, "unit": report.rules.unit, "year": report.rules.year},
        "components": [_component(report, c.id, c.name) for c in report.rules.components],
        "due_soon": due_soon(report),
    }


def _component(report: Report, ident: str, name: str) -> dict[str, Any]:
    results = [
        r for r in report.indicators if r.indicator.component == ident and r.status != "not_planned"
    ]
    done = sum(1 for r in results if r.status in ("present", "late"))
    return {"id": ident, "name": name, "done": done, "planned": len(results)}


def render(report: Report | dict[str, Any]) -> str:
    # Compact on purpose: with `indent`, CPython falls back to its pure-Python encoder,
    # three times slower on a big share. Pipe through `python -m json.tool` to read it.
    doc = to_dict(report) if isinstance(report, Report) else report
    return json.dumps(doc, ensure_ascii=False) + "\n"
