"""A share that holds several units (a Kanwil and its UPTs): each top-level folder is a unit.

Each unit is scanned as a share of its own, with its own kind (applies_to), history, last
report and Tim ZI email: a file in unit A's folder can never count for unit B. Then a
roll-up for the regional office: units x components (complete/planned), units x LKE areas
(the percent of each area's weight the evidence supports), the Pemenuhan score, the worst gaps.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, replace
from html import escape
from pathlib import Path
from typing import TypedDict

from zi_audit.app import nightly
from zi_audit.app.plan import load_plan
from zi_audit.config import Config, Unit
from zi_audit.core.errors import ExitCode, ZiAuditError
from zi_audit.i18n import t
from zi_audit.pipeline import Pipeline, ScanOptions
from zi_audit.report.document import gaps
from zi_audit.report.render_csv import safe
from zi_audit.rules.model import RuleSet
from zi_audit.state.paths import prepare_state_dir
from zi_audit.util.atomic import atomic_write
from zi_audit.util.textnorm import display

WORST = 3  # gaps per unit in the roll-up


class UnitRow(TypedDict):
    name: str
    folder: str
    exit_code: int
    complete: int | None
    planned: int | None
    missing: int | None
    invalid: int | None
    pemenuhan: float | None
    components: dict[str, list[int]]  # component -> [complete, planned]
    lke_areas: dict[str, float]  # LKE area number -> percent of its weight the evidence supports
    worst: list[str]  # "1.1.1 SK Tim … (kurang)"


class RollupDoc(TypedDict):
    tool: str
    as_of: str | None
    units: list[UnitRow]


@dataclass(frozen=True)
class UnitsRun:
    root: Path
    state: Path
    rules_path: Path | None
    scan: ScanOptions


def units_of(root: Path, config: Config) -> tuple[Unit, ...]:
    """The configuration's units, or every top-level folder (`units: all`, `scan --units`)."""
    if config.units:
        return config.units
    try:
        folders = sorted(
            p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")
        )
    except OSError as exc:
        raise ZiAuditError(f"cannot list the units of {root}: {exc.strerror}") from None
    if not folders:
        raise ZiAuditError(f"{root} holds no unit folders")
    return tuple(Unit(f, f) for f in folders)


def _slug(folder: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", folder).strip("-") or "unit"


def run(run: UnitsRun, config: Config, opts: nightly.RunOptions) -> tuple[ExitCode, RollupDoc]:
    plans: dict[str | None, RuleSet] = {}
    rows: list[UnitRow] = []
    worst = ExitCode.OK
    year = run.scan.as_of.year if run.scan.as_of else None
    for unit in units_of(run.root, config):
        kind = unit.kind or config.unit_kind
        unit_config = replace(config, unit_kind=kind, root=run.root / unit.folder)
        if config.email is not None and unit.recipients:
            unit_config = replace(
                unit_config, email=replace(config.email, recipients=unit.recipients)
            )
        if kind not in plans:
            plans[kind] = load_plan(run.rules_path, unit_config, year)
        unit_root = run.root / unit.folder
        state = prepare_state_dir(run.state / "units" / _slug(unit.folder), unit_root)
        pipeline = Pipeline(unit_root, plans[kind], run.scan, state=state)
        unit_opts = replace(opts, quiet=True, output=None, root_from_config=True, fmt="json")
        code = nightly.run(pipeline, unit_config, state, unit_opts)
        worst = max(worst, code)
        rows.append(_row(unit, code, state.last_report if code != ExitCode.OUTAGE else None, opts))
    as_of = run.scan.as_of.isoformat() if run.scan.as_of else None
    return worst, {"tool": "zi-audit", "as_of": as_of, "units": rows}


def _row(unit: Unit, code: int, report: Path | None, opts: nightly.RunOptions) -> UnitRow:
    row: UnitRow = {
        "name": unit.name,
        "folder": display(unit.folder),
        "exit_code": int(code),
        "complete": None,
        "planned": None,
        "missing": None,
        "invalid": None,
        "pemenuhan": None,
        "components": {},
        "lke_areas": {},
        "worst": [],
    }
    if report is None:
        return row
    from zi_audit.app.readback import read  # the unit's own report, as it was written

    doc = read(report.read_text(encoding="utf-8"), str(report))
    s = doc["summary"]
    row["complete"], row["planned"] = s["complete"], s["planned"]
    row["missing"], row["invalid"] = s["by_status"]["missing"], s["by_status"]["invalid"]
    row["components"] = {c["id"]: [c["done"], c["planned"]] for c in doc["components"]}
    row["pemenuhan"] = doc["lke"]["pemenuhan"]["value"] if "lke" in doc else None
    if "lke" in doc:
        row["lke_areas"] = {
            a["area"]: round(100 * a["value"] / a["weight"], 1)
            for a in doc["lke"]["areas"]
            if a["weight"]
        }
    row["worst"] = [
        f"{ind['id']} {ev['name']} ({t('status.' + ev['status'], 'id')})"
        for ind, ev in gaps(doc)[:WORST]
    ]
    return row


def render(doc: RollupDoc, fmt: str, lang: str) -> str:
    """The roll-up: text, json, csv or html."""
    if fmt == "json":
        return json.dumps(doc, ensure_ascii=False) + "\n"
    comps = sorted({c for u in doc["units"] for c in u["components"]})
    areas = sorted({a for u in doc["units"] for a in u["lke_areas"]})
    head = [
        "unit",
        "folder",
        "complete",
        "planned",
        "missing",
        "invalid",
        "pemenuhan",
        *comps,
        *(f"LKE {a}" for a in areas),
    ]

    def cells(u: UnitRow) -> list[str]:
        score = "" if u["pemenuhan"] is None else f"{u['pemenuhan']:.2f}"
        figures = (u["complete"], u["planned"], u["missing"], u["invalid"])
        base = [u["name"], u["folder"], *("-" if f is None else str(f) for f in figures), score]
        done = ["/".join(map(str, u["components"].get(c, []))) or "-" for c in comps]
        lke = [f"{u['lke_areas'][a]:.0f}%" if a in u["lke_areas"] else "-" for a in areas]
        return base + done + lke

    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow([*head, "worst"])
        for u in doc["units"]:
            writer.writerow([safe(c) for c in [*cells(u), " | ".join(u["worst"])]])
        return "\ufeff" + buf.getvalue()
    if fmt == "html":
        rows = "".join(
            "<tr>"
            + "".join(f"<td>{escape(c)}</td>" for c in cells(u))
            + f"<td>{escape('; '.join(u['worst']))}</td></tr>"
            for u in doc["units"]
        )
        th = "".join(f"<th>{escape(h)}</th>" for h in [*head, "worst"])
        return (
            f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{escape(t('units.title', lang))}</title></head><body>"
            f"<h1>{escape(t('units.title', lang))}</h1><table><tr>{th}</tr>{rows}</table>"
            "</body></html>\n"
        )
    lines = [t("units.title", lang), "  ".join(f"{h:>9}" for h in head)]
    for u in doc["units"]:
        lines.append("  ".join(f"{c[:9]:>9}" for c in cells(u)))
        lines += [f"    - {w}" for w in u["worst"]]
        if u["exit_code"] == ExitCode.OUTAGE:
            lines.append("    - " + t("units.outage", lang))
    return "\n".join(lines) + "\n"


def write(doc: RollupDoc, fmt: str, lang: str, output: Path | None) -> str | None:
    text = render(doc, fmt, lang)
    if output is None:
        return text
    atomic_write(output, text)
    return None
