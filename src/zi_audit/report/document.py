"""The report document: one typed structure that every output is rendered from.

Built once from a scan's results (`build`), written as the JSON report and as the state
directory's last-report.json, and read back (`read`) by `zi-audit report`, `email` and
`history`. Text, JSON, HTML, Markdown, CSV and both parts of the email render from this
document only, so every figure (complete, missing, per component, due soon) is computed
once, here, and the same scan shows the same numbers everywhere. docs/json-report.md is
the written contract for every key.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from zi_audit import __version__
from zi_audit.core.schema import (
    ChangesDoc,
    FileDoc,
    IndicatorDoc,
    ItemDoc,
    ReportDoc,
    SlotDoc,
    SummaryDoc,
    TrendDoc,
    Written,
)
from zi_audit.core.statuses import (
    GAP_STATUSES,
    INDICATOR_ORDER,
)
from zi_audit.evaluate.model import (
    FileResult,
    IndicatorResult,
    ItemResult,
    KeptIndicator,
    Outcome,
    Report,
    path_mark,
)
from zi_audit.i18n import t
from zi_audit.lke.answers import Answer, Hasil
from zi_audit.lke.model import load_lke
from zi_audit.lke.score import score
from zi_audit.report.figures import components, due_soon, invalid_paths, summarise
from zi_audit.report.unmatched import kept_unmatched, unmatched_folders
from zi_audit.rules.periods import Period
from zi_audit.util.months import format_date
from zi_audit.util.textnorm import display

# --------------------------------------------------------------------------------------------
# Building


def file_doc(f: FileResult) -> FileDoc:
    """A file's part of its item in the report (docs/json-report.md)."""
    facts, why, period = f.facts, f.why, f.date.period
    out: FileDoc = {
        "path": display(f.path),
        "date": period.start.isoformat(),
        "date_source": f.date.source,
        "valid": facts.valid,
        "problems": [*facts.problems, *(w for w in why if w != "text_unread")]
        if why
        else list(facts.problems),
        "status": f.status,
        "size": facts.size,
    }
    if period.kind != "day":
        out["period"] = period.label()
    notes = [*facts.notes, *(w for w in why if w == "text_unread")] if why else facts.notes
    if notes:
        out["notes"] = list(notes)
    if facts.detail:
        out["detail"] = facts.detail
    if f.date.source == "content":
        out["content_source"] = facts.content_date_source
        out["raw_date"] = facts.raw_date
    if f.date.source == "text":
        out["raw_date"] = facts.text_date_raw
    if facts.pages is not None:
        out["pages"] = facts.pages
    return out


def _item(item: ItemResult, files: bool = True) -> ItemDoc:
    e = item.evidence
    out: ItemDoc = {
        "key": e.key,
        "name": e.name,
        "status": item.status,
        "files": [file_doc(f) for f in item.files] if files else [],
        "due": {"start": item.window.start.isoformat(), "end": item.window.end.isoformat()},
        "deadline": item.deadline.isoformat(),
        "expected": {
            "folder": display(item.folder),
            "patterns": list(e.patterns),
            "in_folder": list(e.in_folder),
            "types": sorted(e.types),
        },
    }
    if e.minimum > 1:
        out["have"], out["need"] = item.have, e.minimum
    if e.provided_by:
        out["provided_by"] = e.provided_by
    if e.pic:
        out["pic"] = e.pic
    if e.only_if:
        out["only_if"] = e.only_if
    if item.slots is not None:
        out["slots"] = [
            {
                "label": s.period.label(),
                "kind": s.period.kind,
                "start": s.period.start.isoformat(),
                "end": s.period.end.isoformat(),
                "status": s.status,
                "files": [display(p) for p in s.files],
            }
            for s in item.slots
        ]
    return out


@dataclass(frozen=True)
class DocInputs:
    """What the team tells zi-audit beside the share, the same for every output of a run
    (scan, nightly, watch): the LKE Hasil they entered, their own LKE answers, and who owns
    each component (component id -> name or address)."""

    hasil: Hasil | None = None
    answers: Mapping[str, Answer] | None = None
    owners: Mapping[str, str] = field(default_factory=dict)


def _indicator(res: Outcome, inputs: DocInputs, files: bool) -> IndicatorDoc:
    # A kept fragment as an earlier scan wrote it (state/results.py): whole, or its head
    # with its text (a run that writes JSON only), written as it was read. An owner is put
    # into a new part, never into the kept one: some callers build the report twice.
    if isinstance(res, KeptIndicator):
        doc = (
            res.doc
            if files
            else cast(IndicatorDoc, Written(cast(dict[str, Any], res.head), res.text))
        )
    else:
        doc = indicator_doc(res)
    owner = inputs.owners.get(res.indicator.component)
    if owner is not None:
        doc = with_pic(doc, owner)
    return doc


def with_pic(doc: IndicatorDoc, pic: str) -> IndicatorDoc:
    """The part with its owner added, last; a written part's text is spliced, not encoded
    again (json.dumps puts a key added last at the end). A written part is read from its
    text where it cannot be spliced: its dict may be its head only."""
    if not isinstance(doc, Written):
        return cast(IndicatorDoc, {**doc, "pic": pic})
    if "pic" in doc or not doc.text.endswith("}"):
        return cast(IndicatorDoc, {**json.loads(doc.text), "pic": pic})
    added = ", " + json.dumps("pic") + ": " + json.dumps(pic, ensure_ascii=False) + "}"
    return cast(IndicatorDoc, Written({**doc, "pic": pic}, doc.text[:-1] + added))


def indicator_doc(res: IndicatorResult, files: bool = True) -> IndicatorDoc:
    """An indicator's part of the report, without what the configuration adds: what
    state/results.py keeps for the next scan. Without `files`, its items' file lists
    are left empty (summary_of)."""
    ind = res.indicator
    doc: IndicatorDoc = {
        "id": ind.id,
        "component": ind.component,
        "area": ind.area,
        "text": ind.text,
        "action": ind.action,
        "status": res.status,
        "due": (
            {"start": ind.window.start.isoformat(), "end": ind.window.end.isoformat()}
            if ind.window
            else None
        ),
        "window": ind.window.text if ind.window else None,
        "evidence": [_item(i, files) for i in res.items],
    }
    if ind.lke:
        doc["lke"] = ind.lke
    return doc


def summary_of(report: Report) -> SummaryDoc:
    """The headline figures as build() counts them, without a document for each of the
    share's 18,000 files: what watch keeps between updates, where the whole document
    (15-20 MB while it lives) was built for its summary alone."""
    indicators = [
        res.head if isinstance(res, KeptIndicator) else indicator_doc(res, files=False)
        for res in report.indicators
    ]
    return summarise(indicators, due_soon(indicators, report.as_of), invalid=_invalid(report))


def _invalid(report: Report) -> int:
    """The invalid files, each counted once (a file may serve two indicators): by path,
    or where kept fragments say theirs by `path_mark`, by marks (a watch holds full
    results only, and a mark made for each of 18,000 invalid files was 1.5 MB of it)."""
    paths = {
        f.path
        for res in report.indicators
        if isinstance(res, IndicatorResult)
        for item in res.items
        for f in item.files
        if not f.facts.valid
    }
    kept = [res for res in report.indicators if isinstance(res, KeptIndicator)]
    if not kept:
        return len(paths)
    marks = {path_mark(p) for p in paths}
    for res in kept:
        marks.update(res.invalid)
    return len(marks)


def build(
    report: Report,
    inputs: DocInputs | None = None,
    *,
    changes: ChangesDoc | None = None,
    trend: list[TrendDoc] | None = None,
    all_unmatched: bool = False,
    files: bool = True,
) -> ReportDoc:
    """The one report document every output of a scan renders (lke/score.py for the score).
    Unmatched files: the first UNMATCHED_KEPT (likely homes first), their count and their
    folders; `all_unmatched` (--all) keeps every one (the nightly run writes them all to
    STATE/unmatched.txt). Without `files`, kept indicators are their heads with their
    text (evaluate/model.py, KeptIndicator): for a run that writes JSON only."""
    inputs = inputs or DocInputs()
    rules = report.rules
    indicators = [_indicator(res, inputs, files) for res in report.indicators]
    soon = due_soon(indicators, report.as_of)
    doc: ReportDoc = {
        "tool": "zi-audit",
        "version": __version__,
        "root": display(report.root),
        "rules": display(rules.path),
        "as_of": report.as_of.isoformat(),
        "summary": summarise(indicators, soon, invalid=_invalid(report)),
        "indicators": indicators,
        "unmatched_files": kept_unmatched(report, all_unmatched),
        "unmatched_count": len(report.unmatched),
        "unmatched_folders": unmatched_folders(report.unmatched),
        "unmatched": [
            {"path": display(p), "indicator": ind, "evidence": key, "score": score}
            for p, (ind, key, score) in report.suggestions.items()
        ],
        "problems": [
            {"path": display(p.path), "code": p.code, "detail": p.detail} for p in report.problems
        ],
        "files_seen": report.files_seen,
        "stats": dict(report.stats),
        "plan": {
            "title": rules.title,
            "unit": rules.unit,
            "year": rules.year,
            "ended": report.as_of > dt.date(rules.year, 12, 31),
        },
        "components": components(indicators, [(c.id, c.name) for c in rules.components]),
        "due_soon": soon,
    }
    if any("lke" in i for i in indicators):
        doc["lke"] = score(indicators, load_lke(), inputs.hasil, inputs.answers)
    if changes is not None:
        doc["changes"] = changes
    if trend is not None:
        doc["trend"] = trend
    return doc


# --------------------------------------------------------------------------------------------
# Views every renderer shares


def day(iso: str, lang: str) -> str:
    return format_date(dt.date.fromisoformat(iso), lang)


def slot_label(slot: SlotDoc, lang: str) -> str:
    period = Period(
        dt.date.fromisoformat(slot["start"]), dt.date.fromisoformat(slot["end"]), slot["kind"]
    )
    return period.label(lang)


def gaps(
    doc: ReportDoc, *, statuses: Sequence[str] = GAP_STATUSES
) -> list[tuple[IndicatorDoc, ItemDoc]]:
    """(indicator, evidence) pairs that need work, by deadline, then severity, then id."""
    out = [
        (ind, ev) for ind in doc["indicators"] for ev in ind["evidence"] if ev["status"] in statuses
    ]
    out.sort(
        key=lambda p: (
            p[1]["deadline"],
            INDICATOR_ORDER.index(p[1]["status"]),
            [int(x) if x.isdigit() else 0 for x in p[0]["id"].split(".")],
            p[1]["key"],
        )
    )
    return out


def unmatched_count(doc: ReportDoc) -> int:
    return doc.get("unmatched_count", len(doc["unmatched_files"]))


def invalid_files(doc: ReportDoc) -> list[FileDoc]:
    """Every matched file that is not usable, once each, also under complete indicators."""
    return [f for _, f in sorted(invalid_paths(doc["indicators"]).items())]


def unmatched_files(doc: ReportDoc) -> list[tuple[str, str | None]]:
    """Every file that matches no evidence, with "INDICATOR evidence name" where it most
    likely belongs; those with a likely home first (one move away from counting)."""
    names = {ev["key"]: ev["name"] for ind in doc["indicators"] for ev in ind["evidence"]}
    hints = {
        u["path"]: f"{u['indicator']} {names.get(u['evidence'], '')}".rstrip()
        for u in doc["unmatched"]
    }
    files = sorted(doc["unmatched_files"], key=lambda p: p not in hints)
    return [(path, hints.get(path)) for path in files]


def unreadable_alert(doc: ReportDoc, lang: str) -> str | None:
    """The folders this scan could not read, and what to ask the admin; None when none."""
    folders = [p["path"] for p in doc["problems"] if p["code"] == "unreadable" and p["path"]]
    if not folders:
        return None
    return t("doc.unreadable_alert", lang, n=len(folders), folders=", ".join(folders))


def plan_ended(doc: ReportDoc, lang: str) -> str | None:
    """The sentence every report and email opens with once the plan year is over."""

    if not doc["plan"].get("ended"):
        return None
    year = doc["plan"]["year"]
    return t("doc.plan_ended", lang, year=year, next=year + 1)


def pic_of(ind: IndicatorDoc, item: ItemDoc | None = None) -> str | None:
    """Who answers for a gap: the rule file's PIC of the item (or its indicator or area),
    else the configuration's owner of its component."""
    return (item.get("pic") if item else None) or ind.get("pic")


def done_text(summary: SummaryDoc, lang: str) -> str:
    """The headline figure as every output says it: "8/86 indikator selesai"."""
    return f"{summary['complete']}/{summary['planned']} {t('doc.indicators_done', lang)}"


def headline(doc: ReportDoc) -> dict[str, int]:
    """The summary's figures under the names the templates use."""
    s = doc["summary"]
    by = s["by_status"]
    return {
        "done": s["complete"],
        "planned": s["planned"],
        "missing": by["missing"],
        "invalid": by["invalid"],
        "outdated": by["outdated"],
        "late": by["late"],
        "pending": by["pending"],
        "due_soon": s["due_soon"],
        "gaps": s["gaps"],
    }


def decimal(value: float, lang: str, digits: int = 2) -> str:
    """`21,40` in Indonesian, `21.40` in English."""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "id" else text


def percent(done: int, planned: int) -> int:
    return round(100 * done / planned) if planned else 100
