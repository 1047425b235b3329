"""The terminal report: a screen a Tim ZI member can scan in ten seconds.

Headline, a bar per component, then every gap ordered by deadline, each naming
the evidence, the folder and the file-name pattern expected, so that closing
the gap is one upload away.
"""

from __future__ import annotations

import datetime as dt

from zi_audit.i18n import t
from zi_audit.evaluate.model import INDICATOR_ORDER, STATUSES, ItemResult, Report
from zi_audit.months import format_date
from zi_audit.rules.plan import types_label
from zi_audit.textnorm import display

_GAP_STATUSES = ("missing", "invalid", "outdated", "late", "pending")
_BAR = 20
SOON_DAYS = 30  # pending items due within this many days are shown in full


def _bar(done: int, total: int) -> str:
    filled = round(_BAR * done / total) if total else 0
    return "█" * filled + "░" * (_BAR - filled)


def _gap_lines(item: ItemResult, indicator_id: str, lang: str) -> list[str]:
    e = item.evidence
    label = t(f"status.{item.status}", lang).upper()
    lines = [
        f"  {label:<15} {indicator_id:<7} {e.name}  ({t('gap.due', lang, date=format_date(item.deadline, lang))})"
    ]
    pad = " " * 26
    if item.slots:
        open_slots = [
            s.period.label(lang) for s in item.slots if s.status in ("missing", "pending")
        ]
        if open_slots:
            lines.append(pad + t("gap.slots_open", lang, slots=", ".join(open_slots)))
    if item.status in ("invalid", "outdated", "late"):
        shown = item.files[:3]
        for f in shown:
            when = f"{format_date(f.date.day, lang)} ({t(f'source.{f.date.source}', lang)})"
            why = ", ".join(t(f"problem.{p}", lang) for p in f.facts.problems) or when
            lines.append(f"{pad}{t('gap.files', lang)}: {display(f.path)} — {why}")
        if len(item.files) > len(shown):
            lines.append(pad + t("gap.more", lang, n=len(item.files) - len(shown)))
    folder = display(item.folder) + "/"
    patterns = ", ".join(f'"{p}"' for p in (*e.patterns, *e.in_folder))
    lines.append(f"{pad}{t('gap.folder', lang)}: {folder}")
    lines.append(
        f"{pad}{t('gap.patterns', lang)}: {patterns}; {t('gap.types', lang)}: {types_label(e.types)}"
    )
    return lines


def render(report: Report, lang: str = "id", *, show_all: bool = False) -> str:
    rules = report.rules
    matched = len({f.path for ind in report.indicators for i in ind.items for f in i.files})
    out = [
        f"{t('head.title', lang)} — {rules.title}",
        f"{t('head.root', lang)}: {display(report.root)}    {t('head.as_of', lang)}: {format_date(report.as_of, lang)}",
        t("head.files", lang, files=report.files_seen, matched=matched)
        + (
            "; "
            + t("head.opened", lang, opened=report.stats["opened"], cached=report.stats["cached"])
            if "opened" in report.stats
            else ""
        ),
        "",
        t("head.components", lang) + ":",
    ]
    for comp in rules.components:
        results = [r for r in report.indicators if r.indicator.component == comp.id]
        planned = [r for r in results if r.status != "not_planned"]
        done = sum(1 for r in planned if r.status in ("present", "late"))
        out.append(
            f"  {comp.id}. {comp.name[:38]:<38} {_bar(done, len(planned))} {done:>2}/{len(planned):<2}"
        )
    counts = ", ".join(
        f"{report.by_status[s]} {t(f'status.{s}', lang)}" for s in STATUSES if report.by_status[s]
    )
    out += [
        "",
        f"{t('head.summary', lang)}: {t('head.indicators', lang, n=len(report.indicators))} — {counts}",
        "",
    ]

    gaps = [
        (item.deadline, INDICATOR_ORDER.index(item.status), res.indicator.id, item)
        for res in report.indicators
        for item in res.items
        if item.status in _GAP_STATUSES
    ]
    gaps.sort(key=lambda g: (g[0], g[1], [int(x) for x in g[2].split(".")], g[3].evidence.key))
    horizon = report.as_of + dt.timedelta(days=SOON_DAYS)
    shown = [g for g in gaps if show_all or g[3].status != "pending" or g[0] <= horizon]
    later = [g for g in gaps if g not in shown]
    if gaps:
        out.append(t("head.gaps", lang) + ":")
        for _, _, ident, item in shown:
            out += _gap_lines(item, ident, lang)
        if later:
            last = format_date(max(g[0] for g in later), lang)
            out.append("  " + t("head.later", lang, n=len(later), days=SOON_DAYS, last=last))
    else:
        out.append(t("head.no_gaps", lang))
    not_planned = [r.indicator.id for r in report.indicators if r.status == "not_planned"]
    if not_planned:
        out.append(f"  {t('status.not_planned', lang).upper():<15} {', '.join(not_planned)}")
    if report.problems:
        out += ["", t("head.problems", lang) + ":"]
        for p in report.problems[:20]:
            detail = f" ({p.detail})" if p.detail else ""
            out.append(f"  {display(p.path) or '.'}: {t(f'problem.{p.code}', lang)}{detail}")
        if len(report.problems) > 20:
            out.append("  " + t("gap.more", lang, n=len(report.problems) - 20))
    if report.unmatched:
        out += ["", t("head.unmatched", lang, n=len(report.unmatched)) + ":"]
        items = {e.key: e for e in rules.evidence()}
        for path, (ident, key, _) in list(report.suggestions.items())[:10]:
            out.append(f"  {display(path)}")
            out.append(f"      → {t('head.suggest', lang)} {ident} {items[key].name[:60]}")
        if len(report.suggestions) > 10:
            out.append("  " + t("gap.more", lang, n=len(report.suggestions) - 10))
    return "\n".join(out) + "\n"
