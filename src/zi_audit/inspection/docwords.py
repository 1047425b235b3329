"""What a document says of itself, read from its words: its own date, the years its title
or number names, and the excerpt the rules' `words` are checked on.

An evaluator reads a decree's "Ditetapkan di Bogor, pada tanggal 4 Januari 2021", a
letter's "Banyuwangi, 5 Agustus 2025", the minutes' "Hari/Tanggal: Senin, 4 Agustus 2025";
so does this, from a text layer or from OCR, whose slips ("ada tanggal", "Januar1") it
forgives. Pure functions: the judges call them in the workers, the tests call them directly.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re

from zi_audit.util.months import MONTH_BY_NAME, MONTHS_ID
from zi_audit.util.textnorm import fold

EXCERPT_HEAD = 3000  # folded characters kept from a document's start (title, subject)
EXCERPT_TAIL = 1000  # and from its end (a decree's date and signature)

_DAY_MONTH_YEAR = (
    r"(\d{1,2})\s*[-/ .]?\s*([A-Za-z][A-Za-z0-9]{2,10})\.?\s*[-/ ,.]?\s*((?:19|20)\d\d)"
)
_NUMERIC = r"(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*((?:19|20)\d\d)"
_DATE = rf"(?:{_DAY_MONTH_YEAR}|{_NUMERIC})"
_WEEKDAY = r"(?:[A-Za-z']{3,8}\s*,\s*)?"
# Most telling first: a decree's own line, the minutes' heading, a labelled date, a letter's.
_FORMS = (
    ("decree", re.compile(rf"ditetapkan\s+di\b.{{0,120}}?tanggal\s*[:;.]?\s*{_DATE}", re.I | re.S)),
    ("decree", re.compile(rf"\b(?:pada|ada)\s+tanggal\s*[:;.]?\s*{_DATE}", re.I)),
    ("minutes", re.compile(rf"hari\s*/\s*tanggal\s*[:;.]?\s*{_WEEKDAY}{_DATE}", re.I)),
    ("labelled", re.compile(rf"\btanggal\s*[:;.]\s*{_WEEKDAY}{_DATE}", re.I)),
    ("letter", re.compile(rf"^[ \t]*[A-Z][A-Za-z .'-]{{2,30}},\s*{_DATE}", re.M)),
)
_TITLE_YEARS = (
    re.compile(r"\btahun\s+(?:anggaran\s+)?((?:19|20)\d\d)\b", re.I),
    re.compile(r"\bnomor\s*[:.]?\s*[^\s]{0,40}?/((?:19|20)\d\d)\b", re.I),
)
_FULL_MONTHS = [m.lower() for m in MONTHS_ID]


def month_of(word: str) -> int | None:
    """A month name as written, abbreviated or bent by OCR (`Januar1`, `Agusius`)."""
    w = word.lower().rstrip(".")
    if w in MONTH_BY_NAME:
        return MONTH_BY_NAME[w]
    if len(w) < 4:
        return None
    near = difflib.get_close_matches(w, _FULL_MONTHS, n=1, cutoff=0.75)
    return _FULL_MONTHS.index(near[0]) + 1 if near else None


def _date_of(m: re.Match[str]) -> dt.date | None:
    day_s, month_s, year_s, nday, nmonth, nyear = m.groups()[-6:]
    try:
        if day_s is not None:
            month = month_of(month_s)
            return dt.date(int(year_s), month, int(day_s)) if month else None
        return dt.date(int(nyear), int(nmonth), int(nday))
    except ValueError:
        return None  # 31 Februari, month 13


def date_in_text(text: str) -> tuple[dt.date, str] | None:
    """The document's own date and the words that say it. A decree's line is taken last
    (the date sits above the signature; the considerations cite older decrees' dates)."""
    for form, pattern in _FORMS:
        found = [(d, m.group(0)) for m in pattern.finditer(text) if (d := _date_of(m))]
        if found:
            when, words = found[-1] if form == "decree" else found[0]
            return when, " ".join(words.split())[:120]
    return None


def years_named(text: str) -> tuple[int, ...]:
    """The years a document's title or number names (`TAHUN 2024`, `Nomor 12/KPT/2024`),
    read from its first lines, where the title and the decree's number stand."""
    head = text[:800]
    return tuple(sorted({int(m[1]) for p in _TITLE_YEARS for m in p.finditer(head)}))


def excerpt(text: str) -> str:
    """What the rules' `words` are checked on: the folded start and end of the text."""
    folded = fold(text)
    if len(folded) <= EXCERPT_HEAD + EXCERPT_TAIL:
        return folded
    return f"{folded[:EXCERPT_HEAD]} {folded[-EXCERPT_TAIL:]}"
