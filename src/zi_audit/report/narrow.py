"""The report narrowed to what one person answers for: a component's owner, a PIC.

Figures are counted again for the part (report/figures.py `summarise`), so an owner's
email shows their component's numbers, not the unit's.
"""

from __future__ import annotations

from collections.abc import Callable

from zi_audit.core.schema import FixDoc, IndicatorDoc, ReportDoc
from zi_audit.report.document import pic_of
from zi_audit.report.figures import summarise


def for_pic(doc: ReportDoc, pic: str) -> ReportDoc:
    """The report narrowed to the items one PIC answers for, with its own figures."""
    indicators: list[IndicatorDoc] = []
    for ind in doc["indicators"]:
        mine = [ev for ev in ind["evidence"] if pic_of(ind, ev) == pic]
        if mine:
            indicators.append({**ind, "evidence": mine})
    keys = {ev["key"] for ind in indicators for ev in ind["evidence"]}
    due_soon = [d for d in doc["due_soon"] if d["key"] in keys]
    part: ReportDoc = {
        **doc,
        "indicators": indicators,
        "due_soon": due_soon,
        "summary": summarise(indicators, due_soon),
        "unmatched": [],
        "unmatched_files": [],
    }
    _narrow_fix_first(part, doc, lambda f: f["key"] in keys)
    part.pop("changes", None)
    part.pop("trend", None)
    return part


def _narrow_fix_first(part: ReportDoc, doc: ReportDoc, mine: Callable[[FixDoc], bool]) -> None:
    """ "Perbaiki dulu" lists only the gaps of whoever the part is for; the score stays the
    unit's (one LKE for the unit)."""
    if "lke" in doc:
        part["lke"] = {**doc["lke"], "fix_first": [f for f in doc["lke"]["fix_first"] if mine(f)]}


def for_component(doc: ReportDoc, component: str) -> ReportDoc:
    """The same report narrowed to one component, for its owner, with its own figures."""
    indicators = [i for i in doc["indicators"] if i["component"] == component]
    due_soon = [d for d in doc["due_soon"] if d["indicator"].split(".")[0] == component]
    prefix = tuple(f"{i['expected']['folder']}/" for ind in indicators for i in ind["evidence"])
    part: ReportDoc = {
        **doc,
        "indicators": indicators,
        "components": [c for c in doc["components"] if c["id"] == component],
        "due_soon": due_soon,
        "summary": summarise(indicators, due_soon),
        "unmatched": [u for u in doc["unmatched"] if u["indicator"].split(".")[0] == component],
        "unmatched_files": [p for p in doc["unmatched_files"] if p.startswith(prefix)],
    }
    if "changes" in doc:
        mine = {
            ev_file["path"]
            for ind in indicators
            for ev in ind["evidence"]
            for ev_file in ev["files"]
        }
        ch = doc["changes"]
        part["changes"] = {
            **ch,
            "regressed": [r for r in ch["regressed"] if r["indicator"].split(".")[0] == component],
            "statuses": {i: v for i, v in ch["statuses"].items() if i.split(".")[0] == component},
            "completed": [i for i in ch["completed"] if i.split(".")[0] == component],
            "overdue": [i for i in ch["overdue"] if i.split(".")[0] == component],
            "added": [p for p in ch["added"] if p in mine],
            "changed": [p for p in ch["changed"] if p in mine],
            "moved": [m for m in ch["moved"] if m["to"] in mine],
            "disappeared": [p for p in ch["disappeared"] if p.startswith(prefix)],
        }
    _narrow_fix_first(part, doc, lambda f: f["indicator"].split(".")[0] == component)
    part.pop("trend", None)
    return part
