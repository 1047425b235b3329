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
from zi_audit.core.schema import read_written
from zi_audit.evaluate.asof import open_as_of
from zi_audit.evaluate.model import IndicatorResult, KeptIndicator, Outcome
from zi_audit.evaluate.statuses import (
    evaluate_indicator,
    expected_folder,
    mark_unreadable,
    under_blind,
)
from zi_audit.inspection.table import FactsTable
from zi_audit.match.folders import folder_names
from zi_audit.rules.model import Indicator, RuleSet
from zi_audit.state.filememo import FileMemo
from zi_audit.state.results import ResultStore, indicator_key, memo_base

# What the walk found: evidence key -> matched paths, their facts, and the team's own
# folders (indicator, area or component id -> root-relative folder).
Found = tuple[Mapping[str, Sequence[str]], FactsTable, Mapping[str, str]]


class Counts(NamedTuple):
    evaluated: int  # indicators computed again
    reused: int  # files of those whose results were taken from the last scan


def keep_or_evaluate(
    store_path: Path,
    root: str,
    rules_print: str,
    rules: RuleSet,
    found: Found,
    as_of: dt.date,
    blind: frozenset[str],
    rejudge: Callable[[Sequence[str]], Mapping[str, FileFacts]],
) -> tuple[tuple[Outcome, ...], Counts]:
    """Results in the rules' order, and the work done (Counts). `blind`: ids
    whose folders could not be read (never kept: what they hold is unknown); `rejudge`:
    facts for files whose stored verdicts no longer decode."""
    matches, facts, folders = found
    judged_as_of = open_as_of(rules, as_of)
    layout = folder_names(rules)
    store = ResultStore(store_path, root)
    try:
        where = {ind.id: expected_folder(ind, folders, layout) for ind in rules.indicators}

        def key_of(ind: Indicator) -> str:
            return indicator_key(
                rules_print, ind, where[ind.id], matches, facts.stamp, judged_as_of
            )

        keys, held = _held(store, rules, blind, key_of)
        # The verdicts of what is kept are not needed again: not held beside its fragments.
        facts.release(keep=_paths([i for i in rules.indicators if i.id not in held], matches))
        out: dict[str, Outcome] = {
            ind.id: got for ind in rules.indicators if ind.id in held and (got := store.get(ind))
        }
        todo = [ind for ind in rules.indicators if ind.id not in out]
        base = memo_base(rules_print)
        memo, need = _file_memo(store, base, todo, blind, matches, facts)
        again = _readable(facts, need, rejudge)
        judge = memo.judge(facts, rules.year, rules.zone)
        fresh: dict[str, tuple[str, KeptIndicator]] = {}
        results: list[IndicatorResult] = []
        for ind in todo:
            hidden = under_blind(ind.id, blind)
            res = evaluate_indicator(
                rules, ind, matches, facts, judged_as_of, where[ind.id], None if hidden else judge
            )
            if hidden:
                results.append(res)
                continue
            key = keys.get(ind.id)
            if key is None or (again and not again.isdisjoint(_paths([ind], matches))):
                key = key_of(ind)
            # Given as kept too: the report's fragment is written once, here.
            text, files = memo.text(res, facts.stamp)
            out[ind.id] = result = KeptIndicator(ind, res.status, read_written(text), files)
            fresh[ind.id] = (key, result)
        for res in mark_unreadable(results, blind):
            out[res.indicator.id] = res
        store.save(fresh, base)
    finally:
        store.close()
    return tuple(out[ind.id] for ind in rules.indicators), Counts(len(todo), memo.reused)


def _held(
    store: ResultStore,
    rules: RuleSet,
    blind: frozenset[str],
    key_of: Callable[[Indicator], str],
) -> tuple[dict[str, str], set[str]]:
    """The keys of the indicators the store knows, and those whose kept result is for
    their key. Made once: an indicator evaluated again is saved under the key it was
    looked up by, unless one of its files was judged again on the way (its stamp moved)."""
    keys = {
        ind.id: key_of(ind)
        for ind in rules.indicators
        if not under_blind(ind.id, blind) and store.knows(ind.id)
    }
    return keys, {ident for ident, key in keys.items() if store.holds(ident, key)}


def _file_memo(
    store: ResultStore,
    base: str,
    todo: Sequence[Indicator],
    blind: frozenset[str],
    matches: Mapping[str, Sequence[str]],
    facts: FactsTable,
) -> tuple[FileMemo, set[str]]:
    """The kept results of the files of the indicators computed again whose verdicts did
    not move (state/filememo.py), and the files whose facts are needed: the others (all
    of an indicator under an unreadable folder, which keeps nothing)."""
    memo = FileMemo()
    seen = [ind for ind in todo if not under_blind(ind.id, blind)]
    for ind in seen:
        if (row := store.prior(ind.id, base)) is not None:
            memo.add(*row)
    need = memo.match(seen, matches, facts.stamp)
    return memo, need | _paths([ind for ind in todo if under_blind(ind.id, blind)], matches)


def _readable(
    facts: FactsTable,
    needed: set[str],
    rejudge: Callable[[Sequence[str]], Mapping[str, FileFacts]],
) -> set[str]:
    """Make the facts of `needed` readable: decoded, and judged again where the stored
    verdict is damaged or was released (a kept fragment that then failed to read). The
    files judged again."""
    again = [p for p in needed if p not in facts]
    again += facts.decode(p for p in needed if p in facts)
    if again:
        judged = rejudge(again)
        for rel in again:
            facts.put(rel, judged.get(rel) or _gone(rel))
    return set(again)


def _paths(indicators: Sequence[Indicator], matches: Mapping[str, Sequence[str]]) -> set[str]:
    return {p for ind in indicators for e in ind.evidence for p in matches.get(e.key, ())}


def _gone(rel: str) -> FileFacts:
    """A file whose stored verdict was damaged and that is gone before it was judged."""
    return FileFacts(0, 0.0, valid=False, problems=("vanished",))
