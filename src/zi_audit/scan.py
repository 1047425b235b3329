"""One scan: walk the share, match names, learn facts about matched files, evaluate.

The only module that touches the evidence tree for a scan, and only to read it.
Files that match no evidence are never stat-ed or opened: on a 100,000-file
share most files are not evidence, and the scan should cost about what `find` does.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import ZiAuditError
from .evaluate import WIB, evaluate
from .i18n import t
from .ignore import IgnoreRules
from .matching import Matcher
from .model import FileFacts, Report
from .rules import RuleSet
from .walk import Walker, WalkProblem

# Given a file's absolute path and its stat, say what it is worth as evidence.
Inspector = Callable[[str, os.stat_result], FileFacts]


def basic_facts(path: str, st: os.stat_result) -> FileFacts:
    """Without opening the file: an empty file is never valid evidence."""
    if st.st_size == 0:
        return FileFacts(st.st_size, st.st_mtime, valid=False, problems=("empty",))
    return FileFacts(st.st_size, st.st_mtime)


@dataclass
class ScanOptions:
    as_of: dt.date
    ignore_file: Path | None = None
    lang: str = "id"
    tz: dt.tzinfo = WIB


def today_wib() -> dt.date:
    return dt.datetime.now(WIB).date()


def run_scan(
    root: Path,
    rules: RuleSet,
    options: ScanOptions,
    *,
    inspect: Inspector = basic_facts,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    if not root.is_dir():
        raise ZiAuditError(t("error.not_a_folder", options.lang, path=root))
    try:
        ignore = IgnoreRules.for_root(root, options.ignore_file)
    except FileNotFoundError:
        raise ZiAuditError(t("error.ignore_file", options.lang, path=options.ignore_file)) from None
    walker = Walker(root, ignore)
    matcher = Matcher(rules)
    matches: dict[str, list[str]] = defaultdict(list)
    facts: dict[str, FileFacts] = {}
    unmatched: list[str] = []
    problems: list[WalkProblem] = []

    for folder in walker.walk():
        state = matcher.enter_dir(folder.rel)
        for entry in folder.files:
            rel = f"{folder.rel}/{entry.name}" if folder.rel else entry.name
            items = matcher.match_file(state, entry.name)
            if not items:
                unmatched.append(rel)
                continue
            try:
                st = entry.stat()
            except FileNotFoundError:
                problems.append(WalkProblem(rel, "vanished"))
                continue
            except OSError as exc:
                problems.append(WalkProblem(rel, "unreadable", exc.strerror or ""))
                continue
            facts[rel] = inspect(entry.path, st)
            for item in items:
                matches[item.key].append(rel)
        if progress is not None:
            progress(walker.folders_seen, walker.files_seen)

    return evaluate(
        rules,
        matches,
        facts,
        options.as_of,
        root=str(root),
        folders=matcher.folders,
        unmatched=unmatched,
        problems=[*walker.problems, *problems],
        files_seen=walker.files_seen,
        tz=options.tz,
    )
