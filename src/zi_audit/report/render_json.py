"""The JSON report: the report document as it is (docs/json-report.md). Keys may be added,
never change meaning."""

from __future__ import annotations

import json

from zi_audit.report.schema import ReportDoc


def render(doc: ReportDoc) -> str:
    # Compact on purpose: with `indent`, CPython falls back to its pure-Python encoder,
    # three times slower on a big share. Pipe through `python -m json.tool` to read it.
    return json.dumps(doc, ensure_ascii=False) + "\n"
