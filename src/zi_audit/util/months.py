"""Month names as Indonesian offices write them, and Indonesian date formatting.

Both the rule file (`Agustus - Desember`) and file names (`12 Agt 2025`,
`Nopember`, `Pebruari`) use these; one table serves both.
"""

from __future__ import annotations

import datetime as dt

MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# Every spelling we accept, folded to lowercase, mapped to the month number.
_ALIASES: dict[int, tuple[str, ...]] = {
    1: ("januari", "january", "jan"),
    2: ("februari", "pebruari", "february", "feb", "peb"),
    3: ("maret", "march", "mar", "mrt"),
    4: ("april", "apr"),
    5: ("mei", "may"),
    6: ("juni", "june", "jun"),
    7: ("juli", "july", "jul"),
    8: ("agustus", "august", "agust", "agus", "agt", "agu", "ags", "aug"),
    9: ("september", "sept", "sep"),
    10: ("oktober", "october", "okt", "oct"),
    11: ("november", "nopember", "nov", "nop"),
    12: ("desember", "december", "des", "dec"),
}
MONTH_BY_NAME: dict[str, int] = {alias: n for n, names in _ALIASES.items() for alias in names}

# For regular expressions: longest first so that `agustus` wins over `agus`.
MONTH_REGEX = "|".join(sorted(MONTH_BY_NAME, key=len, reverse=True))


def month_number(word: str) -> int | None:
    """The month a word names (`Nop`, `Agustus`, `December`), or None."""
    return MONTH_BY_NAME.get(word.strip().strip(".").casefold())


def month_name(month: int, lang: str = "id") -> str:
    return (MONTHS_EN if lang == "en" else MONTHS_ID)[month - 1]


def format_date(day: dt.date, lang: str = "id") -> str:
    """`29 September 2025` (Indonesian) or `29 September 2025` with English month names."""
    return f"{day.day} {month_name(day.month, lang)} {day.year}"


def month_end(year: int, month: int) -> dt.date:
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)
