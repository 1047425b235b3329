"""Reading a report document back from the state directory (last-report.json).

Checked enough that no renderer trips on it: a file from another version, a damaged one,
or `{}` gives one message naming the file, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, cast

from zi_audit.core.errors import ZiAuditError
from zi_audit.core.schema import ReportDoc

_REQUIRED: dict[str, type | tuple[type, ...]] = {
    "as_of": str,
    "root": str,
    "summary": dict,
    "indicators": list,
    "unmatched_files": list,
    "unmatched": list,
    "problems": list,
    "plan": dict,
    "components": list,
    "due_soon": list,
}


def read(text: str, source: str) -> ReportDoc:
    """A report document read back from disk, checked enough that no renderer trips on it."""
    try:
        data: Any = json.loads(text)
    except ValueError as exc:
        raise ZiAuditError(f"{source}: not a zi-audit report ({exc})") from None
    if not isinstance(data, dict):
        raise ZiAuditError(f"{source}: not a zi-audit report (expected an object)")
    for key, kind in _REQUIRED.items():
        if not isinstance(data.get(key), kind):
            raise ZiAuditError(
                f"{source}: not a report this zi-audit can read ('{key}' is missing or wrong); "
                "run zi-audit scan again"
            )
    try:
        dt.date.fromisoformat(data["as_of"])
        for ind in data["indicators"]:
            for ev in ind["evidence"]:
                ev["deadline"], ev["expected"]["folder"], ev["files"]
        summary = data["summary"]
        summary["complete"], summary["planned"], summary["by_status"]
    except (KeyError, TypeError, ValueError):
        raise ZiAuditError(
            f"{source}: written by another zi-audit version or damaged; run zi-audit scan again"
        ) from None
    return cast(ReportDoc, data)
