"""What `zi-audit rules check` says of a rule file beyond "it loads".

The counts a rule author wants to see, and the items that would not match a file named
after themselves in their own folder: a pattern that can never match is a gap that can
never close, and the author should hear it now rather than from an evaluator.
"""

from __future__ import annotations

from zi_audit.app import skeleton
from zi_audit.i18n import t
from zi_audit.lke.model import load_lke
from zi_audit.match.folders import folder_names
from zi_audit.match.matcher import Matcher
from zi_audit.rules.model import RuleSet


def summary(rules: RuleSet, lang: str = "id") -> list[str]:
    items = list(rules.evidence())
    recurring = []
    for e in items:
        window = e.window or rules.indicator(e.indicator).window
        if e.every or (window is not None and len(window.parts) > 1):
            recurring.append(e)
    only_folder = [e for e in items if not e.patterns]
    counts = {
        "components": len(rules.components),
        "areas": len(rules.areas),
        "indicators": len(rules.indicators),
    }
    lines = [
        t("check.ok", lang, path=rules.path),
        "  " + t("check.counts", lang, **counts),
        "  " + t("check.items", lang, n=len(items), recurring=len(recurring), own=len(only_folder)),
    ]
    unplanned = [i.id for i in rules.indicators if not i.planned]
    if unplanned:
        lines.append("  " + t("check.unplanned", lang, ids=", ".join(unplanned)))
    lines += lke_coverage(rules, lang)
    missed = self_misses(rules)
    if missed:
        lines.append("  " + t("check.self_misses", lang))
        lines += [f"    {line}" for line in missed]
    return lines


def lke_coverage(rules: RuleSet, lang: str = "id") -> list[str]:
    """Which LKE Pemenuhan rows the plan does not cover (they are still scored, at 0) and
    which LKE rows several plan rows claim. Nothing for a plan that links no LKE row."""
    links: dict[str, list[str]] = {}
    for ind in rules.indicators:
        if ind.lke:
            links.setdefault(ind.lke, []).append(ind.id)
    if not links:
        return []
    lke = load_lke()
    lines = ["  " + t("check.linked", lang, n=len(links))]
    for row in lke.rows("pemenuhan"):
        if row.scored and row.key not in links:
            lines.append("  " + t("check.uncovered", lang, row=row.id))
    planned = {i.id for i in rules.indicators if i.planned}
    for key, ids in sorted(links.items()):
        if not any(i in planned for i in ids):
            row_id, joined = key.split(":")[1], ", ".join(ids)
            lines.append("  " + t("check.no_evidence", lang, row=row_id, ids=joined))
        if len(ids) > 1:
            lines.append("  " + t("check.claimed", lang, row=key.split(":")[1], ids=", ".join(ids)))
    return lines


def self_misses(rules: RuleSet) -> list[str]:
    matcher = Matcher(rules)
    layout = folder_names(rules)
    missed = []
    for ind in rules.indicators:
        for item in ind.evidence:
            name = skeleton.suggested_names(item, ind)[0]
            if item.key not in {e.key for e in matcher.match_path(f"{layout[ind.id]}/{name}")}:
                missed.append(f"{item.key} {item.name}")
    return missed


def show(rules: RuleSet, ident: str, lang: str) -> str:
    """One indicator in full: the note init writes, then each item's matching details."""
    indicator = rules.indicator(ident)
    generic = skeleton.generic_names(Matcher(rules), folder_names(rules)[ident], ident)
    lines = [skeleton.note_text(indicator, lang, generic).rstrip("\n")]
    for item in indicator.evidence:
        every = "/".join(t(f"every.{e}", lang) for e in item.every)
        extra = [t("show.every", lang, every=every)] if item.every else []
        if item.exclude:
            patterns = ", ".join(f'"{p}"' for p in item.exclude)
            extra.append(t("show.exclude", lang, patterns=patterns))
        if item.year_bound:
            extra.append(t("show.year_bound", lang, year=rules.year))
        if extra:
            lines.append(f"  {item.key}: " + "; ".join(extra))
    return "\n".join(lines) + "\n"
