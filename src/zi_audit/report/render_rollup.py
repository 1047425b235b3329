"""The roll-up for a regional office: one row per unit of a share that holds several.

Units x components (complete/planned), units x LKE areas (the percent of each area's
weight the evidence supports), the Pemenuhan score and each unit's first gaps, as text,
JSON, CSV or HTML, in the chosen language with its decimal sign.
"""

from __future__ import annotations

import csv
import io
import json
from html import escape

from zi_audit.core.errors import ExitCode
from zi_audit.core.schema import RollupDoc, UnitRow, WorstDoc
from zi_audit.i18n import t
from zi_audit.report.document import decimal
from zi_audit.report.render_csv import safe, separator

_HEAD = ("unit", "folder", "complete", "planned", "missing", "invalid", "pemenuhan")


def worst_text(w: WorstDoc, lang: str) -> str:
    return f"{w['indicator']} {w['name']} ({t('status.' + w['status'], lang)})"


def render(doc: RollupDoc, fmt: str, lang: str) -> str:
    """The roll-up: text, json, csv or html."""
    if fmt == "json":
        return json.dumps(doc, ensure_ascii=False) + "\n"
    comps = sorted({c for u in doc["units"] for c in u["components"]})
    areas = sorted({a for u in doc["units"] for a in u["lke_areas"]})
    head = [
        *(t(f"units.{h}", lang) for h in _HEAD),
        *comps,
        *(f"LKE {a}" for a in areas),
    ]
    rows = [
        (_cells(u, comps, areas, lang), [worst_text(w, lang) for w in u["worst"]])
        for u in doc["units"]
    ]
    worst = t("units.worst", lang)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter=separator(lang), lineterminator="\r\n")
        writer.writerow([*head, worst])
        for cells, gaps in rows:
            writer.writerow([safe(c) for c in [*cells, " | ".join(gaps)]])
        return "\ufeff" + buf.getvalue()
    if fmt == "html":
        body = "".join(
            "<tr>"
            + "".join(f"<td>{escape(c)}</td>" for c in cells)
            + f"<td>{escape('; '.join(gaps))}</td></tr>"
            for cells, gaps in rows
        )
        th = "".join(f"<th>{escape(h)}</th>" for h in [*head, worst])
        return (
            f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{escape(t('units.title', lang))}</title></head><body>"
            f"<h1>{escape(t('units.title', lang))}</h1><table><tr>{th}</tr>{body}</table>"
            "</body></html>\n"
        )
    lines = [t("units.title", lang), "  ".join(f"{h[:9]:>9}" for h in head)]
    for u, (cells, gaps) in zip(doc["units"], rows, strict=True):
        lines.append("  ".join(f"{c[:9]:>9}" for c in cells))
        lines += [f"    - {w}" for w in gaps]
        if u["exit_code"] == ExitCode.OUTAGE:
            lines.append("    - " + t("units.outage", lang))
    return "\n".join(lines) + "\n"


def _cells(u: UnitRow, comps: list[str], areas: list[str], lang: str) -> list[str]:
    score = "" if u["pemenuhan"] is None else decimal(u["pemenuhan"], lang)
    figures = (u["complete"], u["planned"], u["missing"], u["invalid"])
    base = [u["name"], u["folder"], *("-" if f is None else str(f) for f in figures), score]
    done = ["/".join(map(str, u["components"].get(c, []))) or "-" for c in comps]
    lke = [f"{decimal(u['lke_areas'][a], lang, 0)}%" if a in u["lke_areas"] else "-" for a in areas]
    return base + done + lke
