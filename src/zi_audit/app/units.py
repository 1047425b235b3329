"""A share that holds several units (a Kanwil and its UPTs): each top-level folder is a unit.

Each unit is scanned as a share of its own, with its own kind (applies_to), history, last
report and Tim ZI email: a file in unit A's folder can never count for unit B. Then a
roll-up for the regional office: units x components (complete/planned), units x LKE areas
(the percent of each area's weight the evidence supports), the Pemenuhan score, the worst gaps.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple, cast

from zi_audit.app import nightly
from zi_audit.app.plan import load_plan
from zi_audit.app.readback import read
from zi_audit.app.session import ScanSession
from zi_audit.config import Config, Unit
from zi_audit.core.errors import ExitCode, ZiAuditError
from zi_audit.core.schema import RollupDoc, UnitRow
from zi_audit.i18n import t
from zi_audit.pipeline import Pipeline, ScanOptions
from zi_audit.report import render_rollup
from zi_audit.report.document import gaps
from zi_audit.rules.model import RuleSet
from zi_audit.state.paths import StateDir, prepare_state_dir
from zi_audit.util.atomic import atomic_write
from zi_audit.util.textnorm import display

WORST = 3  # gaps per unit in the roll-up


class UnitsRun(NamedTuple):
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
                unit_config, email=config.email._replace(recipients=unit.recipients)
            )
        if kind not in plans:
            plans[kind] = load_plan(run.rules_path, unit_config, year)
        unit_root = run.root / unit.folder
        slug = _slug(unit.folder)
        state = prepare_state_dir(run.state / "units" / slug, unit_root, run.scan.lang)
        pipeline = Pipeline(unit_root, plans[kind], run.scan, state=state, keep_results=True)
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
        {"indicator": ind["id"], "name": ev["name"], "status": ev["status"]}
        for ind, ev in gaps(doc)[:WORST]
    ]
    return row


def write(doc: RollupDoc, fmt: str, lang: str, output: Path | None) -> str | None:
    text = render_rollup.render(doc, fmt, lang)
    if output is None:
        return text
    atomic_write(output, text)
    return None


def scan_units(
    session: ScanSession, rules_path: Path | None, scan: ScanOptions, opts: nightly.RunOptions
) -> ExitCode:
    """`scan --units`: each unit's run, then the roll-up in the format asked (text for the
    formats a roll-up has no page of its own in), printed unless it went to --output."""
    job = UnitsRun(session.pipeline.root, session.state.path, rules_path, scan)
    code, rollup = run(job, session.config, opts)
    text = json.dumps(rollup, ensure_ascii=False) + "\n"
    atomic_write(session.state.last_rollup, text, private=True)
    fmt = opts.fmt if opts.fmt in ("json", "csv", "html") else "text"
    shown = write(rollup, fmt, session.lang, opts.output)
    if shown is not None and not opts.quiet:
        opts.stdout.write(shown)
    return code


def last_rollup(state: StateDir, lang: str) -> RollupDoc:
    """The roll-up the last `scan --units` wrote, as it was."""
    try:
        doc = json.loads(state.last_rollup.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ZiAuditError(t("units.none_yet", lang, path=state.path)) from None
    except (OSError, ValueError) as exc:
        raise ZiAuditError(f"{state.last_rollup}: {exc}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("units"), list):
        raise ZiAuditError(f"{state.last_rollup}: not a roll-up")
    return cast(RollupDoc, doc)
