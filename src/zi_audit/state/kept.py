"""Each indicator's result for a scan: kept from the last one where its key has not moved
(state/results.py), evaluated where it has, the store brought up to date.

What a kept indicator saves is the whole of its cost: its files' verdicts are never
decoded, nor their dates read from names, nor their slots filled. On a nightly rescan of
an unchanged share every indicator is kept; a changed file costs its indicators only,
and of those only itself is judged, dated and encoded: the other files' results and
report parts are the last scan's (state/filememo.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from zi_audit.core.facts import FileFacts
from zi_audit.evaluate.asof import open_as_of
from zi_audit.evaluate.model import IndicatorResult, KeptIndicator, Outcome
from zi_audit.evaluate.statuses import (
    evaluate_indicator,
    expected_folder,
    mark_unreadable,
    under_blind,
)
from zi_audit.inspection.table import FactsTable, as_table
from zi_audit.match.folders import folder_names
from zi_audit.rules.model import Indicator, RuleSet
from zi_audit.state.filememo import FileMemo, digest
from zi_audit.state.results import ResultStore, indicator_key, memo_base

# What the walk found: evidence key -> matched paths, their facts, and the team's own
# folders (indicator, area or component id -> root-relative folder).
Found = tuple[Mapping[str, Sequence[str]], FactsTable, Mapping[str, str]]


# Facts of files by root-relative path: (look up, judge again). The first serves files
# the walk did not hand on (settled ones); the second, files whose stored verdicts no
# longer decode.
Fetch = Callable[[Sequence[str]], Mapping[str, FileFacts]]


class Counts(NamedTuple):
    evaluated: int  # indicators computed again
    reused: int  # files of those whose results were taken from the last scan
    rows_read: int  # of those, the ones read back one by one (not in a run taken whole)


def keep_or_evaluate(
    store_path: Path,
    root: str,
    rules_print: str,
    rules: RuleSet,
    found: Found,
    as_of: dt.date,
    blind: frozenset[str],
    fetch: tuple[Fetch, Fetch],
    digests: dict[str, str],
    rows: bool = True,
) -> tuple[tuple[Outcome, ...], Counts]:
    """Results in the rules' order, and the work done (Counts). `blind`: ids
    whose folders could not be read (never kept: what they hold is unknown); `fetch`:
    facts for files not in `found`'s table, and for files whose stored verdicts no longer
    decode; `digests`: the verdicts' digests known before (settled files), to which those
    made here are added; `rows`: kept indicators' file rows read (the history's)."""
    matches, facts, _ = found
    store = ResultStore(store_path, root)
    try:
        run = _Evaluation(
            store, rules_print, rules, found, open_as_of(rules, as_of), fetch, digests
        )
        keys = {
            ind.id: run.key_of(ind)
            for ind in rules.indicators
            if not under_blind(ind.id, blind) and store.knows(ind.id)
        }
        held = {ident for ident, key in keys.items() if store.holds(ident, key)}
        # The verdicts of what is kept are not needed again: not held beside its fragments.
        facts.release(keep=_paths([i for i in rules.indicators if i.id not in held], matches))
        out: dict[str, Outcome] = {
            ind.id: got
            for ind in rules.indicators
            if ind.id in held and (got := store.get(ind, rows))
        }
        todo = [ind for ind in rules.indicators if ind.id not in out]
        fresh: dict[str, tuple[str, KeptIndicator, str, str]] = {}
        results: list[IndicatorResult] = []
        for ind in todo:
            if under_blind(ind.id, blind):  # what it holds is unknown: computed, never kept
                results.append(run.plain(ind))
                continue
            result, spans, runs = run.kept(ind)
            out[ind.id] = result
            # Saved under the key it was looked up by (made once), unless one of its files was
            # judged again on the way (its stamp moved).
            key = keys.get(ind.id)
            if key is None or not run.again.isdisjoint(_paths([ind], matches)):
                key = run.key_of(ind)
            fresh[ind.id] = (key, result, spans, runs)
        for res in mark_unreadable(results, blind):
            out[res.indicator.id] = res
        store.save(fresh, run.base)
    finally:
        store.close()
    return tuple(out[ind.id] for ind in rules.indicators), Counts(
        len(todo), run.reused, run.rows_read
    )


class _Evaluation:
    """What one scan evaluates indicators from, and the work it did."""

    def __init__(
        self,
        store: ResultStore,
        rules_print: str,
        rules: RuleSet,
        found: Found,
        judged_as_of: dt.date,
        fetch: tuple[Fetch, Fetch],
        digests: dict[str, str],
    ) -> None:
        """`digests`: the verdicts' digests known already (settled files), filled on."""
        self.store, self.rules_print, self.rules = store, rules_print, rules
        self.matches, self.facts, folders = found
        self.judged_as_of, self.fetch = judged_as_of, fetch
        layout = folder_names(rules)
        self.where = {ind.id: expected_folder(ind, folders, layout) for ind in rules.indicators}
        self.base = memo_base(rules_print)
        # Files whose facts were fetched during evaluation (looked up, or judged again where
        # the stored verdict was damaged): their indicators' keys are made again.
        self.again: set[str] = set()
        self.reused = self.rows_read = 0
        self.digests = digests

    def digest(self, rel: str) -> str:
        """A digest of the file's verdict as stored (its stamp), made once per run: the
        indicators' keys and the kept file results are both checked against it."""
        found = self.digests.get(rel)
        if found is None:
            if rel not in self.facts:
                self._readable({rel})
            found = self.digests[rel] = digest(self.facts.stamp(rel))
        return found

    def key_of(self, ind: Indicator) -> str:
        where = self.where[ind.id]
        return indicator_key(
            self.rules_print, ind, where, self.matches, self.digest, self.judged_as_of
        )

    def _readable(self, rels: set[str]) -> None:
        judged = _readable(self.facts, rels, self.fetch)
        for rel in judged:  # their stamps moved
            self.digests.pop(rel, None)
        self.again |= judged

    def plain(self, ind: Indicator) -> IndicatorResult:
        """Computed from every file's facts."""
        self._readable(_paths([ind], self.matches))
        return evaluate_indicator(
            self.rules, ind, self.matches, self.facts, self.judged_as_of, self.where[ind.id]
        )

    def kept(self, ind: Indicator) -> tuple[KeptIndicator, str, str]:
        """Computed with its files whose verdicts did not move taking their kept results
        (state/filememo.py), as the next scan may keep it: its fragment is written once,
        here. With where its files' parts lie in it and its runs (JSON), for the store."""
        memo = FileMemo(self.store.prior(ind.id, self.base))
        self._readable(memo.match(ind, self.matches, self.digest, self.digests))
        judge = memo.judge(self.facts, self.rules.year, self.rules.zone)
        res = evaluate_indicator(
            self.rules, ind, self.matches, self.facts, self.judged_as_of, self.where[ind.id], judge
        )
        kept = memo.fragment(res, self.digest)
        self.reused += memo.reused
        self.rows_read += memo.rows_read
        return kept


def _readable(facts: FactsTable, needed: set[str], fetch: tuple[Fetch, Fetch]) -> set[str]:
    """Make the facts of `needed` readable: looked up where the table lacks them (settled
    files the walk did not hand on, or released ones whose kept fragment then failed to
    read), decoded, and judged again where the stored verdict is damaged or gone. The files
    whose facts were not in the table or did not decode: their digests are made again."""
    look_up, rejudge = fetch
    missing = [p for p in needed if p not in facts]
    if missing:
        facts.merge(as_table(look_up(missing)))
    again = [p for p in missing if p not in facts]
    again += facts.decode(p for p in needed if p in facts)
    if again:
        judged = rejudge(again)
        for rel in again:
            facts.put(rel, judged.get(rel) or _gone(rel))
    return {*missing, *again}


def _paths(indicators: Sequence[Indicator], matches: Mapping[str, Sequence[str]]) -> set[str]:
    return {p for ind in indicators for e in ind.evidence for p in matches.get(e.key, ())}


def _gone(rel: str) -> FileFacts:
    """A file whose stored verdict was damaged and that is gone before it was judged."""
    return FileFacts(0, 0.0, valid=False, problems=("vanished",))
