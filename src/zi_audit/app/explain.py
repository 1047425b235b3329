"""`zi-audit explain FILE`: why a file counts, or why it does not.

For each file: the evidence items it serves and how it is judged there (present, late,
outdated, invalid), and the items it nearly serves with the reason it does not: its
name misses the patterns, its type is not accepted, a generic name outside its folder,
an exclusion, a date outside the window, or content that will not open.
"""

from __future__ import annotations

from zi_audit.evaluate.statuses import document_date, file_status
from zi_audit.i18n import t
from zi_audit.inspection.facts import Candidate
from zi_audit.pipeline import Pipeline
from zi_audit.rules.model import types_label
from zi_audit.util.months import format_date
from zi_audit.util.textnorm import display


def explain(pipeline: Pipeline, rel: str) -> list[str]:
    """Lines about the file at `rel` (relative to the pipeline's root)."""
    rules, lang = pipeline.rules, pipeline.options.lang
    path = pipeline.root / rel
    st = path.stat()
    facts = pipeline.inspect([Candidate(rel, str(path), st)])[rel]
    date = document_date(rel, facts, rules.year, rules.zone)
    source = t(f"source.{date.source}", lang)
    out = [
        display(rel),
        f"  {t('explain.date', lang)}: {date.period.label(lang)} ({source})",
    ]
    if facts.problems:
        out.append(
            f"  {t('explain.content', lang)}: "
            + ", ".join(t(f"problem.{p}", lang) for p in facts.problems)
        )
    elif facts.notes:
        out.append(
            f"  {t('explain.content', lang)}: "
            + ", ".join(t(f"note.{n}", lang) for n in facts.notes)
        )
    parent, _, name = rel.rpartition("/")
    folder = pipeline.matcher.enter_dir(parent) if parent else pipeline.matcher.enter_dir("")
    conflict = pipeline.matcher.layout.conflict(folder.context, name)
    parts = parent.split("/") if parent else []
    for n in range(1, len(parts) + 1):
        tied = pipeline.matcher.ties.get("/".join(parts[:n]))
        if tied:
            out.append(
                "  " + t("explain.tie", lang, folder=display(parts[n - 1]), ids=", ".join(tied))
            )
    if conflict is not None:
        out.append(f"  {t('explain.conflict', lang, file=conflict[0], folder=conflict[1])}")
    serves, near = [], []
    for item, verdict in pipeline.matcher.diagnose(rel):
        ind = rules.indicator(item.indicator)
        window = item.window or ind.window
        assert window is not None
        if verdict == "match":
            status = file_status(item, rel, date, facts, window, rules.year)
            serves.append(
                f"  {t('status.' + status, lang).upper():<15} {item.indicator:<7} {item.name}"
            )
            if status in ("late", "outdated"):
                serves.append(
                    f"{'':18}{t('explain.window', lang)}: {format_date(window.start, lang)} – {format_date(window.end, lang)}"
                )
            continue
        verdict, _, owner = verdict.partition(":")
        why = {
            "owned": t("explain.owned", lang, owner=owner),
            "pattern": t(
                "explain.pattern",
                lang,
                patterns=", ".join(f'"{p}"' for p in (*item.patterns, *item.in_folder)),
            ),
            "type": t("explain.type", lang, types=types_label(item.types, lang)),
            "folder": t("explain.folder", lang, indicator=item.indicator),
            "excluded": t(
                "explain.excluded", lang, patterns=", ".join(f'"{p}"' for p in item.exclude)
            ),
        }[verdict]
        near.append(f"  {'-':<15} {item.indicator:<7} {item.name}\n{'':18}{why}")
    out.append(
        f"  {t('explain.serves', lang)}:" if serves else f"  {t('explain.serves_none', lang)}"
    )
    out += serves
    if near:
        out.append(f"  {t('explain.near', lang)}:")
        out += near
    return out
