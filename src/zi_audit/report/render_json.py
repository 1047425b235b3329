"""The JSON report: the report document as it is (docs/json-report.md). Keys may be added,
never change meaning."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from zi_audit.core.schema import ReportDoc, Written

# Past this many entries the JSON is written in pieces: on a 100,000-file share the
# unmatched list is 80,000 paths and the indicators hold 18,000 files, and one string for
# all of it (and its bytes) held 45 MB at once.
_PIECES_FROM = 5000
_BATCH = 2000
_STREAMED = ("indicators", "unmatched_files")


def render(doc: ReportDoc) -> str:
    # Compact on purpose: with `indent`, CPython falls back to its pure-Python encoder,
    # three times slower on a big share. Pipe through `python -m json.tool` to read it.
    return "".join(pieces(doc))


def pieces(doc: ReportDoc) -> Iterator[str]:
    """The same text as `json.dumps(doc) + "\\n"`, in pieces of a few hundred kB: the two
    long lists are written a batch at a time where a marker stands for them."""
    # A kept fragment is written as its text, always: its dict may be its head only
    # (evaluate/model.py, KeptIndicator).
    kept = any(type(ind) is Written for ind in doc.get("indicators", ()))
    if not kept and len(doc.get("unmatched_files", ())) + sum(_files(doc)) < _PIECES_FROM:
        yield json.dumps(doc, ensure_ascii=False) + "\n"
        return
    # A marker holds each list's place; no path or name holds NUL.
    marks = {key: f"\0zi-audit:{key}\0" for key in _STREAMED if key in doc}
    rest = json.dumps({**doc, **marks}, ensure_ascii=False)
    tokens = sorted(
        (rest.index(json.dumps(mark)), key, json.dumps(mark)) for key, mark in marks.items()
    )
    done = 0
    for at, key, token in tokens:
        items: list[Any] = doc[key]  # type: ignore[literal-required]
        yield rest[done:at] + "["
        batch = 1 if key == "indicators" else _BATCH
        for start in range(0, len(items), batch):
            first = items[start]
            if batch == 1 and type(first) is Written:  # a kept fragment, as it was written
                text = first.text
            else:
                text = json.dumps(items[start : start + batch], ensure_ascii=False)[1:-1]
            yield (", " if start else "") + text
        yield "]"
        done = at + len(token)
    yield rest[done:] + "\n"


def _files(doc: ReportDoc) -> Iterator[int]:
    for ind in doc.get("indicators", ()):
        for ev in ind["evidence"]:
            yield len(ev["files"])
