"""`zi-audit explain FILE`: why a file counts, or why it does not.

For each file: the evidence items it serves and how it is judged there (present, late,
outdated, invalid), and the items it nearly serves with the reason it does not: its
name misses the patterns, its type is not accepted, a generic name outside its folder,
an exclusion, a date outside the window, or content that will not open.
"""

from __future__ import annotations

from zi_audit.core.facts import FileFacts
from zi_audit.evaluate.files import content_problems, document_date, file_status
from zi_audit.evaluate.model import DocDate
from zi_audit.i18n import problem, t
from zi_audit.inspection.facts import Candidate
from zi_audit.pipeline import Pipeline
from zi_audit.rules.model import Evidence, types_label
from zi_audit.util.months import format_date
from zi_audit.util.textnorm import display


def explain(pipeline: Pipeline, rel: str) -> list[str]:
    """Lines about the file at `rel` (relative to the pipeline's root)."""
    rules, lang = pipeline.rules, pipeline.options.lang
    path = pipeline.root / rel
    facts = pipeline.inspect([Candidate(rel, str(path), path.stat())])[rel]
    date = document_date(rel, facts, rules.year, rules.zone)
    source = t(f"source.{date.source}", lang)
    out = [display(rel), f"  {t('explain.date', lang)}: {date.period.label(lang)} ({source})"]
    if date.source == "text" and facts.text_date_raw:
        out.append(f"{'':4}\u201c{display(facts.text_date_raw)}\u201d")
    codes = [problem(p, lang) for p in facts.problems] or [
        t(f"note.{n}", lang) for n in facts.notes
    ]
    if codes:
        out.append(f"  {t('explain.content', lang)}: " + ", ".join(codes))
    out += _place(pipeline, rel)
    serves, near = [], []
    for item, verdict in pipeline.matcher.diagnose(rel):
        if verdict == "match":
            serves += _serves(pipeline, item, rel, date, facts)
        else:
            near.append(
                f"  {'-':<15} {item.indicator:<7} {item.name}\n{'':18}{_why(item, verdict, lang)}"
            )
    out.append(
        f"  {t('explain.serves', lang)}:" if serves else f"  {t('explain.serves_none', lang)}"
    )
    out += serves
    if near:
        out.append(f"  {t('explain.near', lang)}:")
        out += near
    return out


def _place(pipeline: Pipeline, rel: str) -> list[str]:
    """Folders on the way that tied between ids, and an id in the name its folder denies."""
    lang = pipeline.options.lang
    parent, _, name = rel.rpartition("/")
    folder = pipeline.matcher.enter_dir(parent)
    parts = parent.split("/") if parent else []
    out = []
    for n in range(1, len(parts) + 1):
        tied = pipeline.matcher.ties.get("/".join(parts[:n]))
        if tied:
            out.append(
                "  " + t("explain.tie", lang, folder=display(parts[n - 1]), ids=", ".join(tied))
            )
    conflict = pipeline.matcher.layout.conflict(folder.context, name)
    if conflict is not None:
        out.append(f"  {t('explain.conflict', lang, file=conflict[0], folder=conflict[1])}")
    return out


def _serves(
    pipeline: Pipeline, item: Evidence, rel: str, date: DocDate, facts: FileFacts
) -> list[str]:
    """How the file is judged for an item it counts for, with the window where it misses."""
    rules, lang = pipeline.rules, pipeline.options.lang
    window = item.window or rules.indicator(item.indicator).window
    assert window is not None
    why = content_problems(item, rel, facts, rules.year)
    status = file_status(item, rel, date, facts, window, rules.year, why)
    out = [f"  {t('status.' + status, lang).upper():<15} {item.indicator:<7} {item.name}"]
    out += [f"{'':18}{problem(w, lang) if ':' in w else t('note.' + w, lang)}" for w in why]
    if status in ("late", "outdated"):
        span = f"{format_date(window.start, lang)} – {format_date(window.end, lang)}"
        out.append(f"{'':18}{t('explain.window', lang)}: {span}")
    return out


def _why(item: Evidence, verdict: str, lang: str) -> str:
    """Why a file nearly counts for an item but does not (the matcher's verdict)."""
    verdict, _, owner = verdict.partition(":")
    if verdict == "owned":
        return t("explain.owned", lang, owner=owner)
    if verdict == "pattern":
        patterns = ", ".join(f'"{p}"' for p in (*item.patterns, *item.in_folder))
        return t("explain.pattern", lang, patterns=patterns)
    if verdict == "type":
        return t("explain.type", lang, types=types_label(item.types, lang))
    if verdict == "folder":
        return t("explain.folder", lang, indicator=item.indicator)
    return t("explain.excluded", lang, patterns=", ".join(f'"{p}"' for p in item.exclude))
