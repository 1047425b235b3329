"""The pure evaluation as tables: facts about files in, statuses out.

No tree, no worker process, no clock: a plan, the files each item matched with what was
learned about them, an as-of date. The rules tested are those of docs/statuses.md.
"""

from __future__ import annotations

import datetime as dt

import pytest

from zi_audit.core.facts import FileFacts
from zi_audit.evaluate.statuses import evaluate
from zi_audit.rules.loader import parse_rules

HEAD = """\
version: 1
plan: {title: Uji, year: 2025}
components:
  - id: "1"
    name: Manajemen Perubahan
    areas:
      - id: "1.1"
        name: Penyusunan Tim Kerja
        indicators:
"""

PLAN = parse_rules(
    HEAD
    + """\
          - id: "1.1.1"
            text: SK tim
            window: Agustus
            evidence:
              - {name: SK Tim Kerja ZI Tahun 2025, patterns: ["sk tim*"]}
          - id: "1.1.2"
            text: Rekap bulanan
            window: Oktober-Desember
            evidence:
              - {name: Rekap absensi setiap bulan, patterns: ["rekap*"], every: month}
          - id: "1.1.3"
            text: Dua dokumen
            window: September
            evidence:
              - {name: Undangan, patterns: ["undangan*"]}
              - {name: Notulen, patterns: ["notulen*"]}
""",
    "plan.yaml",
)
OK = FileFacts(size=1000, mtime=0.0)
BROKEN = FileFacts(size=0, mtime=0.0, valid=False, problems=("empty",))


def statuses(
    files: dict[str, tuple[str, FileFacts]], as_of: str
) -> dict[str, tuple[str, tuple[str, ...]]]:
    """{path: (item key, facts)} -> {indicator: (status, item statuses)}."""
    matches: dict[str, list[str]] = {}
    for path, (key, _) in files.items():
        matches.setdefault(key, []).append(path)
    facts = {path: f for path, (_, f) in files.items()}
    results = evaluate(PLAN, matches, facts, dt.date.fromisoformat(as_of))
    return {r.indicator.id: (r.status, tuple(i.status for i in r.items)) for r in results}


@pytest.mark.parametrize(
    ("files", "as_of", "expected"),
    [
        # nothing yet: pending before the window's end, missing after it
        ({}, "2025-08-15", ("pending", ("pending",))),
        ({}, "2025-09-15", ("missing", ("missing",))),
        # dated inside the window; earlier in the plan year still counts
        ({"SK Tim 2025-08-12.pdf": ("1.1.1/1", OK)}, "2025-09-15", ("present", ("present",))),
        ({"SK Tim 2025-03-01.pdf": ("1.1.1/1", OK)}, "2025-09-15", ("present", ("present",))),
        # after the window: late; a year-bound name with last year's year: outdated
        ({"SK Tim 2025-10-01.pdf": ("1.1.1/1", OK)}, "2025-11-01", ("late", ("late",))),
        ({"SK Tim 2024.pdf": ("1.1.1/1", OK)}, "2025-09-15", ("outdated", ("outdated",))),
        # only a broken copy: invalid; a good copy beside it wins
        ({"SK Tim 2025-08-12.pdf": ("1.1.1/1", BROKEN)}, "2025-09-15", ("invalid", ("invalid",))),
        (
            {
                "SK Tim 2025-08-12.pdf": ("1.1.1/1", BROKEN),
                "SK Tim (1) 2025-08-12.pdf": ("1.1.1/1", OK),
            },
            "2025-09-15",
            ("present", ("present",)),
        ),
    ],
)
def test_single_window(
    files: dict[str, tuple[str, FileFacts]], as_of: str, expected: tuple[str, tuple[str, ...]]
) -> None:
    assert statuses(files, as_of)["1.1.1"] == expected


@pytest.mark.parametrize(
    ("names", "as_of", "expected"),
    [
        # every month has its recap: present
        (
            ["Rekap Oktober 2025", "Rekap November 2025", "Rekap Desember 2025"],
            "2026-01-20",
            "present",
        ),
        # November ended more than 14 days ago with no recap: missing
        (["Rekap Oktober 2025"], "2025-12-20", "missing"),
        # November's recap may still come (within the grace days): pending
        (["Rekap Oktober 2025"], "2025-12-10", "pending"),
    ],
)
def test_monthly_slots(names: list[str], as_of: str, expected: str) -> None:
    files = {f"{n}.pdf": ("1.1.2/1", OK) for n in names}
    assert statuses(files, as_of)["1.1.2"][0] == expected


def test_an_indicator_takes_its_worst_item() -> None:
    files = {"Undangan 2025-09-03.pdf": ("1.1.3/1", OK)}
    assert statuses(files, "2025-10-15")["1.1.3"] == ("missing", ("present", "missing"))
    files["Notulen 2025-09-03.pdf"] = ("1.1.3/2", BROKEN)
    assert statuses(files, "2025-10-15")["1.1.3"] == ("invalid", ("present", "invalid"))


def test_a_recap_of_a_stretch_fills_every_month_it_covers() -> None:
    """'Sampel absensi Januari–Maret', filed in August, was late for March and missing for
    January and February."""
    rules = parse_rules(
        HEAD
        + """\
          - id: "1.1.1"
            text: Rekap bulanan
            window: Januari-April
            evidence:
              - {name: Rekap absensi setiap bulan, patterns: ["rekap*"], every: month}
""",
        "p.yaml",
    )
    august = FileFacts(size=1000, mtime=dt.datetime(2025, 8, 20, 10).timestamp())
    results = evaluate(
        rules,
        {"1.1.1/1": ["Rekap Absensi Januari-Maret 2025.pdf"]},
        {"Rekap Absensi Januari-Maret 2025.pdf": august},
        dt.date(2025, 8, 25),
    )
    slots = results[0].items[0].slots
    assert slots is not None
    assert [s.status for s in slots] == ["present", "present", "present", "missing"]


def test_a_deadline_to_the_day() -> None:
    rules = parse_rules(
        HEAD
        + """\
          - id: "1.1.1"
            text: SK
            window: 1 Agustus 2025 - 15 Oktober 2025
            evidence:
              - {name: SK Tim, patterns: ["sk tim*"]}
""",
        "p.yaml",
    )
    on_time = {"SK Tim 2025-10-15.pdf": OK}
    late = {"SK Tim 2025-10-16.pdf": OK}
    for files, status in ((on_time, "present"), (late, "late")):
        result = evaluate(rules, {"1.1.1/1": list(files)}, files, dt.date(2025, 11, 1))
        assert result[0].status == status
    assert evaluate(rules, {}, {}, dt.date(2025, 10, 15))[0].status == "pending"
    assert evaluate(rules, {}, {}, dt.date(2025, 10, 16))[0].status == "missing"
