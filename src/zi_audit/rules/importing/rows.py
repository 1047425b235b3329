"""A table as plan rows: each indicator with the component and area it stands under.

Plans mark their levels in several ways, all read here:
- heading rows: a number or roman numeral with one text and nothing else (`I MANAJEMEN
  PERUBAHAN`, `1 MANAJEMEN PERUBAHAN`, `1 | Pembentukan Tim Kerja`). In a table with a
  KOMPONEN column they are components and that column names the areas under them; in a
  table without one they are the areas (groups) of a single component;
- a KOMPONEN / sub-area column carried down over the rows below (merged cells);
- the LKE's own hierarchy (pilar, sub_pilar, pertanyaan), whose numbers are the LKE row id.
A row cut by a page break (its tail on the next page, without a number) is joined to the row
it belongs to; two lettered items in one indicator cell (`a. … b. …`) are two indicators;
the header repeated after a page break is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from zi_audit.rules.importing.cells import names_a_month
from zi_audit.rules.importing.columns import Header, is_header_again
from zi_audit.rules.importing.layout import Table
from zi_audit.util.numbering import ROMAN

TEXTS = ("indicator", "action", "output", "target", "pic")
_MARK = re.compile(
    r"^\s*(?:(?P<roman>[IVXivx]{1,4})|(?P<num>\d{1,2})|(?P<letter>[a-hA-H]))[.)]?(?:\s+(?P<rest>\S.*))?$",
    re.S,
)
_LETTERED = re.compile(r"(?:^|\n)\s*([a-h])[.)]\s+", re.S)
_NUMBERED_NAME = re.compile(r"^\s*(?:[IVXivx]{1,4}|\d{1,2}|[a-hA-H])[.)]\s*")


@dataclass
class PlanRow:
    line: int
    component: str
    area: str
    # What tells components apart: a heading's own marker (two sections may carry one name)
    # or, where the table names them in a column, the name.
    component_key: str
    cells: dict[str, str]
    lke: str = ""  # an LKE key the table states (`pemenuhan:1.i.a`), else ""
    code: str = ""  # the LKE code as written, for messages
    notes: list[str] = field(default_factory=list)


def strip_number(text: str) -> str:
    """`1. Manajemen Perubahan` -> `Manajemen Perubahan`; `i. Penyusunan …` -> `Penyusunan …`."""
    return _NUMBERED_NAME.sub("", text, count=1).strip()


def plan_rows(table: Table, header: Header, first: int) -> list[PlanRow]:
    rows = table[header.row + 1 :]
    reader = _Reader(header, rows)
    out: list[PlanRow] = []
    for n, row in enumerate(rows, first):
        if not any(c.strip() for c in row) or is_header_again(row, header):
            continue
        found = reader.row(n, row, out[-1] if out else None)
        out += found
    return out


class _Reader:
    def __init__(self, header: Header, rows: Table) -> None:
        self.cols, self.lkeish = header.cols, header.lkeish
        self.lead = next((m for m in ("indicator", "action", "lke") if m in self.cols), "output")
        marks = [self._heading(self.cells(r)) for r in rows if any(r)]
        kinds = [k for k, _ in (m for m in marks if m is not None)]
        self.headings = bool(kinds)
        # Two kinds of heading (roman and arabic): the first seen is the component.
        self.component_kind = kinds[0] if kinds else ""
        self.two_levels = len(set(kinds)) > 1
        self.component = self.area = self.key = ""

    def cells(self, row: list[str]) -> dict[str, str]:
        out = {}
        for meaning, col in self.cols.items():
            cell = row[col] if col < len(row) else ""
            out[meaning] = "\n".join(" ".join(line.split()) for line in cell.split("\n")).strip()
        return out

    def _heading(self, cells: dict[str, str]) -> tuple[str, str] | None:
        """(kind of marker, text) of a heading row: a marker and one text, nothing else."""
        no = cells.get("no", "")
        shouted = _MARK.match(no) if no and not self.lkeish else None
        if shouted and not shouted["letter"] and (shouted["rest"] or "").isupper():
            # 'I MANAJEMEN PERUBAHAN' in the number's own cell: a heading, whatever a laid-out
            # page put beside it (the header's wrapped '% REALISASI').
            return ("roman" if shouted["roman"] else "num"), shouted["rest"].strip()
        if self.lkeish or any(cells.get(m) for m in ("output", "target", "pic")):
            return None
        texts = [cells[m] for m in ("component", "area", "action", "indicator") if cells.get(m)]
        found = _MARK.match(no) if no else None
        if found is None or found["letter"]:
            return None
        inline = (found["rest"] or "").strip()
        if inline:
            texts.insert(0, inline)
        if len(texts) != 1:
            return None
        if cells.get("indicator") and not texts[0].isupper():
            return None  # an indicator's own row, numbered; a heading in its column shouts
        return ("roman" if found["roman"] else "num"), texts[0]

    def row(self, n: int, row: list[str], above: PlanRow | None) -> list[PlanRow]:
        cells = self.cells(row)
        if self.lkeish:
            return self._lke_row(n, cells)
        heading = self._heading(cells)
        if heading is not None:
            kind, text = heading
            text = _name(text)
            if ("component" in self.cols or self.two_levels) and kind == self.component_kind:
                self.component, self.area = text, ""
                self.key = f"{cells.get('no', '')} {text}"
            else:
                self.area = text
            return []
        if above is not None and self._continues(cells, above):
            for m in TEXTS:
                if cells.get(m):
                    above.cells[m] = f"{above.cells.get(m, '')}\n{cells[m]}".strip()
            if self.headings and cells.get("component"):  # the area's name, cut too
                above.area = self.area = _name(f"{above.area} {cells['component']}")
            return []
        if self.headings and "component" in self.cols:
            self.area = _name(cells.get("component")) or self.area  # KOMPONEN names the areas
        else:
            self.component = _name(cells.get("component")) or self.component
            self.key = self.component
            self.area = _name(cells.get("area")) or self.area
        merged = above is not None and above.area == (self.area or self.component)
        empty = not cells.get("action") and not cells.get("output")
        if merged and empty and above is not None and "lke" not in self.cols:
            # A document's merged cell covers the rows below it: their action and evidence
            # are the row above's (a database export leaves a cell empty because it is).
            cells["action"] = above.cells.get("action", "")
            cells["output"] = above.cells.get("output", "")
        return [
            PlanRow(
                n,
                self.component,
                self.area or self.component,
                self.key or self.component,
                {**cells, "indicator": text},
            )
            for text in _lettered(cells.get("indicator", ""))
        ]

    def _continues(self, cells: dict[str, str], above: PlanRow) -> bool:
        """The rest of the row above, cut by a page break: no number, no LKE code, and either
        no lead text or text starting in lower case (unless both rows name a target time)."""
        if cells.get("no") or cells.get("lke"):
            return False
        lead = cells.get(self.lead, "")
        if not lead:
            return True
        if _LETTERED.match(lead):
            return False  # 'b. …': the next item, not the tail of the one above
        starts_lower = lead[:1].islower()
        both_timed = names_a_month(above.cells.get("target", "")) and names_a_month(
            cells.get("target", "")
        )
        return starts_lower and not both_timed

    def _lke_row(self, n: int, cells: dict[str, str]) -> list[PlanRow]:
        """aspek / area (the part) / pilar / sub_pilar / pertanyaan: the LKE's own ids."""
        component, area = cells.get("component", ""), cells.get("area", "")
        question = cells.get("indicator", "")
        part = "reform" if "reform" in cells.get("part", "").lower() else "pemenuhan"
        numbers = [_MARK.match(t) for t in (component, area, question)]
        key = ""
        if all(numbers):
            c, a, q = numbers
            assert c is not None and a is not None and q is not None
            number = c["num"] or str(ROMAN.get((c["roman"] or "").lower(), ""))
            key = f"{part}:{number}.{(a['roman'] or '').lower()}.{(q['letter'] or '').lower()}"
        name = _name(strip_number(component))
        row = PlanRow(n, name, _name(strip_number(area)), name, dict(cells), key)
        row.cells["indicator"] = strip_number(question)
        return [row]


def _name(text: str | None) -> str:
    return " ".join((text or "").split())


def _lettered(text: str) -> list[str]:
    """`a. …\\nb. …` in one cell: one indicator each; else the cell as it is (its letter
    dropped)."""
    starts = list(_LETTERED.finditer(text))
    if len(starts) < 2 or len({m[1] for m in starts}) < len(starts):
        return [strip_number(text) if _LETTERED.match(text) else text]
    return [
        text[m.end() : starts[i + 1].start() if i + 1 < len(starts) else len(text)].strip()
        for i, m in enumerate(starts)
    ]
