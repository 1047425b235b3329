"""One scan, built once per run and reused: rules and options in, a report out.

walk (read-only) -> match names -> stat and judge matched files -> evaluate -> Report.
A folder unchanged since the last scan is neither listed nor matched again: its names
and matches come from the memo (state/listing.py), one `stat` of the folder standing
for them.
`zi-audit scan`, the nightly run, `watch` and `explain` all go through a `Pipeline`, so
they see the same files the same way. Files that match no evidence are never stat-ed or
opened: on a 100,000-file share most files are not evidence, and the scan should cost
about what `find` does. Matched files are judged by content in worker processes, once
per version of the file (inspection/facts.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from zi_audit.core.errors import ZiAuditError
from zi_audit.core.facts import FileFacts
from zi_audit.core.problems import WalkProblem
from zi_audit.evaluate.model import FolderPaths, Outcome, Report
from zi_audit.evaluate.statuses import EvaluationMemo, evaluate, mark_unreadable
from zi_audit.i18n import t
from zi_audit.inspection.cache import forget_gone
from zi_audit.inspection.facts import Candidate, ContentInspector
from zi_audit.inspection.table import FactsTable, as_table
from zi_audit.inspection.workers import DEFAULT_TIMEOUT
from zi_audit.match.matcher import Matcher
from zi_audit.match.suggest import Suggester
from zi_audit.pipeline.walking import Progress as Progress
from zi_audit.pipeline.walking import ScanWalk, cached_figures
from zi_audit.rules.model import RuleSet
from zi_audit.state import suggestions
from zi_audit.state.fingerprint import fingerprint
from zi_audit.state.kept import Counts, keep_or_evaluate
from zi_audit.state.listing import Listing
from zi_audit.state.paths import StateDir, prepare_state_dir
from zi_audit.state.seal import Settled, Stamps, settled_stamps
from zi_audit.util.ahead import ahead
from zi_audit.util.textnorm import extension
from zi_audit.util.timezones import today
from zi_audit.walk.ignore import IgnoreRules
from zi_audit.walk.mounts import folder_times_kept, mount_of
from zi_audit.walk.walker import Walker

# Unmatched files of evidence types get a suggested indicator; past this many, the report
# says how many more there are instead (a mis-set root can leave tens of thousands).
MAX_SUGGESTIONS = 2000

# Turns the matched files into facts: from names alone, or by judging their content.
Inspector = Callable[[Iterable[Candidate]], Mapping[str, FileFacts]]
OCR_BUDGET = 120.0  # seconds of OCR per run by default: a few scans, not a night's worth


class ScanOptions(NamedTuple):
    as_of: dt.date | None = None  # None: today in the plan's time zone, at each run
    ignore_file: Path | None = None
    lang: str = "id"
    jobs: int | None = None  # worker processes; None: one per core
    timeout: float = DEFAULT_TIMEOUT
    # Seconds of OCR a run may spend on scans' words; None: $ZI_AUDIT_OCR_BUDGET, else 120.
    ocr_budget: float | None = None

    def ocr_seconds(self) -> float:
        if self.ocr_budget is not None:
            return self.ocr_budget
        with contextlib.suppress(ValueError):
            return max(0.0, float(os.environ.get("ZI_AUDIT_OCR_BUDGET", OCR_BUDGET)))
        return OCR_BUDGET


_COUNTED = ("evaluated", "decoded", "reused", "settled", "rows_read")  # stats as counted


class WalkCounts(NamedTuple):
    """What the last run of a pipeline had to redo: tests count these, not seconds."""

    folders: int = 0
    listed: int = 0  # folders listed again (the rest were taken from the memo)
    files: int = 0
    rematched: int = 0  # names matched against the rules again
    evaluated: int = 0  # indicators evaluated again (the rest kept their last result)
    decoded: int = 0  # stored verdicts decoded (the rest were never read)
    located: int = 0  # folders placed in the layout again (the rest: from the memo)
    reused: int = 0  # files of those evaluated whose results were the last scan's
    settled: int = 0  # matched files as the last settled scan left them: not looked up
    rows_read: int = 0  # kept file results read back one by one (runs taken whole are not)


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
        keep_results: bool = False,
    ) -> None:
        """`busy_wait`: how long to wait for a verdict cache another run is writing (explain
        waits briefly). `keep_results`: unchanged indicators' fragments from the state
        directory (state/results.py), without facts (scan needs none; watch, explain do)."""
        self.root, self.rules, self.options = root, rules, options
        self._suggester: Suggester | None = None
        if inspect is None:
            state = state or prepare_state_dir(None, root)
            inspect = ContentInspector(
                state.cache,
                options.jobs,
                options.timeout,
                busy_wait=busy_wait,
                ocr_budget=options.ocr_seconds(),
                lazy=keep_results,
            )
        self.state = state  # None only where the caller judges files itself (tests)
        self.inspect = inspect
        self._types = frozenset().union(*(e.types for e in rules.evidence()))
        self._memo: Listing | None = None
        # Folder times are believed except on file systems known to keep them badly.
        self.trust_folder_times = folder_times_kept(mount_of(root))
        self.last_walk = WalkCounts()
        self._evaluation = EvaluationMemo()
        self.keep_results = keep_results and state is not None
        # What the last run saw (whole: if nothing in it was unsettled, state/seal.py).
        self.stamps: Stamps | None = None
        self._transient: set[str] = set()  # files whose verdicts hold for this run only
        # Matched files as the last settled scan left them, for the next run only
        # (app/standing.py sets it where a kept report no longer holds).
        self.settled: Settled | None = None
        # Whether kept indicators come with their files' rows: the history records them,
        # a run that records none leaves them on disk (app/nightly.py says which).
        self.kept_rows = True

    @functools.cached_property
    def matcher(self) -> Matcher:  # compiled when first used: a kept report uses none
        return Matcher(self.rules)

    def prepare(self) -> None:
        """Files will be judged soon (a changed night): start the judges now, while the
        scan goes on (inspection/workers.py, `prepare`)."""
        prepare = getattr(self.inspect, "prepare", None)
        if prepare is not None:
            prepare()

    def as_of(self) -> dt.date:
        return self.options.as_of or today(self.rules.zone)

    def _ignore(self) -> IgnoreRules:
        try:
            return IgnoreRules.for_root(self.root, self.options.ignore_file)
        except FileNotFoundError:
            raise ZiAuditError(
                t("error.ignore_file", self.options.lang, path=self.options.ignore_file)
            ) from None

    def fingerprint(self) -> str:  # what the memos are valid for: rules and ignore files
        return fingerprint(self.rules, self._ignore().text)

    def _listing(self, ignore: IgnoreRules) -> Listing:
        """The last scan's folders, if they were seen under these rules and ignores."""
        print_ = fingerprint(self.rules, ignore.text)
        if self._memo is None or self._memo.fingerprint != print_:
            path = self.state.listing if self.state is not None else None
            self._memo = Listing(path, os.path.realpath(self.root), print_)
        return self._memo

    def run(self, progress: Progress | None = None, relist: Iterable[str] = ()) -> Report:
        """`relist`: root-relative folders to list even if their time says they are as
        they were (watch passes the folders its events named)."""
        if not self.root.is_dir():
            raise ZiAuditError(t("error.not_a_folder", self.options.lang, path=self.root))
        ignore = self._ignore()
        memo = self._listing(ignore)
        trust = memo.records if self.trust_folder_times else {}
        walker = Walker(self.root, ignore, trust, frozenset(relist))
        self.matcher.new_walk()
        settled, self.settled = self.settled if self.keep_results else None, None
        walk = ScanWalk(self.matcher, walker, memo.records, progress, settled)
        walk.stamped = ([], []) if self.keep_results else None
        # A first scan (no memo of this root yet) has thousands of files to judge: walk
        # in a thread of its own so that the workers are fed while it goes on. A rescan
        # has few, and the hand-over between threads would cost it 10%.
        candidates = (
            ahead(walk.candidates(), walk.cancel) if not memo.records else walk.candidates()
        )
        try:
            facts = as_table(self.inspect(candidates))
        finally:
            candidates.close()  # an interrupted scan stops its walk now, not when collected
        self._transient = set(getattr(self.inspect, "unsettled", ()))  # _look_up may add
        waiting = frozenset(getattr(self.inspect, "waiting", ()))  # for OCR: never settled
        self._remember(memo, walk, (*walker.problems, *walk.problems))
        as_of = self.as_of()
        digests = dict(settled.digests) if settled is not None else {}
        indicators, done = self._evaluate(walk.matches, facts, as_of, walker.problems, digests)
        problems = (*walker.problems, *walk.problems)
        stamped = walk.stamped if self.trust_folder_times else None
        self.stamps = stamped and settled_stamps(
            walk.records, stamped, problems, self._transient, digests, waiting
        )
        self.last_walk = counts = WalkCounts(
            walker.folders_seen, walker.folders_listed, walker.files_seen, walk.rematched,
            done.evaluated, facts.decoded, self.matcher.located, done.reused, walk.settled,
            done.rows_read,
        )  # fmt: skip
        return Report(
            rules=self.rules,
            root=str(self.root),
            as_of=as_of,
            indicators=indicators,
            unmatched=walk.unmatched,
            problems=problems,
            files_seen=walker.files_seen,
            stats={
                "matched": walk.matched,
                **cached_figures(getattr(self.inspect, "stats", {}), walk.settled),
                "folders": counts.folders,
                "folders_listed": counts.listed,
                "names_matched": counts.rematched,
                **{k: getattr(counts, k) for k in _COUNTED},
            },
            suggestions=self._suggest(walk.unmatched, walk.homes),
        )

    def _remember(self, memo: Listing, walk: ScanWalk, problems: Sequence[WalkProblem]) -> None:
        """The folder memo brought up to date, and the verdicts of files that left the
        folders listed again forgotten (not when some folder could not be read)."""
        if self.state is not None and (walk.changed or walk.records.keys() != memo.records.keys()):
            if not any(p.code != "id_conflict" for p in problems):
                now = {rel: walk.records[rel].files for rel in walk.changed}
                gone = memo.records.keys() - walk.records.keys()  # a folder not read is not gone
                forget_gone(self.state.cache, str(self.root), now, gone)
            memo.save(walk.records, walk.changed)
        else:
            memo.records = walk.records

    def _evaluate(
        self,
        matches: Mapping[str, Sequence[str]],
        facts: FactsTable,
        as_of: dt.date,
        problems: Iterable[WalkProblem],
        digests: dict[str, str],
    ) -> tuple[tuple[Outcome, ...], Counts]:
        """Every indicator's result and the work it took: kept from the last scan
        where nothing they depend on moved (state/kept.py), else from the in-process memo.
        `digests`: the matched files' verdicts' digests, those known (the settled files')
        and, on return, those the evaluation made (a settled scan's seal keeps them)."""
        blind = self._blind(problems)
        folders = self.matcher.folders
        if self.keep_results:
            assert self.state is not None and self._memo is not None
            return keep_or_evaluate(
                self.state.results,
                os.path.realpath(self.root),
                self._memo.fingerprint,
                self.rules,
                (matches, facts, folders),
                as_of,
                blind,
                (self._look_up, self._rejudge),
                digests,
                self.kept_rows,
            )
        memo = self._evaluation
        indicators = evaluate(self.rules, matches, facts, as_of, folders, memo)
        return mark_unreadable(indicators, blind), Counts(memo.evaluated, 0, 0)

    def _rejudge(self, rels: Sequence[str]) -> Mapping[str, FileFacts]:
        """Judge again the files whose stored verdicts no longer decode."""
        forget = getattr(self.inspect, "forget", None)
        if forget is not None:
            forget(rels)
        return self._look_up(rels)

    def _look_up(self, rels: Sequence[str]) -> Mapping[str, FileFacts]:
        """The facts of files the walk did not hand on (settled ones an indicator computed
        again needs): from the cache, or judged where it has none. The run's figures stay
        the walk's: these files were counted there (as settled, or as found)."""
        candidates = []
        for rel in rels:
            path = os.path.join(self.root, rel)
            with contextlib.suppress(OSError):
                candidates.append(Candidate(rel, path, os.stat(path)))
        stats = getattr(self.inspect, "stats", {})
        before = {k: stats[k] for k in ("cached", "ocr", "ocr_waiting") if k in stats}
        try:
            return self.inspect(candidates)
        finally:
            stats.update(before)
            self._transient.update(getattr(self.inspect, "unsettled", ()))

    def _suggest(
        self, unmatched: FolderPaths, homes: dict[str, str]
    ) -> dict[str, tuple[str, str, float]]:
        """Likely homes of unmatched files (`homes`: folder -> its indicator): the last
        run's answers where the rules are the same (state/suggestions.py), computed only for
        names not seen before. Only names of evidence types are made into paths."""
        memo_path = self.state.suggestions if self.state is not None else None
        print_ = suggestions.fingerprint(self.rules)
        memo = suggestions.load(memo_path, print_) if memo_path else {}
        kept: dict[str, suggestions.Suggestion | None] = {}
        out: dict[str, tuple[str, str, float]] = {}
        types = self._types
        candidates = (
            prefix + name
            for prefix, names in unmatched.parts()
            for name in names
            if extension(name) in types
        )
        for rel in candidates:
            if len(out) >= MAX_SUGGESTIONS:
                break
            if rel in memo:
                found = memo[rel]
            else:
                if self._suggester is None:
                    self._suggester = Suggester(self.rules)
                s = self._suggester.suggest(rel, homes.get(rel.rpartition("/")[0]))
                found = None if s is None else (s.indicator, s.evidence.key, s.score)
            kept[rel] = found
            if found is not None:
                out[rel] = found
        if memo_path is not None and kept != memo:
            suggestions.save(memo_path, print_, kept)
        return out

    def _blind(self, problems: Iterable[WalkProblem]) -> frozenset[str]:
        """The plan ids (component, area or indicator) of folders that could not be read."""
        blind = set()
        for p in problems:
            if p.code == "unreadable" and p.path:
                context = self.matcher.enter_dir(p.path).context
                ident = context.indicator or context.area or context.component
                if ident:
                    blind.add(ident)
        return frozenset(blind)
