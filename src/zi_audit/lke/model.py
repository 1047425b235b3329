"""The LKE (Lembar Kerja Evaluasi, PermenPANRB 90/2021 Lampiran III) as data.

All 134 rows (87 Pemenuhan, 47 Reform), their answer types, the sub-area and area weights,
the Hasil component and the WBK/WBBM thresholds. Loaded from the CSVs beside this module and
checked at load: the parts sum to 30 + 30 + 40 = 100, every sub-area's weight is its rows'
sub-area weight, every sub-area has a scored row. docs/lke.md says where each number comes
from and what the regulation leaves open (the named constants below).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from typing import NamedTuple

PARTS = ("pemenuhan", "reform")
# Answer values. The regulation prints Ya = 1 and A = 1 only; the evenly spaced steps are
# the implementations' (docs/lke.md, "Answer values"): a choice, written down.
ANSWER_VALUES: dict[str, tuple[tuple[str, float], ...]] = {
    "yesno": (("Ya", 1.0), ("Tidak", 0.0)),
    "abc": (("A", 1.0), ("B", 0.5), ("C", 0.0)),
    "abcd": (("A", 1.0), ("B", 0.67), ("C", 0.33), ("D", 0.0)),
    "abcde": (("A", 1.0), ("B", 0.75), ("C", 0.5), ("D", 0.25), ("E", 0.0)),
}
NUMERIC = ("percent", "count")  # need the team's numbers: never guessed from evidence
SURVEY_MAX = 4.0  # IPAK and IPKP are reported 0-4; score / 4 x weight (docs/lke.md)


class LkeDataError(Exception):
    """The bundled LKE tables are inconsistent: our bug, caught before anything is scored."""


class Row(NamedTuple):
    part: str  # pemenuhan | reform
    id: str  # 1.i.a, 5.iii.a.1.2
    area_no: str
    subarea_no: str
    text: str
    answer_type: str  # yesno | abc | abcd | abcde | percent | count
    criteria: str

    @property
    def key(self) -> str:
        return f"{self.part}:{self.id}"

    @property
    def scored(self) -> bool:
        return self.answer_type != "count"


class SubArea(NamedTuple):
    part: str  # pemenuhan | reform | hasil
    area_no: str
    area: str
    area_weight: float
    no: str
    name: str
    weight: float
    rows: tuple[Row, ...]

    @property
    def key(self) -> str:
        return f"{self.part}:{self.area_no}.{self.no}"

    @property
    def scored_rows(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.scored)


class Threshold(NamedTuple):
    name: str  # wbk | wbbm
    total: float
    pengungkit: float
    area_percent: float  # every Pengungkit area, both readings (docs/lke.md)
    bersih: float  # Hasil I, Birokrasi yang Bersih dan Akuntabel
    ipak: float  # of which the survey
    kinerja: float  # of which Capaian Kinerja
    prima: float  # Hasil II, Pelayanan Publik yang Prima


# Lampiran II, Bab III, A angka 3-6, and Tabel 6. "minimal": every condition is >=.
THRESHOLDS = (
    Threshold("wbk", 75.0, 40.0, 0.60, 18.25, 15.75, 2.50, 14.00),
    Threshold("wbbm", 85.0, 48.0, 0.75, 19.50, 15.75, 3.75, 15.75),
)


@dataclass(frozen=True)
class Lke:
    subareas: tuple[SubArea, ...]

    def rows(self, part: str | None = None) -> list[Row]:
        return [r for s in self.subareas if part in (None, s.part) for r in s.rows]

    def row(self, key: str) -> Row | None:
        return self._by_key.get(key)

    @cached_property
    def _by_key(self) -> dict[str, Row]:
        return {r.key: r for r in self.rows()}

    def subarea_of(self, row: Row) -> SubArea:
        return next(
            s
            for s in self.subareas
            if (s.part, s.area_no, s.no) == (row.part, row.area_no, row.subarea_no)
        )

    def areas(self, part: str) -> list[tuple[str, str, float]]:
        """(area number, name, weight) of one part, in order."""
        seen: dict[str, tuple[str, str, float]] = {}
        for s in self.subareas:
            if s.part == part:
                seen.setdefault(s.area_no, (s.area_no, s.area, s.area_weight))
        return list(seen.values())


def parse_key(text: str) -> str:
    """`1.i.a`, `pemenuhan 1.i.a`, `reform 1.i.a`, `R 1.i.a` -> `part:id`."""
    words = text.replace(":", " ").split()
    if len(words) == 1:
        return f"pemenuhan:{words[0]}"
    part = {"p": "pemenuhan", "r": "reform"}.get(words[0].lower(), words[0].lower())
    return f"{part}:{words[-1]}"


def _read(name: str) -> list[dict[str, str]]:
    text = (resources.files("zi_audit.lke") / name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@cache
def load_lke() -> Lke:
    rows = [
        Row(
            r["part"],
            r["row_id"],
            r["area_no"],
            r["subarea_no"],
            r["text"],
            r["answer_type"],
            r["criteria"],
        )
        for r in _read("lke-2021-rows.csv")
    ]
    subareas = []
    for s in _read("lke-2021-structure.csv"):
        mine = tuple(
            r
            for r in rows
            if (r.part, r.area_no, r.subarea_no) == (s["part"], s["area_no"], s["subarea_no"])
        )
        subareas.append(
            SubArea(
                s["part"],
                s["area_no"],
                s["area"],
                float(s["area_weight"]),
                s["subarea_no"],
                s["subarea"],
                float(s["subarea_weight"]),
                mine,
            )
        )
    lke = Lke(tuple(subareas))
    _check(lke, rows)
    return lke


def _check(lke: Lke, rows: list[Row]) -> None:
    sums = {p: sum(s.weight for s in lke.subareas if s.part == p) for p in (*PARTS, "hasil")}
    if [round(sums[p], 2) for p in ("pemenuhan", "reform", "hasil")] != [30.0, 30.0, 40.0]:
        raise LkeDataError(f"LKE weights do not sum to 30 + 30 + 40: {sums}")
    for part in (*PARTS, "hasil"):
        for area_no, _, weight in lke.areas(part):
            inside = sum(s.weight for s in lke.subareas if (s.part, s.area_no) == (part, area_no))
            if round(inside, 2) != round(weight, 2):
                raise LkeDataError(f"LKE {part} area {area_no}: sub-areas sum to {inside}")
    for s in lke.subareas:
        if s.part in PARTS and not s.scored_rows:
            raise LkeDataError(f"LKE sub-area {s.key} has no scored row")
    if len(rows) != sum(len(s.rows) for s in lke.subareas):
        raise LkeDataError("LKE rows outside any sub-area")
    for r in rows:
        if r.answer_type not in (*ANSWER_VALUES, *NUMERIC):
            raise LkeDataError(f"LKE row {r.key}: unknown answer type {r.answer_type}")
