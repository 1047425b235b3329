"""One scan, built once per run and reused: rules and options in, a report out.

walk (read-only) -> match names -> stat and judge matched files -> evaluate -> Report.
`zi-audit scan`, the nightly run, `watch` and `explain` all go through a `Pipeline`, so
they see the same files the same way. Files that match no evidence are never stat-ed or
opened: on a 100,000-file share most files are not evidence, and the scan should cost
about what `find` does. Matched files are judged by content in worker processes, once
per version of the file (inspection/facts.py).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from zi_audit.errors import ZiAuditError
from zi_audit.evaluate.model import FileFacts, Report
from zi_audit.evaluate.statuses import evaluate
from zi_audit.i18n import t
from zi_audit.inspection.facts import Candidate, ContentInspector
from zi_audit.inspection.workers import DEFAULT_TIMEOUT
from zi_audit.match.matcher import Matcher
from zi_audit.match.suggest import Suggester
from zi_audit.rules.model import RuleSet
from zi_audit.state import suggestions
from zi_audit.state.paths import StateDir, prepare_state_dir
from zi_audit.timezones import today
from zi_audit.walk.ignore import IgnoreRules
from zi_audit.walk.walker import Walker, WalkProblem

# Unmatched files of evidence types get a suggested indicator; past this many, the report
# says how many more there are instead (a mis-set root can leave tens of thousands).
MAX_SUGGESTIONS = 2000

# Turns the matched files into facts: from names alone, or by judging their content.
Inspector = Callable[[Iterable[Candidate]], dict[str, FileFacts]]
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ScanOptions:
    as_of: dt.date | None = None  # None: today in the plan's time zone, at each run
    ignore_file: Path | None = None
    lang: str = "id"
    jobs: int | None = None  # worker processes; None: one per core
    timeout: float = DEFAULT_TIMEOUT


class Pipeline:
    """The parts of a scan that are worth building once: the matcher's compiled patterns
    and name memo, the suggester's index, the verdict cache's inspector."""

    def __init__(
        self,
        root: Path,
        rules: RuleSet,
        options: ScanOptions,
        *,
        state: StateDir | None = None,
        inspect: Inspector | None = None,
        busy_wait: float = 30.0,
    ) -> None:
        """`busy_wait`: how long to wait for a verdict cache another run is writing; a
        reader such as explain waits briefly, then works without it."""
        self.root, self.rules, self.options = root, rules, options
        self.matcher = Matcher(rules)
        self._suggester: Suggester | None = None
        if inspect is None:
            state = state or prepare_state_dir(None, root)
            inspect = ContentInspector(
                state.cache, options.jobs, options.timeout, busy_wait=busy_wait
            )
        self.state = state  # None only where the caller judges files itself (tests)
        self.inspect = inspect
        self._types = frozenset().union(*(e.types for e in rules.evidence()))

    def as_of(self) -> dt.date:
        return self.options.as_of or today(self.rules.zone)

    def _ignore(self) -> IgnoreRules:
        try:
            return IgnoreRules.for_root(self.root, self.options.ignore_file)
        except FileNotFoundError:
            raise ZiAuditError(
                t("error.ignore_file", self.options.lang, path=self.options.ignore_file)
            ) from None

    def run(self, progress: Progress | None = None) -> Report:
        if not self.root.is_dir():
            raise ZiAuditError(t("error.not_a_folder", self.options.lang, path=self.root))
        walker = Walker(self.root, self._ignore())
        matcher = self.matcher
        matcher.new_walk()
        matches: dict[str, list[str]] = defaultdict(list)
        candidates: list[Candidate] = []
        unmatched: list[str] = []
        homes: dict[str, str] = {}  # unmatched file -> the indicator whose folder it is in
        problems: list[WalkProblem] = []

        for folder in walker.walk():
            state = matcher.enter_dir(folder.rel)
            for entry in folder.files:
                rel = f"{folder.rel}/{entry.name}" if folder.rel else entry.name
                if entry.name[:1].isdigit():  # `1.i.a …`: does the name's id fit its folder?
                    conflict = matcher.layout.conflict(state.context, entry.name)
                    if conflict is not None:  # the folder wins; say so
                        problems.append(WalkProblem(rel, "id_conflict", " → ".join(conflict)))
                items = matcher.match_file(state, entry.name)
                if not items:
                    unmatched.append(rel)
                    if state.context.indicator is not None:
                        homes[rel] = state.context.indicator
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

        facts = self.inspect(candidates)
        as_of = self.as_of()
        return Report(
            rules=self.rules,
            root=str(self.root),
            as_of=as_of,
            indicators=evaluate(self.rules, matches, facts, as_of, matcher.folders),
            unmatched=tuple(unmatched),
            problems=(*walker.problems, *problems),
            files_seen=walker.files_seen,
            stats={"matched": len(candidates), **getattr(self.inspect, "stats", {})},
            suggestions=self._suggest(unmatched, homes),
        )

    def _suggest(
        self, unmatched: list[str], homes: dict[str, str]
    ) -> dict[str, tuple[str, str, float]]:
        """Likely homes of unmatched files: from the last run's answers where the rules
        are the same (state/suggestions.py), computed only for names not seen before."""
        memo_path = self.state.suggestions if self.state is not None else None
        print_ = suggestions.fingerprint(self.rules)
        memo = suggestions.load(memo_path, print_) if memo_path else {}
        kept: dict[str, suggestions.Suggestion | None] = {}
        out: dict[str, tuple[str, str, float]] = {}
        for rel in unmatched:
            if len(out) >= MAX_SUGGESTIONS:
                break
            if rel.rpartition(".")[2].lower() not in self._types:
                continue
            if rel in memo:
                found = memo[rel]
            else:
                if self._suggester is None:
                    self._suggester = Suggester(self.rules)
                s = self._suggester.suggest(rel, homes.get(rel))
                found = None if s is None else (s.indicator, s.evidence.key, s.score)
            kept[rel] = found
            if found is not None:
                out[rel] = found
        if memo_path is not None and kept != memo:
            suggestions.save(memo_path, print_, kept)
        return out
