"""How the as-of date bears on a result: the evaluation compares it with closing days only.

A kept result (state/results.py) is keyed by `as_of_bearing`, so the days between two
closing days cost a rescan nothing and the day a window closes computes what it closes.
"""

from __future__ import annotations

import datetime as dt

from zi_audit.rules.model import Indicator, RuleSet
from zi_audit.rules.periods import slots


def open_as_of(rules: RuleSet, as_of: dt.date) -> dt.date:
    """The date open evidence is judged against: after the evaluation date nothing is
    pending, what is not there is missing."""
    passed = rules.evaluation_date is not None and as_of >= rules.evaluation_date
    return dt.date.max if passed else as_of


def _closing_days(ind: Indicator) -> set[dt.date]:
    """A window's or a slot's end plus the grace days, for each of the indicator's items."""
    if not ind.planned or ind.window is None:
        return set()
    ends = set()
    for e in ind.evidence:
        window = e.window or ind.window
        grace = dt.timedelta(days=e.grace_days)
        ends.add(window.end + grace)
        periods = [*window.parts, *(p for every in e.every for p in slots(window, every))]
        ends.update(p.end + grace for p in periods)
    return ends


def as_of_bearing(ind: Indicator, judged_as_of: dt.date) -> int:
    """How an as-of date bears on an indicator's result: the number of its closing days
    (a window's or a slot's end plus the grace days) already past. Evaluation compares the
    date with nothing else, so two dates with the same bearing give the same result
    (tests/evaluate/test_bearing.py holds this for every day of a year)."""
    return sum(1 for end in _closing_days(ind) if end < judged_as_of)


def bearing_span(rules: RuleSet, as_of: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day with the same bearing as `as_of` on every indicator, on the
    same side of the evaluation date: no result moves between them, so a report kept whole
    (state/seal.py) stands for each day of the span."""
    lo, hi = dt.date.min, dt.date.max
    if rules.evaluation_date is not None:
        if as_of >= rules.evaluation_date:
            return rules.evaluation_date, hi  # judged as of the end of time from then on
        hi = rules.evaluation_date - dt.timedelta(days=1)
    one = dt.timedelta(days=1)
    for ind in rules.indicators:
        for end in _closing_days(ind):  # past once the day after it has come
            if end < as_of:
                lo = max(lo, end + one)
            else:
                hi = min(hi, end)
    return lo, hi
