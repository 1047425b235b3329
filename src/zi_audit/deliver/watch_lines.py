"""What watch prints when files land: one line per evidence item whose status changed,
naming the file that changed it, and one per new file that matches no evidence, with
where it most likely belongs (a misnamed file is one rename away from counting)."""

from __future__ import annotations

from zi_audit.evaluate.model import ItemResult, Report
from zi_audit.i18n import t
from zi_audit.util.textnorm import display


def _name(path: str) -> str:
    return display(path.rpartition("/")[2])


def _why(prev: ItemResult, item: ItemResult, lang: str) -> str:
    before = {f.path for f in prev.files}
    now = {f.path for f in item.files}
    came = [f for f in item.files if f.path not in before]
    went = sorted(before - now)
    if came:
        return f" ({_name(max(came, key=lambda f: f.facts.mtime).path)})"
    if went:  # a deletion names the file that went, not one that stayed
        return f" ({t('doc.went', lang)}: {', '.join(_name(p) for p in went)})"
    newest = max(item.files, key=lambda f: f.facts.mtime, default=None)
    return f" ({_name(newest.path)})" if newest else ""


def status_lines(old: Report, new: Report, lang: str) -> list[str]:
    before = {i.evidence.key: i for r in old.results() for i in r.items}
    lines = []
    for res in new.results():
        for item in res.items:
            prev = before.get(item.evidence.key)
            if prev is None or prev.status == item.status:
                continue
            lines.append(
                f"{res.indicator.id} {item.evidence.name}: "
                f"{t('status.' + prev.status, lang)} -> {t('status.' + item.status, lang)}"
                + _why(prev, item, lang)
            )
    return lines


def unmatched_lines(old: Report, new: Report, lang: str) -> list[str]:
    known = set(old.unmatched)
    names = {e.key: e.name for e in new.rules.evidence()}
    lines = []
    for path in new.unmatched:
        if path in known:
            continue
        hint = new.suggestions.get(path)
        if hint is None:  # no likely home: still said, so a file never lands unseen
            lines.append(f"{display(path)}: {t('watch.unmatched', lang)}")
            continue
        ident, key, _ = hint
        lines.append(
            f"{display(path)}: {t('watch.unmatched', lang)} → "
            f"{t('head.suggest', lang)} {ident} {names.get(key, '')}"
        )
    return lines


def changes_between(old: Report, new: Report, lang: str) -> list[str]:
    return status_lines(old, new, lang) + unmatched_lines(old, new, lang)
