"""The terminal report: a screen a Tim ZI member can scan in ten seconds.

Headline, a bar per component, then every gap ordered by deadline, each naming
the evidence, the folder and the file-name pattern expected, so that closing
the gap is one upload away. Rendered from the report document, like every output.
"""

from __future__ import annotations

import datetime as dt

from zi_audit.core.schema import ItemDoc, ReportDoc
from zi_audit.core.statuses import GAP_STATUSES, SOON_DAYS, STATUSES
from zi_audit.i18n import problem, t
from zi_audit.report.changes import change_groups
from zi_audit.report.document import (
    day,
    done_text,
    gaps,
    invalid_files,
    pic_of,
    plan_ended,
    slot_label,
    unmatched_count,
    unmatched_files,
    unreadable_alert,
)
from zi_audit.report.lke_view import text_block
from zi_audit.rules.model import types_label

_BAR = 20
_SHOWN_PROBLEMS = 20
# Unmatched files listed in a text report (those with a likely home first); a mis-set root
# or a share of photos leaves tens of thousands, which belong in the JSON or HTML report.
_SHOWN_UNMATCHED = 50


def _bar(done: int, total: int) -> str:
    filled = round(_BAR * done / total) if total else 0
    return "█" * filled + "░" * (_BAR - filled)


def _problems(codes: list[str], lang: str) -> str:
    return ", ".join(problem(p, lang) for p in codes)


def _gap_lines(item: ItemDoc, indicator_id: str, lang: str, pic: str | None) -> list[str]:
    label = t(f"status.{item['status']}", lang).upper()
    due = t("gap.due", lang, date=day(item["deadline"], lang))
    lines = [f"  {label:<15} {indicator_id:<7} {item['name']}  ({due})"]
    pad = " " * 26
    slots = item.get("slots", [])
    for status, key in (("missing", "gap.slots_open"), ("pending", "gap.slots_coming")):
        named = [slot_label(x, lang) for x in slots if x["status"] == status]
        if named:  # missing periods and those still to come, said apart
            lines.append(pad + t(key, lang, slots=", ".join(named)))
    if item["status"] in ("invalid", "outdated", "late"):
        shown = item["files"][:3]
        for f in shown:
            when = f"{day(f['date'], lang)} ({t('source.' + f['date_source'], lang)})"
            why = _problems(f["problems"], lang) or when
            lines.append(f"{pad}{t('gap.files', lang)}: {f['path']} — {why}")
        if len(item["files"]) > len(shown):
            lines.append(pad + t("gap.more", lang, n=len(item["files"]) - len(shown)))
    exp = item["expected"]
    patterns = ", ".join(f'"{p}"' for p in (*exp["patterns"], *exp["in_folder"]))
    types = types_label(frozenset(exp["types"]), lang)
    lines.append(f"{pad}{t('gap.folder', lang)}: {exp['folder']}/")
    if pic:
        lines.append(f"{pad}{t('doc.pic', lang)}: {pic}")
    lines.append(f"{pad}{t('gap.patterns', lang)}: {patterns}; {t('gap.types', lang)}: {types}")
    return lines


def _head(doc: ReportDoc, lang: str) -> list[str]:
    summary, stats = doc["summary"], doc["stats"]
    files = t("head.files", lang, files=doc["files_seen"], matched=stats.get("matched", 0))
    if "opened" in stats:
        files += "; " + t("head.opened", lang, opened=stats["opened"], cached=stats["cached"])
    if stats.get("ocr_waiting"):
        how = "installed" if stats.get("ocr_installed") else "missing"
        files += "\n" + t(f"head.ocr_{how}", lang, n=stats["ocr_waiting"])
    ended = plan_ended(doc, lang)
    blind = unreadable_alert(doc, lang)
    out = [
        *([f"!!! {ended}", ""] if ended else []),
        *([f"!!! {blind}", ""] if blind else []),
        f"{t('head.title', lang)} — {doc['plan']['title']}",
        f"{t('head.root', lang)}: {doc['root']}    {t('head.as_of', lang)}: {day(doc['as_of'], lang)}",
        files,
        "",
        t("head.components", lang) + ":",
    ]
    for comp in doc["components"]:
        done, planned = comp["done"], comp["planned"]
        out.append(
            f"  {comp['id']}. {comp['name'][:38]:<38} {_bar(done, planned)} {done:>2}/{planned:<2}"
        )
    by = summary["by_status"]
    counts = ", ".join(f"{by[s]} {t(f'status.{s}', lang)}" for s in STATUSES if by[s])
    complete = done_text(summary, lang)
    out += ["", f"{t('head.summary', lang)}: {complete} — {counts}", ""]
    return out


def changes_text(doc: ReportDoc, lang: str) -> list[str]:
    """The changes since the last recorded scan, for the top of a text report or email."""
    changes = doc.get("changes")
    if changes is None or changes["previous"] is None:
        return []
    out = [t("doc.changes", lang, date=day(changes["previous"], lang)) + ":"]
    groups = change_groups(doc, lang)
    for key, lines in groups:
        out.append(f"  {t('doc.' + key, lang)}:")
        out += [f"    - {line}" for line in lines]
    if not groups:
        out.append("  " + t("doc.no_changes", lang))
    return [*out, ""]


def render(doc: ReportDoc, lang: str = "id", *, show_all: bool = False) -> str:
    out = _head(doc, lang) + text_block(doc, lang) + changes_text(doc, lang)
    horizon = (dt.date.fromisoformat(doc["as_of"]) + dt.timedelta(days=SOON_DAYS)).isoformat()
    pairs = gaps(doc, statuses=(*GAP_STATUSES, "pending"))
    shown = [
        p for p in pairs if show_all or p[1]["status"] != "pending" or p[1]["deadline"] <= horizon
    ]
    later = [p for p in pairs if p not in shown]
    if pairs:
        out.append(t("head.gaps", lang) + ":")
        for ind, item in shown:
            out += _gap_lines(item, ind["id"], lang, pic_of(ind, item))
        if later:
            last = day(max(p[1]["deadline"] for p in later), lang)
            out.append("  " + t("head.later", lang, n=len(later), days=SOON_DAYS, last=last))
    else:
        out.append(t("head.no_gaps", lang))
    not_planned = [i["id"] for i in doc["indicators"] if i["status"] == "not_planned"]
    if not_planned:
        out.append(f"  {t('status.not_planned', lang).upper():<15} {', '.join(not_planned)}")
    out += _invalid(doc, lang) + _walk_problems(doc, lang) + _unmatched(doc, lang, show_all)
    return "\n".join(out) + "\n"


def _invalid(doc: ReportDoc, lang: str) -> list[str]:
    bad = invalid_files(doc)
    if not bad:
        return []
    out = ["", t("doc.invalid", lang) + ":"]
    for f in bad:
        # the reader's own words are English: shown only where the report is
        detail = f" ({f['detail']})" if f.get("detail") and lang == "en" else ""
        out.append(f"  {f['path']}: {_problems(f['problems'], lang)}{detail}")
    return out


def _walk_problems(doc: ReportDoc, lang: str) -> list[str]:
    problems = doc["problems"]
    if not problems:
        return []
    out = ["", t("head.problems", lang) + ":"]
    for p in problems[:_SHOWN_PROBLEMS]:
        detail = (
            f" ({p['detail']})"
            if p["detail"] and (lang == "en" or p["code"] == "id_conflict")
            else ""
        )
        what = t("problem." + p["code"], lang)
        out.append(f"  {p['path'] or '.'}: {what}{detail}")
    if len(problems) > _SHOWN_PROBLEMS:
        out.append("  " + t("gap.more", lang, n=len(problems) - _SHOWN_PROBLEMS))
    return out


def _unmatched(doc: ReportDoc, lang: str, show_all: bool = False) -> list[str]:
    files = unmatched_files(doc)
    if not files:
        return []
    total = unmatched_count(doc)
    out = ["", t("head.unmatched", lang, n=total) + ":"]
    shown = files if show_all else files[:_SHOWN_UNMATCHED]
    for path, hint in shown:
        out.append(f"  {path}")
        if hint:
            out.append(f"      → {t('head.suggest', lang)} {hint}")
    if total > len(shown):
        out.append("  " + t("gap.more_unmatched", lang, n=total - len(shown)))
    return out
