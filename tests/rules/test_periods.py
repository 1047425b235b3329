import datetime as dt

import pytest

from zi_audit.rules.periods import WindowError, parse_window, slots

D = dt.date


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Agustus", [(D(2025, 8, 1), D(2025, 8, 31))]),
        ("Agustus-Desember", [(D(2025, 8, 1), D(2025, 12, 31))]),
        ("Agustus - Desember", [(D(2025, 8, 1), D(2025, 12, 31))]),
        ("Agustus- Desember", [(D(2025, 8, 1), D(2025, 12, 31))]),
        ("Agustus-December", [(D(2025, 8, 1), D(2025, 12, 31))]),
        ("Agt - Des", [(D(2025, 8, 1), D(2025, 12, 31))]),
        ("Sept-Nop", [(D(2025, 9, 1), D(2025, 11, 30))]),
        ("Okt s.d. Des", [(D(2025, 10, 1), D(2025, 12, 31))]),
        (
            "Oktober dan Desember",
            [(D(2025, 10, 1), D(2025, 10, 31)), (D(2025, 12, 1), D(2025, 12, 31))],
        ),
    ],
)
def test_windows(text: str, parts: list[tuple[dt.date, dt.date]]) -> None:
    window = parse_window(text, 2025)
    assert window is not None
    assert [(p.start, p.end) for p in window.parts] == parts


def test_no_window() -> None:
    assert parse_window("-", 2025) is None


@pytest.mark.parametrize(
    "text", ["Agusttls", "Desember-Agustus", "Juli-Agustus-Desember", "Oktober dan Oktober"]
)
def test_bad_windows(text: str) -> None:
    with pytest.raises(WindowError):
        parse_window(text, 2025)


def test_slots() -> None:
    window = parse_window("Agustus-Desember", 2025)
    assert window is not None
    assert [p.label() for p in slots(window, "month")] == [
        "Agustus 2025",
        "September 2025",
        "Oktober 2025",
        "November 2025",
        "Desember 2025",
    ]
    assert [p.label() for p in slots(window, "quarter")] == [
        "Triwulan III 2025",
        "Triwulan IV 2025",
    ]
    assert [p.label("en") for p in slots(window, "semester")] == ["Semester II 2025"]


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("1 Agustus 2025 - 15 Desember 2025", (8, 1), (12, 15)),
        ("15 Agustus", (8, 15), (8, 15)),
        ("Agustus s.d. 15 Desember", (8, 1), (12, 15)),
    ],
)
def test_windows_to_the_day(text: str, start: tuple[int, int], end: tuple[int, int]) -> None:
    window = parse_window(text, 2025)
    assert window is not None
    assert (window.start, window.end) == (dt.date(2025, *start), dt.date(2025, *end))


@pytest.mark.parametrize("text", ["32 Agustus", "15 Desember - 1 Agustus", "1 Agustus 2024"])
def test_bad_day_windows(text: str) -> None:
    with pytest.raises(WindowError):
        parse_window(text, 2025)
