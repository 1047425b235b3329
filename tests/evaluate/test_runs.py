"""Runs of files taken whole (evaluate/statuses.py, `files_part`): an item put together
from runs and files has the status, slots, deadline and count of documents that the same
files give one by one, however the files are cut into runs."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from zi_audit.core.facts import FileFacts
from zi_audit.evaluate.files import file_result
from zi_audit.evaluate.model import FileResult, FilesPart, IndicatorResult
from zi_audit.evaluate.statuses import evaluate_indicator, files_part
from zi_audit.rules.model import Evidence, Indicator, RuleSet
from zi_audit.rules.periods import Window, parse_window
from zi_audit.util.timezones import WIB

AS_OF = dt.date(2025, 11, 15)
NAMES = [
    "Rekap Absensi 2025-08-05.pdf",  # in a slot
    "Rekap Absensi 2025-09-30.pdf",
    "Rekap Absensi 2025-03-02.pdf",  # before the first slot: counts for it
    "Rekap Absensi Januari-Maret 2025.pdf",  # a recap named for a stretch
    "Rekap Absensi Oktober-Desember 2025.pdf",
    "Rekap Absensi 2024-10-01.pdf",  # last year's: outdated
    "Rekap Absensi 2026-01-20.pdf",  # after the window: waits for the latest empty slot
    "Rekap Absensi 2025-12-20.pdf",
    "Rekap Kehadiran 2025-10-11.pdf",
]


def _files(count: int, seed: int) -> dict[str, FileFacts]:
    """Files over a few folders: some invalid, some the same content as another."""
    rng = random.Random(seed)
    out: dict[str, FileFacts] = {}
    for n in range(count):
        folder = rng.choice(["2.2.2/Agustus", "2.2.2/Oktober", "2.2.2/Oktober/lama", "2.2.2"])
        name = rng.choice(NAMES).replace(".pdf", f" ({n}).pdf")
        valid = rng.random() > 0.2
        sha = f"{rng.randrange(count):064x}"
        out[f"{folder}/{name}"] = FileFacts(1000 + n, 1.7e9, valid=valid, sha256=sha)
    return out


def _cut(
    item: Evidence, window: Window, results: tuple[FileResult, ...], seed: int
) -> tuple[FileResult | FilesPart, ...]:
    """The item's results cut into runs at random places, some left one by one, and runs
    made of runs (as a night that takes a run whole and adds a file beside it)."""
    rng = random.Random(seed)
    out: list[FileResult | FilesPart] = []
    at = 0
    while at < len(results):
        size = rng.randint(1, 6)
        run = list(results[at : at + size])
        at += size
        if rng.random() < 0.3:
            out += run
        elif rng.random() < 0.5 and len(run) > 2:
            inner = files_part(item, window, run[1:])
            out.append(files_part(item, window, [run[0], inner]))
        else:
            out.append(files_part(item, window, run))
    return tuple(out)


def _as_item(rules: RuleSet, ind: Indicator, item: Evidence) -> Indicator:
    return ind._replace(evidence=(item,))


def _evaluated(
    rules: RuleSet, ind: Indicator, files: dict[str, FileFacts], seed: int | None
) -> IndicatorResult:
    def judge(item: Evidence, window: Window, paths: object) -> tuple[FileResult | FilesPart, ...]:
        assert isinstance(paths, list)
        results = tuple(file_result(item, window, p, files[p], rules.year, WIB) for p in paths)
        return results if seed is None else _cut(item, window, results, seed)

    matches = {e.key: list(files) for e in ind.evidence}
    return evaluate_indicator(rules, ind, matches, files, AS_OF, "2.2.2", judge)


def _figures(res: IndicatorResult) -> list[object]:
    return [(i.status, i.slots, i.deadline, i.have) for i in res.items]


@pytest.mark.parametrize(
    "variant",
    ["monthly", "semester_or_quarter", "two_parts", "four_documents", "one_window"],
)
@pytest.mark.parametrize("seed", range(12))
def test_runs_give_what_their_files_give(rules: RuleSet, variant: str, seed: int) -> None:
    ind = next(i for i in rules.indicators if i.id == "2.2.2")
    item = ind.evidence[0]
    two = parse_window("Agustus, Oktober-November", rules.year)
    changes: dict[str, object] = {
        "monthly": {},
        "semester_or_quarter": {"every": ("semester", "quarter")},
        "two_parts": {"every": (), "window": two},
        "four_documents": {"every": (), "minimum": 4},
        "one_window": {"every": ()},
    }[variant]
    assert isinstance(changes, dict)
    ind = _as_item(rules, ind, item._replace(**changes))
    files = _files(9, seed)  # few: slots left empty, and documents counted
    plain = _evaluated(rules, ind, files, None)
    cut = _evaluated(rules, ind, files, seed)
    assert cut.items[0].parts  # runs were given, and put together
    assert _figures(cut) == _figures(plain)
    assert cut.status == plain.status


def test_a_run_of_last_years_files_only_is_outdated(rules: RuleSet) -> None:
    ind = next(i for i in rules.indicators if i.id == "2.2.2")
    files = {f"2.2.2/Rekap Absensi 2024-0{n}-05.pdf": FileFacts(10, 1.7e9) for n in (8, 9)}
    plain = _evaluated(rules, ind, files, None)
    cut = _evaluated(rules, ind, files, 1)
    assert plain.items[0].status == cut.items[0].status == "outdated"
