"""The Markdown report: for chat groups and wikis. Names are shown as code, never as markup."""

from __future__ import annotations

from zi_audit.core.schema import ReportDoc
from zi_audit.i18n import problem, t
from zi_audit.report.changes import change_groups
from zi_audit.report.document import (
    day,
    gaps,
    headline,
    invalid_files,
    percent,
    pic_of,
    plan_ended,
    unmatched_files,
)
from zi_audit.report.lke_view import md_block


def _code(text: str) -> str:
    """Inline code that no name can break out of (backticks and newlines neutralised)."""
    text = str(text).replace("\n", " ").replace("\r", " ")
    fence = "``" if "`" in text else "`"
    return f"{fence} {text} {fence}" if fence == "``" else f"`{text}`"


def _plain(text: str) -> str:
    out = str(text).replace("\n", " ").replace("\r", " ")
    for ch in "\\`*_[]<>#|":
        out = out.replace(ch, "\\" + ch)
    return out


def render(doc: ReportDoc, lang: str = "id") -> str:
    head = headline(doc)
    lines = [
        f"# {t('head.title', lang)}",
        "",
        f"{_plain(doc['plan']['title'])} · {t('head.as_of', lang)} {day(doc['as_of'], lang)}",
        "",
        f"**{head['done']}/{head['planned']}** {t('doc.indicators_done', lang)} · "
        f"{head['missing']} {t('status.missing', lang)} · {head['invalid']} {t('status.invalid', lang)} · "
        f"{head['outdated']} {t('status.outdated', lang)} · {head['due_soon']} {t('doc.due_soon', lang).lower()}",
        "",
        f"## {t('doc.components', lang)}",
        "",
    ]
    for comp in doc["components"]:
        pct = percent(comp["done"], comp["planned"])
        bar = "█" * (pct // 10) + "░" * (10 - pct // 10)
        lines.append(
            f"- {comp['id']}. {_plain(comp['name'])} `{bar}` {comp['done']}/{comp['planned']}"
        )
    ended = plan_ended(doc, lang)
    if ended:
        lines += [f"> **{_plain(ended)}**", ""]
    lines += md_block(doc, lang)
    lines += _changes(doc, lang) + _due_soon(doc, lang) + _gaps(doc, lang) + _files(doc, lang)
    return "\n".join(lines) + "\n"


def _changes(doc: ReportDoc, lang: str) -> list[str]:
    changes = doc.get("changes")
    lines: list[str] = []
    if changes and changes.get("disappeared"):
        n = len(changes["disappeared"])
        lines += ["", f"> **{t('doc.disappeared_alert', lang, n=n)}**", ">"]
        lines += [f"> - {_code(p)}" for p in changes["disappeared"]]
    if changes is not None and changes["previous"] is not None:
        lines += ["", f"## {t('doc.changes', lang, date=day(changes['previous'], lang))}", ""]
        groups = change_groups(doc, lang)
        for key, entries in groups:
            lines.append(f"**{t('doc.' + key, lang)}**")
            lines += [f"- {_plain(entry)}" for entry in entries]
        if not groups:
            lines.append(t("doc.no_changes", lang))
    return lines


def _due_soon(doc: ReportDoc, lang: str) -> list[str]:
    if not doc["due_soon"]:
        return []
    lines = ["", f"## {t('doc.due_soon', lang)}", ""]
    for d in doc["due_soon"]:
        lines.append(
            f"- **{d['indicator']}** {_plain(d['name'])} — {day(d['deadline'], lang)}, "
            f"{t('gap.folder', lang)} {_code(d['folder'] + '/')}"
        )
    return lines


def _gaps(doc: ReportDoc, lang: str) -> list[str]:
    lines = ["", f"## {t('doc.gaps', lang)}", ""]
    pairs = gaps(doc)
    if not pairs:
        lines.append(t("head.no_gaps", lang))
    for ind, ev in pairs:
        exp = ev["expected"]
        pic = pic_of(ind, ev)
        lines.append(
            f"- **{t('status.' + ev['status'], lang)}** {ind['id']} {_plain(ev['name'])} — "
            f"{t('doc.deadline', lang).lower()} {day(ev['due']['end'], lang)}; {t('gap.folder', lang)} "
            f"{_code(exp['folder'] + '/')}; {t('gap.patterns', lang)} "
            + ", ".join(_code(p) for p in exp["patterns"] + exp["in_folder"])
            + (f"; PIC {_plain(pic)}" if pic else "")
        )
    return lines


def _files(doc: ReportDoc, lang: str) -> list[str]:
    """Files that are not usable, and files that count for nothing."""
    lines: list[str] = []
    bad = invalid_files(doc)
    if bad:
        lines += ["", f"## {t('doc.invalid', lang)}", ""]
        for f in bad:
            problems = ", ".join(problem(p, lang) for p in f["problems"])
            lines.append(f"- {_code(f['path'])} — {problems}")
    unmatched = unmatched_files(doc)
    if unmatched:
        lines += ["", f"## {t('head.unmatched', lang, n=len(unmatched))}", ""]
        for path, hint in unmatched:
            more = f" → {t('head.suggest', lang)} {_plain(hint)}" if hint else ""
            lines.append(f"- {_code(path)}{more}")
    return lines
