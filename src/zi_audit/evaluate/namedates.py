"""Dates and periods written in file and folder names.

Phones, scanners and people all stamp names differently (`IMG-20250712-WA0037.jpg`,
`CamScanner 10-20-2025 09.30.pdf`, `Rekap Absensi Oktober 2025`, `Laporan TW III`).
A date in the name is what the team meant, so it wins over anything inside the file.
A bare year is not a date: `LKjIP 2024.pdf` is written in 2025.
"""

from __future__ import annotations

import datetime as dt
import re

from zi_audit.rules.periods import (
    Period,
    day_period,
    month_period,
    month_range,
    quarter_period,
    semester_period,
)
from zi_audit.util.months import MONTH_BY_NAME, MONTH_REGEX
from zi_audit.util.numbering import ROMAN
from zi_audit.util.textnorm import compat

_M = rf"(?P<mon>{MONTH_REGEX})\.?"
_NB = r"(?<![0-9a-z])"  # not preceded by a letter or digit
_NA = r"(?![0-9a-z])"  # not followed by one

# Clock times that would otherwise read as dates (`at 3.08.19 PM`, `09.30`).
_TIME = re.compile(
    r"\b(?:at|jam|pukul)\s+\d{1,2}[.:]\d{2}(?:[.:]\d{2})?(?:\s*[ap]m)?|\d{1,2}[.:]\d{2}[.:]\d{2}\s*[ap]m"
)

_ISO = re.compile(
    r"(?<!\d)(?P<y>20\d{2}|19\d{2})(?P<sep>[-_.]?)(?P<m>0[1-9]|1[0-2])(?P=sep)(?P<d>0[1-9]|[12]\d|3[01])(?!\d)"
)
_DAY_MON_YEAR = re.compile(
    rf"{_NB}(?P<d>\d{{1,2}})(?:st|nd|rd|th)?[\s._-]*{_M}[\s._,-]*(?P<y>\d{{4}}|\d{{2}})(?!\d)"
)
_MON_DAY_YEAR = re.compile(
    rf"{_NB}{_M}[\s._-]*(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?[\s._-]+(?P<y>\d{{4}})(?!\d)"
)
_NUMERIC = re.compile(
    r"(?<![\d.])(?P<a>\d{1,2})(?P<sep>[-./])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?![\d])"
)
_MONTH_RANGE = re.compile(
    rf"{_NB}(?P<m1>{MONTH_REGEX})\.?\s*(?:-|–|s\.?\s?d\.?|sampai|to)\s*(?P<m2>{MONTH_REGEX})\.?{_NA}"
    r"(?:[\s._,-]*(?:tahun\s*)?(?P<y>\d{4})(?!\d))?"
)
_MONTH_YEAR = re.compile(rf"{_NB}{_M}[\s._,-]*(?:tahun\s*)?(?P<y>\d{{4}})(?!\d)")
_QUARTER = re.compile(
    rf"{_NB}(?:triwulan|tri wulan|trw|tw|kuartal|quarter|q)[\s._-]*(?:ke[\s._-]*)?(?P<n>iv|iii|ii|i|[1-4]){_NA}"
    r"(?:[\s._,-]*(?:tahun\s*)?(?P<y>\d{4})(?!\d))?"
)
_SEMESTER = re.compile(
    rf"{_NB}(?:semester|smstr|smt|sem)[\s._-]*(?:ke[\s._-]*)?(?P<n>ii|i|[12]){_NA}"
    r"(?:[\s._,-]*(?:tahun\s*)?(?P<y>\d{4})(?!\d))?"
)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def _year(text: str) -> int:
    y = int(text)
    return 2000 + y if y < 100 else y


def _day(y: int, m: int, d: int) -> Period | None:
    try:
        return day_period(dt.date(y, m, d))
    except ValueError:
        return None


def _prepare(name: str) -> str:
    return _TIME.sub(" ", compat(name))


# What each family of patterns cannot match without: a name lacking them skips the family
# (most names hold no month and no period word; a share has 18,000 matched names).
_DIGIT = re.compile(r"\d").search
_ANY_MONTH = re.compile(MONTH_REGEX).search
_PERIOD_WORD = re.compile(r"tri|trw|tw|kuartal|quarter|q|sem|smstr|smt").search


def date_in_name(name: str, default_year: int | None = None) -> Period | None:
    """The date or period a single file or folder name states, or None.

    `default_year` completes a period written without its year (`TW 3`); a year
    elsewhere in the same name (`Laporan TW 3 2025`) is preferred.
    """
    s = compat(name)
    digits = _DIGIT(s) is not None
    if digits:
        s = _TIME.sub(" ", s)
        digits = _DIGIT(s) is not None
    if not digits and default_year is None:
        return None
    months = _ANY_MONTH(s) is not None
    bare_years: list[int] = []
    if digits:
        found = _day_in(s, months)
        if found is not None:
            return found
        bare_years = [int(y) for y in _YEAR.findall(s)]
    fallback: int | None = bare_years[0] if bare_years else default_year

    if months:
        m = _MONTH_RANGE.search(s)
        if m:
            year = int(m["y"]) if m["y"] else fallback
            first, last = MONTH_BY_NAME[m["m1"]], MONTH_BY_NAME[m["m2"]]
            if year and first <= last:
                return month_range(year, first, last)
        m = _MONTH_YEAR.search(s) if digits else None
        if m:
            return month_period(int(m["y"]), MONTH_BY_NAME[m["mon"]])
    if _PERIOD_WORD(s):
        for rx, make in ((_QUARTER, quarter_period), (_SEMESTER, semester_period)):
            m = rx.search(s)
            if m:
                year = int(m["y"]) if m["y"] else fallback
                if year:
                    n = m["n"]
                    return make(year, ROMAN[n] if n in ROMAN else int(n))
    return None


def _day_in(s: str, months: bool) -> Period | None:
    """A whole date the name writes (ISO, day month year, numeric), or None."""
    m = _ISO.search(s)
    if m:
        found = _day(int(m["y"]), int(m["m"]), int(m["d"]))
        if found:
            return found
    for rx in (_DAY_MON_YEAR, _MON_DAY_YEAR) if months else ():
        m = rx.search(s)
        if m:
            found = _day(_year(m["y"]), MONTH_BY_NAME[m["mon"]], int(m["d"]))
            if found:
                return found
    for m in _NUMERIC.finditer(s):
        a, b, y = int(m["a"]), int(m["b"]), _year(m["y"])
        month_first = b > 12 or (s.lstrip().startswith("camscanner") and a <= 12)
        d, mo = (b, a) if month_first else (a, b)
        found = _day(y, mo, d)
        if found:
            return found
    return None


def years_in_name(name: str) -> set[int]:
    """Four-digit years a name carries (`SK TIM ZI 2024.pdf` -> {2024}), dates included."""
    s = _prepare(name)
    years = {int(y) for y in _YEAR.findall(s)}
    found = date_in_name(name)
    if found is not None:
        years.add(found.start.year)
    return years
