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
from zi_audit.report.document import day, decimal
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
        return _html(doc, head, rows, lang)
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


_CSS = (
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;"
    "background:#f4f5f7;color:#1d2330}main{max-width:1200px;margin:0 auto;padding:16px}"
    "h1{font-size:1.3rem;margin:.2rem 0}.sub{color:#5b6475;font-size:.9rem}"
    ".wrap{overflow-x:auto;background:#fff;border-radius:8px;margin-top:12px}"
    "table{border-collapse:collapse;width:100%;font-size:.85rem}"
    "th,td{padding:6px 8px;border-bottom:1px solid #e4e7ec;text-align:right;white-space:nowrap}"
    "th{background:#f9fafb;position:sticky;top:0}td.name,th.name{text-align:left}"
    "td.gaps{text-align:left;white-space:normal;min-width:260px;color:#475467}"
    "td.ok{background:#d1fadf}td.mid{background:#fef0c7}td.low{background:#fee4e2}"
    "tr.out td{color:#b42318}"
)


def _html(
    doc: RollupDoc, head: list[str], rows: list[tuple[list[str], list[str]]], lang: str
) -> str:
    """One table a regional office reads at a glance: LKE area cells coloured against the
    75% (WBBM) and 60% (WBK) marks, each unit's first gaps beside it."""
    e = escape
    areas = sum(1 for h in head if h.startswith("LKE "))
    th = "".join(
        f'<th class="name">{e(h)}</th>' if n < 2 else f"<th>{e(h)}</th>"
        for n, h in enumerate([*head, t("units.worst", lang)])
    )
    body = []
    for u, (cells, gaps) in zip(doc["units"], rows, strict=True):
        tds = []
        for n, c in enumerate(cells):
            cls = "name" if n < 2 else _band(c) if n >= len(cells) - areas else ""
            tds.append(f'<td class="{cls}">{e(c)}</td>' if cls else f"<td>{e(c)}</td>")
        out = u["exit_code"] == ExitCode.OUTAGE
        said = [t("units.outage", lang)] if out else gaps
        tds.append(f'<td class="gaps">{e("; ".join(said))}</td>')
        body.append(f'<tr class="out">{"".join(tds)}</tr>' if out else f"<tr>{''.join(tds)}</tr>")
    when = t("head.as_of", lang) + " " + (day(doc["as_of"], lang) if doc["as_of"] else "-")
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(t('units.title', lang))}</title><style>{_CSS}</style></head><body><main>"
        f'<h1>{e(t("units.title", lang))}</h1><div class="sub">{e(when)}</div>'
        f'<div class="wrap"><table><tr>{th}</tr>{"".join(body)}</table></div>'
        "</main></body></html>\n"
    )


def _band(cell: str) -> str:
    try:
        value = float(cell.rstrip("%").replace(",", "."))
    except ValueError:
        return ""
    return "ok" if value >= 75 else "mid" if value >= 60 else "low"
