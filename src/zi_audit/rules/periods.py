"""Periods of the plan year: target windows, recurrence slots, and named periods.

A Rencana Aksi says when evidence is due in words (`Agustus - Desember`,
`Oktober dan Desember`); a recap says which period it covers (`Triwulan III`).
Both become `Period`s so that evaluation compares dates, never strings.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import NamedTuple

from zi_audit.i18n import t
from zi_audit.util.months import month_end, month_name, month_number
from zi_audit.util.numbering import roman

RECURRENCES = ("month", "quarter", "semester")


class Period(NamedTuple):
    start: dt.date
    end: dt.date
    kind: str = "range"

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def label(self, lang: str = "id") -> str:
        """How a person names this period: `Agustus 2025`, `Triwulan III 2025`, `12 Agustus 2025`."""
        y = self.start.year
        if self.kind == "day":
            return f"{self.start.day} {month_name(self.start.month, lang)} {y}"
        if self.kind == "month":
            return f"{month_name(self.start.month, lang)} {y}"
        if self.kind == "quarter":
            return t("period.quarter", lang, n=roman((self.start.month - 1) // 3 + 1), year=y)
        if self.kind == "semester":
            return t("period.semester", lang, n=roman((self.start.month - 1) // 6 + 1), year=y)
        if self.kind == "year":
            return str(y)
        first, last = month_name(self.start.month, lang), month_name(self.end.month, lang)
        return f"{first} {y}" if first == last else f"{first}–{last} {y}"


def day_period(day: dt.date) -> Period:
    return Period(day, day, "day")


def month_period(year: int, month: int) -> Period:
    return Period(dt.date(year, month, 1), month_end(year, month), "month")


def quarter_period(year: int, quarter: int) -> Period:
    first = 3 * (quarter - 1) + 1
    return Period(dt.date(year, first, 1), month_end(year, first + 2), "quarter")


def semester_period(year: int, semester: int) -> Period:
    first = 6 * (semester - 1) + 1
    return Period(dt.date(year, first, 1), month_end(year, first + 5), "semester")


def month_range(year: int, first: int, last: int) -> Period:
    if first == last:
        return month_period(year, first)
    if first % 3 == 1 and last == first + 2:
        return quarter_period(year, (first + 2) // 3)
    if first in (1, 7) and last == first + 5:
        return semester_period(year, (first + 6) // 6)
    return Period(dt.date(year, first, 1), month_end(year, last), "range")


class Window(NamedTuple):
    """A target window: one or more month ranges of the plan year, as the plan wrote it."""

    parts: tuple[Period, ...]
    text: str

    @property
    def start(self) -> dt.date:
        return self.parts[0].start

    @property
    def end(self) -> dt.date:
        return self.parts[-1].end


class WindowError(ValueError):
    """A target window the plan's words cannot be read as."""


_RANGE_SEP = re.compile(
    r"\s*(?:-|–|—|\bs\.?\s?d\b\.?|\bsampai(?: dengan)?\b|\bto\b|\buntil\b)\s*", re.IGNORECASE
)
_LIST_SEP = re.compile(r"\s*(?:,|;|\bdan\b|\band\b|&)\s*", re.IGNORECASE)


_DAY = re.compile(r"^(\d{1,2})\s+([A-Za-z]+\.?)(?:\s+(\d{4}))?$")


def _day_range(chunk: str, ends: list[str], year: int) -> Period:
    """`1 Agustus 2025 - 15 Desember 2025`, `15 Agustus`, `Agustus - 15 Desember`: a window
    to the day. A bare month starts on its first day, or ends on its last."""
    dates = []
    for n, word in enumerate(ends):
        m = _DAY.match(word)
        if m is None:
            month = month_number(re.sub(rf"\s*{year}$", "", word))
            if month is None:
                raise WindowError(f"'{word}' is not a month or a date")
            closing = n == len(ends) - 1 and len(ends) > 1
            dates.append(month_end(year, month) if closing else dt.date(year, month, 1))
            continue
        month = month_number(m[2])
        if month is None:
            raise WindowError(f"'{m[2]}' is not a month")
        if m[3] and int(m[3]) != year:
            raise WindowError(f"'{word}' is not in the plan year {year}")
        try:
            dates.append(dt.date(year, month, int(m[1])))
        except ValueError:
            raise WindowError(f"'{word}' is not a date") from None
    first, last = dates[0], dates[-1]
    if last < first:
        raise WindowError(f"'{chunk}' ends before it starts")
    return Period(first, last, "day" if first == last else "range")


def parse_window(text: str, year: int) -> Window | None:
    """`Agustus`, `Agustus - Desember`, `Oktober dan Desember` -> Window; `-` or empty -> None.

    Raises WindowError naming the word that is not a month, or a range that ends
    before it starts, so the rule loader can point at the line.
    """
    text = " ".join(str(text).split())
    if text in ("", "-", "–"):
        return None
    parts: list[Period] = []
    for chunk in _LIST_SEP.split(text):
        if not chunk:
            continue
        ends = [e.strip() for e in _RANGE_SEP.split(chunk)]
        if "" in ends and len(ends) > 1:  # `Agustus-` or `-Desember`: a range without an end
            raise WindowError(f"'{chunk}' is a range with a missing month")
        ends = [e for e in ends if e]
        if not 1 <= len(ends) <= 2:
            raise WindowError(f"cannot read '{chunk}' as a month or a month range")
        if any(_DAY.match(e) for e in ends):
            parts.append(_day_range(chunk, ends, year))
            continue
        numbers = []
        for word in ends:
            word = re.sub(rf"\s*{year}$", "", word)
            n = month_number(word)
            if n is None:
                raise WindowError(f"'{word}' is not a month")
            numbers.append(n)
        first, last = numbers[0], numbers[-1]
        if last < first:
            raise WindowError(f"'{chunk}' ends before it starts")
        parts.append(month_range(year, first, last))
    if parts != sorted(parts):
        # 'Agt sd Des dan Jan' read as January to December would hide a deadline.
        raise WindowError(
            f"'{text}' lists a month before one it follows; a window runs forward within "
            "the plan year: list the months in order (Januari, Agustus - Desember) or give "
            "the item two windows"
        )
    for a, b in itertools.pairwise(parts):
        if b.start <= a.end:
            raise WindowError(f"'{text}' has overlapping parts")
    return Window(tuple(parts), text)


def slots(window: Window, every: str) -> list[Period]:
    """The month / quarter / semester periods a recurring item must fill within its window."""
    out: list[Period] = []
    for part in window.parts:
        year = part.start.year
        for month in range(part.start.month, part.end.month + 1):
            if every == "month":
                p = month_period(year, month)
            elif every == "quarter":
                p = quarter_period(year, (month + 2) // 3)
            else:
                p = semester_period(year, (month + 5) // 6)
            if p not in out:
                out.append(p)
    return out
