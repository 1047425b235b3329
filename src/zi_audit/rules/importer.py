"""`zi-audit rules import`: a draft rule file from a unit's own Rencana Aksi table.

Columns are found by what their header means (No, Komponen, Indikator, Rencana Aksi /
Kegiatan, Output / Bukti / Keluaran, Target / Waktu, PIC / Penanggung Jawab, Kode LKE), in
any order. A value merged over the rows below carries down. Each document of the output
column becomes an evidence item with name patterns from its words; windows come from the
target column in the forms plans use; frequency words make items recurring; texts that
match the LKE are linked to it. Rows it is unsure of are kept, marked `# periksa:` and
listed, never dropped; the draft must pass the rule loader before it is written.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from zi_audit.core.errors import ZiAuditError
from zi_audit.lke.model import Lke, load_lke, parse_key
from zi_audit.lke.model import Row as LkeRow
from zi_audit.rules.loader import parse_rules
from zi_audit.rules.periods import WindowError, parse_window
from zi_audit.rules.tables import Table, read_tables
from zi_audit.util.atomic import atomic_write
from zi_audit.util.months import MONTHS_ID, month_number
from zi_audit.util.textnorm import fold, similarity
from zi_audit.util.timezones import WIB, today
from zi_audit.util.words import FUNCTION
from zi_audit.util.yamlwrite import Node, Note, dump

# Header words -> column meaning; the first meaning a header matches wins.
COLUMNS = (
    ("lke", ("kode lke", "lke", "kode")),
    ("area", ("sub komponen", "sub area", "subkomponen", "sub-komponen")),
    ("component", ("komponen", "area")),
    ("indicator", ("indikator",)),
    ("action", ("rencana aksi", "kegiatan", "langkah", "aksi", "uraian")),
    ("output", ("output", "bukti", "keluaran", "dokumen")),
    ("target", ("target", "waktu", "jadwal", "tenggat")),
    ("pic", ("pic", "penanggung jawab", "pj", "pelaksana")),
    ("no", ("no", "nomor")),
)
# Words that never tell one document from another, beside the function words.
_FILLER = FUNCTION | frozenset("tahun adanya laporan dokumen bukti berupa terkait tentang".split())
_EVERY = (
    ("month", re.compile(r"\b(setiap|per|tiap)\s+bulan|\bbulanan\b", re.I)),
    ("quarter", re.compile(r"\b(setiap|per|tiap)\s+triwulan|\btriwulanan\b|\btw\s*i+\b", re.I)),
    # 'Hasil pengukuran kinerja semester' recurs too; 'semester I' names one half-year.
    ("semester", re.compile(r"\bsemester(an)?\b(?!\s*(i{1,2}|[12]|pertama|kedua)\b)", re.I)),
)
_YEAR = re.compile(r"\b(19|20)\d{2}\b")


@dataclass
class Draft:
    yaml: str
    rows: int
    unsure: list[str] = field(default_factory=list)  # "row 12: why"


def find_columns(table: Table) -> tuple[int, dict[str, int]]:
    """(header row index, meaning -> column index) of the first row that names at least an
    indicator or action column and an output column, among the first 15 rows that are not
    empty (a decree's text keeps its prose lines as empty rows, so row numbers stay lines)."""
    seen = 0
    for n, row in enumerate(table):
        if not any(c.strip() for c in row):
            continue
        seen += 1
        if seen > 15:
            break
        found: dict[str, int] = {}
        for col, cell in enumerate(row):
            head = fold(cell)
            for meaning, words in COLUMNS:
                if meaning not in found and any(
                    head == w or head.startswith(w + " ") for w in words
                ):
                    found[meaning] = col
                    break
        # A table keyed by LKE code takes its indicator texts and areas from the LKE.
        if ("indicator" in found or "action" in found or "lke" in found) and "output" in found:
            return n, found
    raise ZiAuditError(
        "no Rencana Aksi table found: no row names an indicator (or activity) "
        "column and an output (bukti) column"
    )


def _window(text: str, year: int) -> tuple[str | None, str | None]:
    """(window for the rule file, why it is unsure) from a target-time cell."""
    if text.strip() in ("-", "\u2013", "\u2014"):
        return "-", None  # the table says no target time, as the rule file can
    text = re.sub(
        r"\bs\s*/\s*d\b", "s.d.", text, flags=re.I
    )  # 's/d' is not the '/' of outcome text
    bullets = re.split(r"(?:^|\s)[-\u2022]\s+", text.strip())
    if text.strip().startswith(("-", "\u2022")) and len([b for b in bullets if b]) >= 2:
        text = ", ".join(b.strip(" ,;") for b in bullets if b.strip())  # '- Maret - Juni' lists
    cell = _YEAR.sub("", text.split("/")[0]).replace("TW I-IV", "Januari - Desember")
    cell = re.sub(r"\b(setiap|per|tiap)\s+(bulan|triwulan|semester)\b", "", cell, flags=re.I)
    cell = re.sub(r"^\W+|[\s,.;:]+$", "", " ".join(cell.replace("\n", " ").split()))
    if not cell:
        return None, "no target time"
    try:
        window = parse_window(cell, year)
    except WindowError as exc:
        fixed = _month_typos(cell)
        if fixed == cell:
            return None, f"target time '{text.strip()[:40]}' not read ({exc})"
        try:
            parse_window(fixed, year)
        except WindowError:
            return None, f"target time '{text.strip()[:40]}' not read ({exc})"
        return fixed, f"target time '{text.strip()[:40]}' read as '{fixed}' (a typo or OCR slip)"
    return (cell, None) if window is not None else (None, "no target time")


def _month_typos(cell: str) -> str:
    """The cell with each word that is nearly a month name (OCR's 'DeRember', 'Agusttls')
    replaced by that month; the draft says so, so a person checks it."""
    months = [m.lower() for m in MONTHS_ID]

    def fix(match: re.Match[str]) -> str:
        word = match[0]
        if month_number(word) is not None or len(word) < 4:
            return word
        close = difflib.get_close_matches(word.lower(), months, n=1, cutoff=0.75)
        return close[0].capitalize() if close else word

    return re.sub(r"[A-Za-z]+", fix, cell)


def _patterns(name: str) -> list[str]:
    words = [w for w in fold(_YEAR.sub("", name)).split() if w not in _FILLER and len(w) > 2]
    if not words:
        return []
    return [" ".join(words[:3]) + "*"]


_DATED = re.compile(r"\(([^()]*)\)")


def _dated(cell: str) -> str:
    """A date written inside the evidence text, '(Juli, Des 2021)', or ''."""
    for found in _DATED.finditer(cell):
        inner = found[1]
        if any(month_number(w) for w in re.findall(r"[A-Za-z]+", inner)):
            return inner
    return ""


def _documents(cell: str) -> list[str]:
    date = _dated(cell)
    if date:
        cell = cell.replace(f"({date})", "")
    parts = re.split(r"\s*(?:;|\n|,|\bdan\b|\d+\.\s|^-\s|\s-\s)\s*", cell)
    return [p.strip(" -•.") for p in parts if len(p.strip(" -•.")) > 2]


def draft(tables: list[Table], year: int, title: str) -> Draft:
    for table in tables:
        try:
            header, cols = find_columns(table)
        except ZiAuditError:
            continue
        return _draft(table[header + 1 :], cols, year, title, header + 2)
    raise ZiAuditError(
        "no Rencana Aksi table found: no row names an indicator (or activity) "
        "column and an output (bukti) column"
    )


def _header_again(row: list[str]) -> bool:
    """A row whose every cell is a header word: the header repeated after a page break."""
    named = [fold(c) for c in row if c.strip()]
    return len(named) >= 3 and all(
        any(f.strip(",. ").startswith(w) for _, ws in COLUMNS for w in ws) for f in named
    )


def _continues(cells: Row, above: Row, lead: str) -> bool:
    """Whether a row is the rest of the row above, cut by a page break: no number, no LKE
    code, and either no lead text or text starting in lower case (unless both rows name
    their own target time)."""
    if cells.get("no") or cells.get("lke"):
        return False
    if not cells.get(lead):
        return True
    starts_lower = cells[lead][:1].islower()
    return starts_lower and (not above.get("target") or not cells.get("target"))


_ROMAN_OR_LETTER = re.compile(r"^(?:[ivx]{1,4}|[a-h])\.?$", re.I)
_HEADING = re.compile(r"^(\d{1,2})\.?\s*(.*)$")
Row = dict[str, str]


def _logical_rows(rows: Table, cols: dict[str, int], first: int) -> list[Row]:
    """The table as plan rows: repeated headers (a page break) skipped, component headings
    (`1 MANAJEMEN PERUBAHAN`) and numbered areas (`i`, `ii`, `d`) carried down, a cell cut
    by a page break joined to the row it belongs to."""

    def get(row: list[str], meaning: str) -> str:
        col = cols.get(meaning)
        return " ".join(row[col].split()) if col is not None and col < len(row) else ""

    # With component headings, the 'komponen' column names the areas under them.
    headings = any(
        _HEADING.match(get(r, "no") or "") and not get(r, "indicator") and not get(r, "output")
        for r in rows
    )
    # The column a plan row always fills: its indicator, else its activity.
    lead = "indicator" if "indicator" in cols else "action"
    out: list[Row] = []
    component = area = ""
    for n, row in enumerate(rows, first):
        cells = {m: get(row, m) for m in (*cols, "no")}
        if _header_again(row):
            continue  # the header again, after a page break
        no = cells.get("no", "")
        heading = _HEADING.match(no) if no else None
        if heading and not cells.get("indicator") and not cells.get("output"):
            component = heading[2] or cells.get("component", "") or no
            area = ""
            continue
        if headings:
            if (no and _ROMAN_OR_LETTER.match(no)) or (
                cells.get("component") and cells.get("indicator")
            ):
                area = cells.get("component") or area
        else:
            component = cells.get("component") or component
            area = cells.get("area") or area
        text_cells = [cells.get(m, "") for m in ("indicator", "action", "output", "target", "pic")]
        if not any(text_cells):
            continue
        if out and _continues(cells, out[-1], lead):
            for m in ("indicator", "action", "output", "target", "pic"):
                if cells.get(m):
                    out[-1][m] = f"{out[-1].get(m, '')} {cells[m]}".strip()
            continue
        out.append(
            {
                **cells,
                "component": component or "Rencana Aksi",
                "area": area or component or "Rencana Aksi",
                "line": str(n),
            }
        )
    return out


def _draft(rows: Table, cols: dict[str, int], year: int, title: str, first: int) -> Draft:
    lke = load_lke()
    out = Draft("", 0)
    no_target = "target" not in cols
    if no_target:
        out.unsure.append(f"no target-time column: every row's window is the plan year {year}")
    tree: list[tuple[str, list[tuple[str, list[tuple[list[str], dict[str, Node]]]]]]] = []
    for row in _logical_rows(rows, cols, first):
        code = row.get("lke", "")
        keyed = lke.row(parse_key(code).rstrip(".").lower()) if code else None
        component, area = row["component"], row["area"]
        if keyed is not None and "component" not in cols:
            where = lke.subarea_of(keyed)
            component, area = where.area, where.name
        if not tree or tree[-1][0] != component:
            tree.append((component, []))
        areas = tree[-1][1]
        if not areas or areas[-1][0] != area:
            areas.append((area, []))
        why, node = _indicator(row, keyed, lke, year, no_target)
        if why:
            out.unsure.append(f"row {row['line']}: {'; '.join(why)}")
        areas[-1][1].append((why, node))
        out.rows += 1
    if not out.rows:
        raise ZiAuditError("the table has a header but no rows")
    out.yaml = _yaml(tree, title, year)
    return out


def _indicator(
    row: Row, keyed: LkeRow | None, lke: Lke, year: int, no_target: bool
) -> tuple[list[str], dict[str, Node]]:
    """One plan row as an indicator of the rule file, and what a person should check."""
    why: list[str] = []
    code, output, action = row.get("lke", ""), row.get("output", ""), row.get("action", "")
    text = row.get("indicator") or (keyed.text if keyed else action) or output
    target = row.get("target", "") or _dated(output)
    window, unsure = (
        ("Januari - Desember", None) if no_target and not target else _window(target, year)
    )
    if unsure:
        why.append(unsure)
        window = window if window and " read as " in unsure else "Januari - Desember"
    node: dict[str, Node] = {"text": text}
    if action and action != text:
        node["action"] = action
    node["window"] = window or "Januari - Desember"
    if code and keyed is None:
        why.append(f"LKE code '{code}' is not an LKE row")
    link = _lke_link(text, keyed, lke)
    if link:
        node["lke"] = link
    if row.get("pic"):
        node["pic"] = row["pic"]
    said = f"{text} {action} {output}"
    # In the order the row says them: 'per semester atau per triwulan' -> [semester, quarter].
    found = ((rx.search(said), e) for e, rx in _EVERY)
    everies = [e for _, e in sorted((m.start(), e) for m, e in found if m)]
    evidence: list[Node] = []
    docs = _documents(output) if output and output.strip(" -") else []
    if not docs:
        why.append("no output (bukti) named")
    for doc in docs:
        patterns = _patterns(doc)
        if not patterns:
            why.append(f"no words to find '{doc}' by")
            continue
        item: dict[str, Node] = {"name": doc, "patterns": patterns}
        if everies:
            item["every"] = everies
        evidence.append(item)
    node["evidence"] = evidence
    return why, node


def _lke_link(text: str, keyed: LkeRow | None, lke: Lke) -> str:
    """The LKE row the table names; else the Pemenuhan row whose text is nearly this one."""
    if keyed is not None:
        return keyed.id if keyed.part == "pemenuhan" else f"{keyed.part} {keyed.id}"
    words = fold(text).split()
    pemenuhan = [r for r in lke.rows("pemenuhan") if r.scored]
    best = max(pemenuhan, key=lambda r: similarity(words, fold(r.text).split()))
    return best.id if similarity(words, fold(best.text).split()) >= 0.8 else ""


def _yaml(
    tree: list[tuple[str, list[tuple[str, list[tuple[list[str], dict[str, Node]]]]]]],
    title: str,
    year: int,
) -> str:
    components: list[Node] = []
    for c, (component, areas) in enumerate(tree, 1):
        area_nodes: list[Node] = []
        for a, (area, indicators) in enumerate(areas, 1):
            inds: list[Node] = [
                {
                    **({"#": Note(f"periksa: {'; '.join(why)}")} if why else {}),
                    "id": f"{c}.{a}.{i}",
                    **node,
                }
                for i, (why, node) in enumerate(indicators, 1)
            ]
            area_nodes.append({"id": f"{c}.{a}", "name": area, "indicators": inds})
        components.append({"id": str(c), "name": component, "areas": area_nodes})
    return dump(
        {
            "#1": Note("Draft made by zi-audit rules import: check every '# periksa:' line, then"),
            "#2": Note("zi-audit rules check FILE. docs/rules.md explains every key."),
            "version": 1,
            "plan": {"title": title, "year": year},
            "components": components,
        }
    )


def import_table(source: Path, output: Path, year: int | None, title: str) -> Draft:
    """Read, draft, check with the rule loader, then write: nothing is written unless the
    draft loads, and never over an existing file."""
    if output.exists():
        raise ZiAuditError(f"{output} exists; zi-audit rules import never overwrites a file")
    plan_year = year or today(WIB).year
    result = draft(read_tables(source), plan_year, title)
    try:
        parse_rules(result.yaml, str(output))
    except ZiAuditError as exc:
        raise ZiAuditError(
            f"the draft from {source} does not load ({exc}); nothing was written"
        ) from None
    atomic_write(output, result.yaml)
    return result
