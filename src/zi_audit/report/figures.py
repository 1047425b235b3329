"""The headline figures of a report: counted here, from the indicators they describe, and
nowhere else (report/document.py builds them into the document; report/narrow.py counts
them again for an owner's part)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from zi_audit.core.schema import ComponentDoc, DueSoonDoc, FileDoc, IndicatorDoc, SummaryDoc
from zi_audit.core.statuses import (
    COMPLETE,
    GAP_STATUSES,
    SOON_DAYS,
    SOON_LEVELS,
    STATUSES,
    UNPLANNED,
)


def due_soon(indicators: list[IndicatorDoc], as_of: dt.date) -> list[DueSoonDoc]:
    out: list[DueSoonDoc] = []
    for ind in indicators:
        for ev in ind["evidence"]:
            deadline = dt.date.fromisoformat(ev["deadline"])
            left = (deadline - as_of).days
            if ev["status"] == "pending" and 0 <= left <= SOON_DAYS:
                out.append(
                    {
                        "indicator": ind["id"],
                        "key": ev["key"],
                        "name": ev["name"],
                        "deadline": ev["deadline"],
                        "days_left": left,
                        "level": next(n for n in SOON_LEVELS if left <= n),
                        "folder": ev["expected"]["folder"],
                        "patterns": [*ev["expected"]["patterns"], *ev["expected"]["in_folder"]],
                    }
                )
    return sorted(out, key=lambda d: (d["deadline"], d["key"]))


def summarise(
    indicators: Sequence[IndicatorDoc], due_soon: Sequence[DueSoonDoc], invalid: int | None = None
) -> SummaryDoc:
    """Every headline figure, from the indicators they describe: the one place they are
    counted. `invalid`: the invalid files, where the indicators come without their files."""
    by_status = dict.fromkeys(STATUSES, 0)
    for ind in indicators:
        by_status[ind["status"]] += 1
    return {
        "indicators": len(indicators),
        "by_status": by_status,
        "complete": sum(by_status[s] for s in COMPLETE),
        "planned": len(indicators) - sum(by_status[s] for s in UNPLANNED),
        "gaps": sum(
            1 for ind in indicators for ev in ind["evidence"] if ev["status"] in GAP_STATUSES
        ),
        "invalid_files": len(invalid_paths(indicators)) if invalid is None else invalid,
        "due_soon": len(due_soon),
    }


def components(
    indicators: Sequence[IndicatorDoc], names: Sequence[tuple[str, str]]
) -> list[ComponentDoc]:
    out: list[ComponentDoc] = []
    for ident, name in names:
        planned = [
            i for i in indicators if i["component"] == ident and i["status"] not in UNPLANNED
        ]
        done = sum(1 for i in planned if i["status"] in COMPLETE)
        out.append({"id": ident, "name": name, "done": done, "planned": len(planned)})
    return out


def invalid_paths(indicators: Sequence[IndicatorDoc]) -> dict[str, FileDoc]:
    seen: dict[str, FileDoc] = {}
    for ind in indicators:
        for ev in ind["evidence"]:
            for f in ev["files"]:
                if not f["valid"]:
                    seen.setdefault(f["path"], f)
    return seen
