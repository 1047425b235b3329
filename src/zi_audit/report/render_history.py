"""`zi-audit history`: complete indicators per component at each recorded scan.

The figures are the report document's (component `done`/`planned`), as recorded: the
same numbers the text, HTML and email of that scan showed.
"""

from __future__ import annotations

import datetime as dt

from zi_audit.core.schema import TrendDoc
from zi_audit.i18n import t
from zi_audit.report.document import day, decimal
from zi_audit.util.timezones import clock


def render(trend: list[TrendDoc], lang: str, zone: dt.tzinfo | None = None) -> str:
    """One line per scan; its time on the plan's clock, with the zone (`01:30 WIB`)."""
    if not trend:
        return ""
    comps = sorted(trend[-1]["components"])
    head = (
        f"{t('head.scanned', lang):<22}{t('head.as_of', lang):<20}"
        + "".join(f"{c:>7}" for c in comps)
        + f"{t('doc.done', lang):>10}"
        + f"{t('lke.pemenuhan', lang):>12}"
    )
    lines = [head]
    for snap in trend:
        parts = snap["components"]
        done = sum(v[0] for v in parts.values())
        planned = sum(v[1] for v in parts.values())
        cells = "".join(
            f"{parts[c][0]:>4}/{parts[c][1]:<2}" if c in parts else f"{'-':>7}" for c in comps
        )
        when = clock(zone, dt.datetime.fromisoformat(snap["scanned_at"]), seconds=False)
        score = snap.get("pemenuhan")
        shown = f"{decimal(score, lang)}/30" if score is not None else "-"
        lines.append(
            f"{when:<22}{day(snap['as_of'], lang):<20}{cells}{done:>6}/{planned}{shown:>12}"
        )
    return "\n".join(lines) + "\n"
