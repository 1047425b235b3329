"""Which component, area and indicator a folder belongs to, in the layouts teams really use.

Teams number folders in arabic (`1. Manajemen Perubahan/1.1 …`), roman and letters
(`I. MANAJEMEN PERUBAHAN/A. …`), with underscores (`01_Manajemen_Perubahan`),
under extra levels (`BUKTI DUKUNG ZI 2025/A. PENGUNGKIT/I. PEMENUHAN/…`), and with
typos (`MANAJAMEN`). A number alone is weak evidence (`I. PEMENUHAN` is not
component 1), so names decide and numbers only confirm or break ties; a full
dotted id (`1.1.1`, `1.i.a`) is trusted on its own.
Recognition runs once per folder, never per file.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from zi_audit.rules.model import RuleSet
from zi_audit.util.numbering import ROMAN
from zi_audit.util.textnorm import fold, similarity
from zi_audit.util.words import FUNCTION, PROGRAMME, REGION, unit_words

_NUMBERING = re.compile(
    r"^\s*(?:(?P<kw>area|komponen|component|sub\s*area|indikator)\s*)?"
    r"(?P<num>(?:\d{1,2}|[ivx]{1,4}|[a-z])(?:[._](?:\d{1,2}|[ivx]{1,4}|[a-z]))*)"
    r"(?P<term>\s*[.)_:-]+\s*|\s+|$)(?P<rest>.*)$",
    re.DOTALL,
)
# A file named `<area>.<letter> …`: an item of an area, counted inside its component.
_AREA_ITEM = re.compile(r"\s*(\d{1,2})[._]([a-hA-H])(?:[.)_]|\s)")
# A name that starts with an id of two or more levels (`1.i.a …`, `3.2.1_…`).
_ID_START = re.compile(r"\s*(?:\d{1,2}|[ivxIVX]{1,4})[._](?:\d{1,2}|[ivxIVX]{1,4}|[a-zA-Z])\b")


class Context(NamedTuple):
    component: str | None = None
    area: str | None = None
    indicator: str | None = None
    part: str | None = None  # pemenuhan | reform: a PEMENUHAN/REFORM folder above (LKE plans)


ROOT = Context()


def _contradicts(named: Context, folder: Context) -> bool:
    for mine, theirs in (
        (named.indicator, folder.indicator),
        (named.area, folder.area),
        (named.component, folder.component),
    ):
        if mine is not None and theirs is not None:
            return mine != theirs
    return False


def _part_value(part: str) -> int | None:
    if part.isdigit():
        return int(part)
    if part in ROMAN:
        return ROMAN[part]
    if len(part) == 1:
        return ord(part) - ord("a") + 1
    return None


def split_numbering(name: str) -> tuple[list[int], str]:
    """`1.i.a SK TIM` -> ([1, 1, 1], 'sk tim'); `I. PEMENUHAN` -> ([1], 'pemenuhan')."""
    m = _NUMBERING.match(name.casefold())
    if not m:
        return [], fold(name)
    parts = re.split(r"[._]", m["num"])
    letters_only = not any(p.isdigit() for p in parts)
    punctuated = bool(re.search(r"[.)_:-]", m["term"]))
    if letters_only and len(parts) == 1 and not (punctuated or m["kw"]):
        return [], fold(name)
    values = [_part_value(p) for p in parts]
    if any(v is None for v in values):
        return [], fold(name)
    return [v for v in values if v is not None], fold(m["rest"])


class _Named(NamedTuple):
    id: str
    number: int
    words: tuple[list[str], ...]
    parent: str | None
    part: str | None = None


# Folder levels of the LKE's own layout (`A. PENGUNGKIT/I. PEMENUHAN/…`, `II. REFORM/…`):
# a part word starts that part's tree; PENGUNGKIT (the two parts together) places nothing.
_PART_WORDS = {"pemenuhan": "pemenuhan", "reform": "reform", "hasil": "hasil"}
_TRANSPARENT = frozenset({"pengungkit", "komponen pengungkit"})


class Layout:
    """Recognises rule entities in folder names; built once per rule set."""

    def __init__(self, rules: RuleSet) -> None:
        self.stop = FUNCTION | PROGRAMME | REGION | unit_words(rules.unit)
        self.parted = any(c.part for c in rules.components)
        # In an LKE plan each part numbers its components 1-6: (part, local id) -> rule id.
        self._local: dict[tuple[str, str], str] = {}
        position: dict[str | None, int] = {}
        for c in rules.components:
            position[c.part] = position.get(c.part, 0) + 1
            local = str(position[c.part])
            for ident in (
                c.id,
                *(a.id for a in c.areas),
                *(i.id for a in c.areas for i in a.indicators),
            ):
                self._local[(c.part or "", ".".join([local, *ident.split(".")[1:]]))] = ident
        self.components = [
            _Named(
                c.id,
                int(self._local_number(c.id)),
                tuple(self.words(n) for n in (c.name, *c.aliases)),
                None,
                c.part,
            )
            for c in rules.components
        ]
        self._part_of = {c.id: c.part for c in rules.components}
        # The ids the last folder name matched equally well (it was then placed nowhere):
        # the matcher keeps them per folder, for explain.
        self.last_tie: tuple[str, ...] = ()
        self.areas = [
            _Named(
                a.id,
                int(a.id.split(".")[1]),
                tuple(self.words(n) for n in (a.name, *a.aliases)),
                c.id,
            )
            for c in rules.components
            for a in c.areas
        ]
        self.indicators = [
            _Named(i.id, int(i.id.split(".")[2]), (self.words(i.text),), i.area)
            for i in rules.indicators
        ]
        self._ids = {n.id for n in (*self.components, *self.areas, *self.indicators)}

    def _best(
        self, words: list[str], candidates: list[_Named], number: int | None, threshold: float
    ) -> str | None:
        if not words:
            return None
        scored = sorted(
            (
                (max(similarity(words, w) for w in c.words), c.number == number, c.id)
                for c in candidates
            ),
            reverse=True,
        )
        if not scored or scored[0][0] < threshold:
            return None
        tied = [s[2] for s in scored if s[:2] == scored[0][:2]]
        if len(tied) > 1:
            # The parent context already chose the candidates; then the exact name decides.
            folded = " ".join(words)
            exact = [
                c.id
                for c in candidates
                if c.id in tied and any(" ".join(w) == folded for w in c.words)
            ]
            if len(exact) == 1:
                return exact[0]
            self.last_tie = tuple(sorted(tied))
            return None
        return scored[0][2]

    def conflict(self, parent: Context, name: str) -> tuple[str, str] | None:
        """(the id a file's name gives, the id its folder gives) when they disagree."""
        if _ID_START.match(name) is None:  # the walk's fast path: most names carry no id
            return None
        numbers, _ = split_numbering(name)
        if len(numbers) < 2:
            return None
        named = self._from_id(".".join(str(n) for n in numbers[:3]), self.part_of(parent))
        if named is None or not _contradicts(named, parent):
            return None
        mine = named.indicator or named.area or named.component
        theirs = parent.indicator or parent.area or parent.component
        assert mine is not None and theirs is not None
        return mine, theirs

    def _local_number(self, component: str) -> str:
        return next(k[1] for k, v in self._local.items() if v == component)

    def words(self, text: str) -> list[str]:
        """The words of a name that can tell one rule entity from another."""
        return [w for w in fold(text).split() if w not in self.stop and len(w) > 1]

    def part_of(self, context: Context) -> str | None:
        if context.component is not None:
            return self._part_of.get(context.component)
        return context.part

    def _from_id(self, ident: str, part: str | None = None) -> Context | None:
        if self.parted:  # `1.i.a` is Pemenuhan's unless a REFORM folder says otherwise
            found = self._local.get((part or "pemenuhan", ident))
            if found is None:
                return None
            ident = found
        if ident not in self._ids:
            return None
        parts = ident.split(".")
        return Context(
            parts[0],
            ".".join(parts[:2]) if len(parts) > 1 else None,
            ident if len(parts) > 2 else None,
        )

    def _by_id(
        self, parent: Context, name: str, numbers: list[int], part: str | None, is_file: bool
    ) -> Context | None:
        """Where a name's own id places it, if it does."""
        item = _AREA_ITEM.match(name) if is_file else None
        if item and not self.parted and parent.component and not parent.area:
            # `2.c Laporan …` in component 3's folder: area 2, item c of that component
            # (a store numbered per component, `file/3/2.c …`).
            letter = ord(item[2].lower()) - ord("a") + 1
            relative = self._from_id(f"{parent.component}.{item[1]}.{letter}", part)
            if relative is not None:
                return relative
        if len(numbers) >= 2:
            found = self._from_id(".".join(str(n) for n in numbers[:3]), part)
            if found is not None and not (is_file and _contradicts(found, parent)):
                return found
        return None

    def locate(self, parent: Context, name: str, *, is_file: bool = False) -> Context:
        """The context of `name` inside a folder whose context is `parent`.

        A file's own id places it only where its folders do not: `1.i.a Undangan.pdf` in
        1.2.1's folder is 1.2.1's (the folder wins; `conflict` reports the contradiction)."""
        numbers, rest = split_numbering(name)
        if self.parted and not is_file:
            if rest in _PART_WORDS and parent.component is None:
                return Context(part=_PART_WORDS[rest])
            if rest in _TRANSPARENT:
                return parent
        part = self.part_of(parent)
        found = self._by_id(parent, name, numbers, part, is_file)
        if found is not None:
            return found
        if is_file:
            return parent
        words = [w for w in rest.split() if w not in self.stop and len(w) > 1]
        number = numbers[0] if len(numbers) == 1 else None

        if parent.component is None:
            mine = part or ("pemenuhan" if self.parted else None)
            comps = [c for c in self.components if not self.parted or c.part == mine]
            comp = self._best(words, comps, number, 0.6)
            numbered_only = not words and number is not None and 1 <= number <= 6
            keyword = re.match(r"\s*(area|komponen|component)\b", name.casefold())
            if comp is None and numbered_only and (keyword or name.strip().isdigit()):
                local = self._from_id(str(number), mine) if self.parted else None
                comp = (
                    local.component
                    if local
                    else (str(number) if str(number) in self._ids else None)
                )
            if comp is not None:
                return Context(comp)
            areas = [a for a in self.areas if a.parent in {c.id for c in comps}]
            area = self._best(words, areas, number, 0.75)
            return Context(area.split(".")[0], area) if area else parent

        # Below a recognised component or area a folder's own number decides ('2. SPBE yang
        # Terintegrasi', 'b. Penyampaian Non-LHKPN', a name cut with '…'); the words only
        # decide what a number leaves open.
        if parent.area is None:
            ident = f"{parent.component}.{number}"
            if number is not None and ident in self._ids:
                return Context(parent.component, ident)
            areas = [a for a in self.areas if a.parent == parent.component]
            area = self._best(words, areas, number, 0.6)
            return Context(parent.component, area) if area else parent

        if parent.indicator is None:
            ident = f"{parent.area}.{number}"
            if number is not None and ident in self._ids:
                return Context(parent.component, parent.area, ident)
            inds = [i for i in self.indicators if i.parent == parent.area]
            ind = self._best(words, inds, number, 0.75)
            return Context(parent.component, parent.area, ind) if ind else parent
        return parent
