"""Suggestions for unmatched files, kept between runs: the same names, the same rules, the
same answer. Recomputing them was 40% of a nightly rescan of an unchanged share.

Valid only for the rules (and zi-audit version) that made them: a fingerprint of both is
stored with them, and anything else starts afresh. Lost or damaged, they are recomputed.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from zi_audit.state.fingerprint import fingerprint
from zi_audit.util.atomic import atomic_write

__all__ = ["Suggestion", "fingerprint", "load", "save"]

Suggestion = tuple[str, str, float]  # (indicator, item key, score)


def load(path: Path, print_: str) -> dict[str, Suggestion | None]:
    """Path -> suggestion (None: none found), as the last run with these rules left them."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("fingerprint") != print_:
            return {}
        return {
            p: (None if s is None else (str(s[0]), str(s[1]), float(s[2])))
            for p, s in data["entries"].items()
        }
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
        return {}


def save(path: Path, print_: str, entries: dict[str, Suggestion | None]) -> None:
    # ensure_ascii keeps names that are not UTF-8 (surrogate escapes) round-tripping.
    text = json.dumps({"fingerprint": print_, "entries": entries}, ensure_ascii=True)
    # Only a memo: a full disk costs a recomputation, and so does a crash that leaves
    # it empty (not waited for on the disk: two syncs every night it changes).
    with contextlib.suppress(OSError):
        atomic_write(path, text, private=True, durable=False)
