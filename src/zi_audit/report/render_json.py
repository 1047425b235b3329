"""The JSON report: the report document as it is (docs/json-report.md). Keys may be added,
never change meaning."""

from __future__ import annotations

import json
from collections.abc import Iterator

from zi_audit.core.schema import ReportDoc

# Past this many unmatched files the JSON is written in pieces: on a 100,000-file share
# the list is 80,000 paths, and one string for all of it (built from a list of parts)
# held 45 MB at once.
_PIECES_FROM = 5000
_BATCH = 2000
_KEY = '"unmatched_files": []'


def render(doc: ReportDoc) -> str:
    # Compact on purpose: with `indent`, CPython falls back to its pure-Python encoder,
    # three times slower on a big share. Pipe through `python -m json.tool` to read it.
    return "".join(pieces(doc))


def pieces(doc: ReportDoc) -> Iterator[str]:
    """The same text as `json.dumps(doc) + "\\n"`, in pieces of a few hundred kB."""
    files = doc["unmatched_files"]
    if len(files) < _PIECES_FROM:
        yield json.dumps(doc, ensure_ascii=False) + "\n"
        return
    rest = json.dumps({**doc, "unmatched_files": []}, ensure_ascii=False)
    at = rest.index(_KEY)  # top-level keys are unique; no nested object has this one
    yield rest[:at] + '"unmatched_files": ['
    for start in range(0, len(files), _BATCH):
        batch = json.dumps(files[start : start + _BATCH], ensure_ascii=False)[1:-1]
        yield (", " if start else "") + batch
    yield "]" + rest[at + len(_KEY) :] + "\n"
