"""One scan: walk the share, match names, learn facts about matched files, evaluate.

The only module that touches the evidence tree for a scan, and only to read it.
Files that match no evidence are never stat-ed or opened: on a 100,000-file
share most files are not evidence, and the scan should cost about what `find` does.
Matched files are judged by content (facts.py): in worker processes, once per
version of the file.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from zi_audit.errors import ZiAuditError
from zi_audit.evaluate.statuses import evaluate
from zi_audit.inspection.facts import Candidate, ContentInspector
from zi_audit.i18n import t
from zi_audit.walk.ignore import IgnoreRules
from zi_audit.match.matcher import Matcher
from zi_audit.evaluate.model import FileFacts, Report
from zi_audit.rules.plan import RuleSet
from zi_audit.state.paths import prepare_state_dir
from zi_audit.match.suggest import Suggester
from zi_audit.timezones import WIB
from zi_audit.walk.walker import Walker, WalkProblem
from zi_audit.inspection.workers import DEFAULT_TIMEOUT

# Unmatched files of evidence types get a suggested indicator; past this many, the report
# says how many more there are instead (a mis-set root can leave tens of thousands).
MAX_SUGGESTIONS = 2000

# Turns the matched files into facts: from names alone, or by judging their content.
Inspector = Callable[[Iterable[Candidate]], dict[str, FileFacts]]


@dataclass
class ScanOptions:
    as_of: dt.date
    ignore_file: Path | None = None
    lang: str = "id"
    tz: dt.tzinfo = WIB
    state: Path | None = None  # None: the user's data directory
    jobs: int | None = None
    timeout: float = DEFAULT_TIMEOUT


def run_scan(
    root: Path,
    rules: RuleSet,
    options: ScanOptions,
    *,
    inspect: Inspector | None = None,
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
    if inspect is None:
        inspect = ContentInspector(
            prepare_state_dir(options.state, root), options.jobs, options.timeout
        )
    matches: dict[str, list[str]] = defaultdict(list)
    candidates: list[Candidate] = []
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
            candidates.append(Candidate(rel, entry.path, st))
            for item in items:
                matches[item.key].append(rel)
        if progress is not None:
            progress(walker.folders_seen, walker.files_seen)

    suggester = Suggester(rules)
    accepted = frozenset().union(*(e.types for e in rules.evidence()))
    suggestions = {}
    for rel in unmatched:
        if len(suggestions) >= MAX_SUGGESTIONS:
            break
        if rel.rpartition(".")[2].lower() in accepted and (s := suggester.suggest(rel)) is not None:
            suggestions[rel] = (s.indicator, s.evidence.key, s.score)
    facts = inspect(candidates)
    stats = {"matched": len(candidates), **getattr(inspect, "stats", {})}
    report = evaluate(
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
    report.stats.update(stats)
    report.suggestions.update(suggestions)
    return report
