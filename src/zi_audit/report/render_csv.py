"""The CSV report: one row per evidence item, for Excel. Cells cannot become formulas.

A file named `=HYPERLINK(…).pdf` would run as a formula in Excel; any cell starting
with `=`, `+`, `-`, `@` (or a tab or carriage return) is prefixed with `'`.
Written with a UTF-8 byte-order mark so Excel reads Indonesian text right.
"""

from __future__ import annotations

import csv
import io

from zi_audit.core.schema import IndicatorDoc, ItemDoc, ReportDoc
from zi_audit.i18n import problem, t
from zi_audit.report.document import decimal, pic_of, unmatched_files

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def safe(cell: object) -> str:
    text = str(cell).replace("\r\n", " ").replace("\n", " ")
    return "'" + text if text.startswith(_FORMULA) else text


_COLUMNS = (
    "indicator",
    "component",
    "indicator_status",
    "evidence",
    "status",
    "deadline",
    "folder",
    "patterns",
    "files",
    "problems",
    "pic",
    "lke",
    "lke_value",
    "points",
)


def separator(lang: str) -> str:
    """Excel set to Indonesian expects ';' between fields (its decimal sign is the comma) and
    opens such a file, BOM first, by a double click; English keeps ','."""
    return ";" if lang == "id" else ","


def render(doc: ReportDoc, lang: str = "id") -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=separator(lang), lineterminator="\r\n")
    writer.writerow([t(f"csv.{k}", lang) for k in _COLUMNS])
    lke = doc.get("lke")
    row_value = {r["key"]: r["value"] for r in lke["rows"]} if lke else {}
    points = {f["key"]: f["points"] for f in lke["fix_first"]} if lke else {}
    for ind in doc["indicators"]:
        evidence: list[ItemDoc | None] = [*ind["evidence"]] or [None]
        for ev in evidence:
            link = ind.get("lke", "")
            scored = (
                link.split(":")[-1],
                decimal(row_value[link], lang) if link in row_value else "",
                decimal(points[ev["key"]], lang) if ev is not None and ev["key"] in points else "",
            )
            row = (*_item_cells(ind, ev, lang), pic_of(ind, ev) or "", *scored)
            writer.writerow([safe(c) for c in row])
    unmatched = t("csv.unmatched", lang)
    for path, hint in unmatched_files(doc):
        ident, _, name = (hint or "").partition(" ")
        folder = path.rpartition("/")[0]
        row = (ident, "", "", name, unmatched, "", folder, "", path)
        writer.writerow([safe(c) for c in row] + [""] * (len(_COLUMNS) - len(row)))
    return "\ufeff" + buf.getvalue()


def _item_cells(ind: IndicatorDoc, ev: ItemDoc | None, lang: str) -> list[str]:
    """Indicator to problems: one evidence item, or the indicator with none planned."""
    if ev is None:
        return [ind["id"], ind["component"], t("status.not_planned", lang), *[""] * 7]
    exp = ev["expected"]
    problems = sorted({problem(p, lang) for f in ev["files"] for p in f["problems"]})
    return [
        ind["id"],
        ind["component"],
        t(f"status.{ind['status']}", lang),
        ev["name"],
        t(f"status.{ev['status']}", lang),
        ev["due"]["end"],
        exp["folder"],
        " | ".join(exp["patterns"] + exp["in_folder"]),
        " | ".join(f["path"] for f in ev["files"]),
        " | ".join(problems),
    ]
