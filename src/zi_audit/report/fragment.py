"""An indicator's report fragment written as text with each file's part put in whole.

A rescan that must compute an indicator again because one of its 5,000 files changed
still has the other 4,999 files' parts as the last scan wrote them (state/filememo.py):
they are put into the new fragment as text, neither rebuilt as dicts nor encoded again.
The text is the one `json.dumps(indicator_doc(res), ensure_ascii=False)` writes, byte
for byte: the JSON report writes fragments as they are kept (core/schema.py, Written).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from itertools import accumulate, chain
from operator import add
from typing import Any, cast

from zi_audit.core.schema import FileDoc, IndicatorDoc
from zi_audit.evaluate.model import FileResult, IndicatorResult, ItemResult
from zi_audit.report.document import file_doc, indicator_doc

# Encodes as `json.dumps(..., ensure_ascii=False)` does, without its wrapper per call:
# a first scan encodes each of 18,000 files' parts on its own.
_encode = json.JSONEncoder(ensure_ascii=False).encode


def file_text(f: FileResult) -> str:
    """A file's part as the report writes it."""
    return _encode(file_doc(f))


def part_text(part: FileDoc) -> str:
    """A file's part built already (file_doc), as the report writes it."""
    return _encode(part)


def _marker(n: int) -> str:
    return f"\0zi-audit:files:{n}\0"  # no path, name or rule text holds NUL


def _parts(item: ItemResult) -> list[str]:
    return [file_text(f) for f in item.files]


def indicator_text(
    res: IndicatorResult, parts: Callable[[ItemResult], list[str]] = _parts
) -> tuple[str, list[int], IndicatorDoc]:
    """The fragment's text, where each file's part begins and ends in it (a flat list,
    start and end of each file in the order of the items and their files), and its head
    (the fragment with its items' file lists empty: evaluate/model.py, KeptIndicator).
    `parts`: an item's files' parts as text (kept or made). An item's parts are joined,
    and their places summed, in one call each: 15,000 files a changed night."""
    doc = cast(dict[str, Any], indicator_doc(res, files=False))
    for n, item in enumerate(doc["evidence"]):
        item["files"] = _marker(n)
    text = _encode(doc)
    out: list[str] = []
    spans: list[int] = []
    size = done = 0
    for n, item in enumerate(res.items):
        mark = _encode(_marker(n))
        at = text.index(mark, done)
        out.append(text[done:at] + "[")
        size += at - done + 1
        pieces = parts(item)
        if pieces:
            lengths = list(map(len, pieces))
            # Each part begins two characters (", ") after the one before it ends.
            starts = list(accumulate([length + 2 for length in lengths[:-1]], initial=size))
            spans += chain.from_iterable(zip(starts, map(add, starts, lengths), strict=True))
            size = starts[-1] + lengths[-1]
            out.append(", ".join(pieces))
        out.append("]")
        size += 1
        done = at + len(mark)
    out.append(text[done:])
    for item in doc["evidence"]:
        item["files"] = []
    return "".join(out), spans, cast(IndicatorDoc, doc)
