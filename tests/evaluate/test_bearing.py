"""The as-of date's bearing on an indicator (evaluate/asof.py) is all the
evaluation reads of the date: two days with the same bearing give the same result. A kept
result (state/results.py) is keyed by it, so this is what makes keeping it safe."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from zi_audit.core.facts import FileFacts
from zi_audit.evaluate.asof import as_of_bearing, bearing_span, open_as_of
from zi_audit.evaluate.model import IndicatorResult
from zi_audit.evaluate.statuses import evaluate_indicator, expected_folder
from zi_audit.match.folders import folder_names
from zi_audit.pipeline import Pipeline, ScanOptions
from zi_audit.rules.loader import load_rules
from zi_audit.rules.model import bundled_rules_path
from zi_audit.state.paths import prepare_state_dir


def test_days_of_the_same_bearing_give_the_same_result(example_tree: Path, tmp_path: Path) -> None:
    rules = load_rules(bundled_rules_path())
    state = prepare_state_dir(tmp_path / "state", example_tree)
    pipeline = Pipeline(example_tree, rules, ScanOptions(as_of=dt.date(2025, 11, 15)), state=state)
    report = pipeline.run()
    matches: dict[str, list[str]] = defaultdict(list)
    facts: dict[str, FileFacts] = {}
    for res in report.results():
        for item in res.items:
            for f in item.files:
                matches[item.evidence.key].append(f.path)
                facts[f.path] = f.facts
    assert len(facts) > 15
    layout = folder_names(rules)
    day, last = dt.date(2024, 12, 1), dt.date(2026, 3, 31)
    seen: dict[tuple[str, int], IndicatorResult] = {}
    while day <= last:
        judged = open_as_of(rules, day)
        for ind in rules.indicators:
            folder = expected_folder(ind, pipeline.matcher.folders, layout)
            result = evaluate_indicator(rules, ind, matches, facts, judged, folder)
            bearing = as_of_bearing(ind, judged)
            kept = seen.setdefault((ind.id, bearing), result)
            assert kept == result, (ind.id, day)
        day += dt.timedelta(days=1)
    # Windows close through the year (and slots month by month): the test saw them move.
    planned = sum(1 for i in rules.indicators if i.window is not None)
    assert len(seen) > 2 * planned


def test_the_bearing_moves_on_a_closing_day_only() -> None:
    rules = load_rules(bundled_rules_path())
    ind = next(i for i in rules.indicators if i.window is not None and i.evidence)
    assert ind.window is not None
    grace = ind.evidence[0].grace_days
    closing = ind.window.end + dt.timedelta(days=grace)
    before = as_of_bearing(ind, closing)
    assert as_of_bearing(ind, closing + dt.timedelta(days=1)) == before + 1
    assert as_of_bearing(ind, closing - dt.timedelta(days=1)) <= before


def test_the_bearing_span_is_every_day_with_the_same_bearings_and_no_more() -> None:
    rules = load_rules(bundled_rules_path())

    def bearings(day: dt.date) -> list[int]:
        return [as_of_bearing(ind, open_as_of(rules, day)) for ind in rules.indicators]

    day, spans = dt.date(2025, 1, 1), 0
    while day <= dt.date(2026, 1, 31):
        lo, hi = bearing_span(rules, day)
        assert lo <= day <= hi
        here = bearings(day)
        assert bearings(lo) == here == bearings(min(hi, dt.date(2030, 1, 1)))
        if lo > dt.date.min:
            assert bearings(lo - dt.timedelta(days=1)) != here, day
        if hi < dt.date.max:
            assert bearings(hi + dt.timedelta(days=1)) != here, day
        spans += 1
        day = hi + dt.timedelta(days=1) if hi < dt.date(2026, 1, 31) else dt.date(2026, 2, 1)
    assert spans > 5  # windows close through the year


def test_from_the_evaluation_date_on_one_span_stands() -> None:
    rules = load_rules(bundled_rules_path())
    evaluated = replace(rules, evaluation_date=dt.date(2025, 10, 1))
    assert bearing_span(evaluated, dt.date(2025, 12, 5)) == (dt.date(2025, 10, 1), dt.date.max)
    assert bearing_span(evaluated, dt.date(2025, 9, 5))[1] <= dt.date(2025, 9, 30)
