"""The folders `zi-audit init` lays out, in the styles teams use, and which style a share
already follows. Where gaps point when the team has no folder of its own for them."""

from __future__ import annotations

import os
import re
from pathlib import Path

from zi_audit.rules.model import RuleSet
from zi_audit.util.numbering import roman


def _folder_safe(text: str) -> str:
    return " ".join(re.sub(r'[/\\:*?"<>|]+', "-", text).split())


def _short(text: str, limit: int = 48) -> str:
    words, out = _folder_safe(text).split(), ""
    for word in words:
        if len(out) + len(word) + 1 > limit:
            break
        out = f"{out} {word}".strip()
    return out or _folder_safe(text)[:limit]


_PART_FOLDERS = {"pemenuhan": "I. PEMENUHAN", "reform": "II. REFORM"}


STYLES = ("numbered", "lke", "drive")


def _letter(n: int) -> str:
    return chr(ord("a") + n - 1)


def folder_names(rules: RuleSet, style: str = "numbered") -> dict[str, str]:
    """The folder path `zi-audit init` lays out for each component, area and indicator.

    numbered: `1. Manajemen Perubahan/1.1 Penyusunan Tim Kerja/1.1.1 …` (an LKE plan's two
    parts each get their own tree, numbered 1-6 inside); lke: `AREA I/i. Penyusunan Tim
    Kerja/1.i.a …`; drive: `A. PENGUNGKIT/I. PEMENUHAN/I. MANAJEMEN PERUBAHAN/1. …/a. …`,
    the layout of the Drive apps many units use."""
    out: dict[str, str] = {}
    position: dict[str | None, int] = {}
    for comp in rules.components:
        position[comp.part] = position.get(comp.part, 0) + 1
        n = position[comp.part]
        number = str(n) if comp.part else comp.id
        if style == "lke":
            top = f"{_PART_FOLDERS[comp.part]}/" if comp.part else ""
            c = f"{top}AREA {roman(n)}"
        elif style == "drive":
            part = _PART_FOLDERS.get(comp.part or "pemenuhan", "I. PEMENUHAN")
            c = f"A. PENGUNGKIT/{part}/{roman(n)}. {_folder_safe(comp.name).upper()}"
        else:
            top = f"{_PART_FOLDERS[comp.part]}/" if comp.part else ""
            c = f"{top}{number}. {_folder_safe(comp.name)}"
        out[comp.id] = c
        for a_pos, area in enumerate(comp.areas, 1):
            if style == "lke":
                a = f"{c}/{roman(a_pos).lower()}. {_short(area.name)}"
            elif style == "drive":
                a = f"{c}/{a_pos}. {_short(area.name)}"
            else:
                a = f"{c}/{'.'.join([number, *area.id.split('.')[1:]])} {_short(area.name)}"
            out[area.id] = a
            for i_pos, ind in enumerate(area.indicators, 1):
                if style == "lke":
                    own = f"{n}.{roman(a_pos).lower()}.{_letter(i_pos)} {_short(ind.text)}"
                elif style == "drive":
                    own = f"{_letter(i_pos)}. {_short(ind.text)}"
                else:
                    own = f"{'.'.join([number, *ind.id.split('.')[1:]])} {_short(ind.text)}"
                out[ind.id] = f"{a}/{own}"
    return out


def detect_style(dest: Path) -> str:
    """The style a share already follows, from its top folders; `numbered` by default."""
    try:
        names = [e.name.upper() for e in os.scandir(dest) if e.is_dir()]
    except OSError:
        return "numbered"
    if any(re.match(r"^AREA\s+[IVX]+\b", n) for n in names):
        return "lke"
    if any("PENGUNGKIT" in n or "PEMENUHAN" in n for n in names):
        return "drive"
    return "numbered"
