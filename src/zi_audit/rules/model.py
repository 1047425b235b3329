"""The plan as data: components, areas, indicators and the evidence each expects.

Immutable records (NamedTuples; RuleSet a frozen dataclass, whose indicators are derived),
built only by the loader (rules/loader.py), which checks every key.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import NamedTuple

from zi_audit.i18n import t
from zi_audit.rules.periods import Window
from zi_audit.util.timezones import plan_zone

TYPE_GROUPS: dict[str, tuple[str, ...]] = {
    "image": ("jpg", "jpeg", "png", "heic", "heif", "webp", "tif", "tiff", "bmp", "gif"),
    "word": ("doc", "docx", "odt", "rtf"),
    "excel": ("xls", "xlsx", "ods", "csv"),
    "slides": ("ppt", "pptx", "odp"),
    "video": ("mp4", "mov", "avi", "mkv", "3gp"),
}
DEFAULT_TYPES = ("pdf", "image", "word", "excel", "slides")
# What evidence can come as: a program (`exe`), a shortcut or an archive is never bukti fisik.
EVIDENCE_TYPES = frozenset(
    {"pdf", "txt", "odg", *(e for members in TYPE_GROUPS.values() for e in members)}
)
_EXT = re.compile(r"^[a-z0-9]{1,8}$")


class Evidence(NamedTuple):
    """One document the plan names. `key` (`1.3.2/2`) is stable across runs of the same file."""

    key: str
    indicator: str
    name: str
    patterns: tuple[str, ...]
    in_folder: tuple[str, ...]
    exclude: tuple[str, ...]
    types: frozenset[str]
    every: tuple[str, ...]
    window: Window | None
    grace_days: int
    words: tuple[str, ...]
    year_bound: bool
    line: int
    applies_to: tuple[str, ...] = ()  # unit kinds it is for; () = every unit
    provided_by: str | None = None  # another office supplies it: not a gap while absent
    only_if: str | None = None  # required only once the event happened (a file shows it)
    minimum: int = 1  # distinct usable documents (by content) it needs
    pic: str | None = None  # who answers for it: its own, else its indicator's, else its area's


class Indicator(NamedTuple):
    id: str
    component: str
    area: str
    text: str
    action: str
    window: Window | None
    evidence: tuple[Evidence, ...]
    line: int
    lke: str | None = None  # the LKE row it answers: `pemenuhan:1.i.a` (lke/model.py)

    @property
    def planned(self) -> bool:
        return bool(self.evidence)


class Area(NamedTuple):
    id: str
    label: str
    name: str
    aliases: tuple[str, ...]
    indicators: tuple[Indicator, ...]


class Component(NamedTuple):
    id: str
    name: str
    aliases: tuple[str, ...]
    areas: tuple[Area, ...]
    # pemenuhan | reform, when the plan is the LKE's own (its two parts number areas alike)
    part: str | None = None


@dataclass(frozen=True)
class RuleSet:
    path: str
    title: str
    unit: str
    year: int
    timezone: str
    components: tuple[Component, ...]
    # after this date nothing is pending: what is not there is missing (None: no such date)
    evaluation_date: dt.date | None = None
    unit_kinds: tuple[str, ...] = ()  # the kinds applies_to may name
    unit_kind: str | None = None  # this unit's kind (the configuration's)
    # Derived from the components (not compared: the components are; nor written out
    # by state/fingerprint.py, which wrote the whole plan out three times with them)
    indicators: tuple[Indicator, ...] = field(default=(), compare=False)
    areas: tuple[Area, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        areas = tuple(a for c in self.components for a in c.areas)
        object.__setattr__(self, "areas", areas)
        object.__setattr__(self, "indicators", tuple(i for a in areas for i in a.indicators))

    @property
    def zone(self) -> dt.tzinfo:
        """The plan's time zone: "today" and file times become dates on the unit's calendar."""
        return plan_zone(self.timezone)

    def indicator(self, ident: str) -> Indicator:
        for ind in self.indicators:
            if ind.id == ident:
                return ind
        raise KeyError(ident)

    def evidence(self) -> Iterator[Evidence]:
        for ind in self.indicators:
            yield from ind.evidence


def bundled_rules_path() -> Path:
    """The rules shipped with the package (a copy of the repository's rules/bukti_fisik.yaml)."""
    return Path(str(resources.files("zi_audit.bundled_rules") / "bukti_fisik.yaml"))


# --------------------------------------------------------------------------------------------
# Loading


def types_label(types: frozenset[str], lang: str = "en") -> str:
    """`pdf, gambar, Word` rather than twenty extensions: groups whose members are all
    accepted, named in the reader's language."""
    left = set(types)
    names = []
    for group, members in TYPE_GROUPS.items():
        if set(members) <= left:
            names.append(t(f"types.{group}", lang))
            left -= set(members)
    return ", ".join(sorted(left) + names)
