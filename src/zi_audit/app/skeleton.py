"""`zi-audit init`: lay out the share from the rules, adding only what is missing.

The skeleton uses the numbered layout the matcher recognises best. On an existing share
the folders the team already has (in any layout zi-audit understands) are kept and
used; only components, areas and indicators with no folder get one. Each indicator
folder gets a short note (BACA-SAYA.txt / READ-ME.txt) of the evidence it expects.
Nothing is ever overwritten, renamed or deleted: running it twice changes nothing.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from zi_audit.i18n import t
from zi_audit.match.folders import detect_style, folder_names
from zi_audit.match.matcher import Matcher
from zi_audit.rules.model import Evidence, Indicator, RuleSet, types_label
from zi_audit.rules.periods import slots
from zi_audit.util.months import format_date
from zi_audit.walk.walker import Walker

NOTE = {"id": "BACA-SAYA.txt", "en": "READ-ME.txt"}


class Action(NamedTuple):
    kind: str  # mkdir | note
    path: str  # relative to DEST
    indicator: str | None = None  # for a note: whose
    text: str = ""  # for a note: what it says


def suggested_names(item: Evidence, indicator: Indicator) -> list[str]:
    """File names that count for `item`: its own name, dated inside its window (one per slot)."""
    window = item.window or indicator.window
    assert window is not None
    ext = "pdf" if "pdf" in item.types else sorted(item.types)[0]
    base = " ".join(item.name.replace("/", " ").split())[:90]
    periods = list(window.parts) if len(window.parts) > 1 else []
    for every in item.every[:1]:
        periods = slots(window, every)
    if periods:
        return [f"{base} {p.label()}.{ext}" for p in periods]
    return [f"{base} {window.start.isoformat()}.{ext}"]


# Names a team gives a meeting's papers without a date or a subject: a note says which of
# them count in its folder, as the matcher decides (most indicators take none of them).
GENERIC_NAMES = (
    "Undangan.pdf",
    "Daftar Hadir.pdf",
    "Notulen.pdf",
    "Foto Kegiatan.jpg",
    "Dokumentasi.jpg",
    "Laporan.pdf",
)


def generic_names(matcher: Matcher, folder: str, indicator: str) -> list[str]:
    """The plain names that count for `indicator` when filed in `folder`."""
    return [
        name
        for name in GENERIC_NAMES
        if any(e.indicator == indicator for e in matcher.match_path(f"{folder}/{name}"))
    ]


def note_text(indicator: Indicator, lang: str, generic: list[str]) -> str:
    """The note of an indicator's folder: what it expects, and which plain names count."""
    window = indicator.window
    span = f"{format_date(window.start, lang)} – {format_date(window.end, lang)}" if window else "-"
    lines = [
        f"{indicator.id}  {indicator.text}",
        "",
        f"{t('note.action', lang)}: {indicator.action or '-'}",
        f"{t('note.window', lang)}: {span}",
        "",
        t("note.expected", lang),
    ]
    for item in indicator.evidence:
        names = suggested_names(item, indicator)
        patterns = ", ".join(f'"{p}"' for p in (*item.patterns, *item.in_folder))
        lines += [
            f"  - {item.name}",
            f"      {t('note.types', lang)}: {types_label(item.types, lang)}",
            f"      {t('note.patterns', lang)}: {patterns}",
            f"      {t('note.example', lang)}: {names[0]}",
        ]
        if len(names) > 1:
            lines.append(f"      ({t('note.per_period', lang)}: {len(names)})")
    if not indicator.evidence:
        lines.append(f"  - {t('note.no_evidence', lang)}")
    plain = (
        t("note.tip_generic", lang, names=", ".join(generic))
        if generic
        else t("note.tip_named", lang)
    )
    tips = ("note.tip_date", None, "note.tip_password", "note.tip_explain")
    lines += ["", t("note.tips", lang)]
    lines += [f"  - {t(key, lang) if key else plain}" for key in tips]
    return "\n".join(lines) + "\n"


def plan(
    rules: RuleSet, dest: Path, lang: str, style: str | None = None
) -> tuple[list[Action], dict[str, str]]:
    """What init would add under `dest`, and the folder (existing or new) of every indicator.
    `style`: numbered, lke or drive; None follows the share's own (layout.detect_style)."""
    matcher = Matcher(rules)
    if dest.is_dir():
        for listed in Walker(dest).walk():
            matcher.enter_dir(listed.rel)
    found = dict(matcher.folders)
    layout = folder_names(rules, style or detect_style(dest))
    actions: list[Action] = []
    where: dict[str, str] = {}

    def ensure(ident: str, parent: str | None) -> str:
        if ident in where:
            return where[ident]
        if ident in found:
            where[ident] = found[ident]
            return found[ident]
        own = layout[ident].rsplit("/", 1)[-1]
        path = f"{ensure(parent, _parent(parent))}/{own}" if parent else layout[ident]
        if not parent and "/" in path:
            # a component under part folders (A. PENGUNGKIT/I. PEMENUHAN/…): those first
            steps = path.split("/")[:-1]
            for depth in range(1, len(steps) + 1):
                top = "/".join(steps[:depth])
                if not (dest / top).is_dir() and Action("mkdir", top) not in actions:
                    actions.append(Action("mkdir", top))
        actions.append(Action("mkdir", path))
        where[ident] = path
        return path

    for ind in rules.indicators:
        folder = ensure(ind.id, ind.area)
        note = f"{folder}/{NOTE[lang]}"
        if not (dest / note).exists():
            text = note_text(ind, lang, generic_names(matcher, folder, ind.id))
            actions.append(Action("note", note, ind.id, text))
    return actions, where


def _parent(ident: str) -> str | None:
    return ident.rsplit(".", 1)[0] if "." in ident else None


def apply(dest: Path, actions: list[Action]) -> None:
    for action in actions:
        target = dest / action.path
        if action.kind == "mkdir":
            target.mkdir(parents=True, exist_ok=True)
            continue
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)  # never overwrite
        except FileExistsError:
            continue
        with os.fdopen(fd, "w", encoding="utf-8", newline="\r\n") as fh:  # Notepad-friendly
            fh.write(action.text)
