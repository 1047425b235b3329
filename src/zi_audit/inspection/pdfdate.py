"""PDF date strings (`D:20250929143000+07'00'`) as pypdf leaves them: raw, partial, odd.

pypdf raises on `D:` alone or US-style strings and turns `D:2025` into 1 January
without saying so; we keep the precision the file actually stated.
"""

from __future__ import annotations

import datetime as dt
import re

_PDF_DATE = re.compile(
    r"^\s*(?:D:)?(?P<y>\d{4})(?P<m>\d{2})?(?P<d>\d{2})?(?P<H>\d{2})?(?P<M>\d{2})?(?P<S>\d{2})?"
    r"(?:(?P<z>[Zz])|(?P<sign>[+-])(?P<oh>\d{2})'?(?P<om>\d{2})?'?)?"
)


def parse_pdf_date(raw: object) -> tuple[dt.datetime, str] | None:
    """(datetime, precision) from a PDF date; naive when the file gave no zone; None if unreadable."""
    if not isinstance(raw, str):
        return None
    m = _PDF_DATE.match(raw)
    if not m:
        return None
    try:
        year = int(m["y"])
        month = int(m["m"] or 1)
        day = int(m["d"] or 1)
        when = dt.datetime(year, month, day, int(m["H"] or 0), int(m["M"] or 0), int(m["S"] or 0))
    except ValueError:
        return None
    if not 1990 <= year <= 2100:
        return None
    if m["z"]:
        when = when.replace(tzinfo=dt.UTC)
    elif m["sign"]:
        offset = dt.timedelta(hours=int(m["oh"]), minutes=int(m["om"] or 0))
        if offset > dt.timedelta(hours=14):
            return None
        when = when.replace(tzinfo=dt.timezone(offset if m["sign"] == "+" else -offset))
    precision = "day" if m["d"] else ("month" if m["m"] else "year")
    return when, precision
