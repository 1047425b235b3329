"""The draft rule file: plan rows in, YAML a person checks out, never a plan lost for a row.

Each document of the evidence column becomes an evidence item with name patterns; windows
come from the target column (a merged time cell covers the rows below it, within its
component); frequency words make items recurring (named months win over a frequency);
texts and codes that match the LKE are linked to it. A row that cannot be read is kept,
commented out, under a `# periksa:` line saying why; rows it is unsure of are marked. The
draft must pass the rule loader before it is written. A draft whose shape is implausible for
the columns the document has is written, and the command says what looks wrong (exit 1).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from zi_audit.core.errors import ZiAuditError
from zi_audit.lke.model import Row as LkeRow
from zi_audit.lke.model import load_lke
from zi_audit.rules.importing import cells as c
from zi_audit.rules.importing.columns import NoHeader, find_header
from zi_audit.rules.importing.layout import Table
from zi_audit.rules.importing.read import read_tables
from zi_audit.rules.importing.rows import PlanRow, plan_rows
from zi_audit.rules.loader import parse_rules
from zi_audit.util.atomic import atomic_write
from zi_audit.util.textnorm import fold, similarity
from zi_audit.util.timezones import WIB, today
from zi_audit.util.yamlwrite import Commented, Node, Note, dump

MAX_COMPONENTS = 12  # a ZI plan has six (twelve where Pemenuhan and Reform are apart)


@dataclass
class Draft:
    yaml: str
    rows: int
    unsure: list[str] = field(default_factory=list)  # "row 12: why"
    counts: dict[str, int] = field(default_factory=dict)
    implausible: list[str] = field(default_factory=list)  # what looks wrong, if anything


@dataclass
class _Item:
    why: list[str]
    node: dict[str, Node]
    kept: bool  # False: written commented out


def draft(tables: list[Table], year: int | None, title: str) -> Draft:
    last: NoHeader | None = None
    for table in tables:
        try:
            header = find_header(table)
        except NoHeader as exc:
            last = exc
            continue
        rows = plan_rows(table, header, header.row + 2)
        if rows:
            return _Drafter(header.cols, rows, year).draft(title)
    raise last or NoHeader("no Rencana Aksi table found: the document holds no table")


class _Drafter:
    def __init__(self, cols: dict[str, int], rows: list[PlanRow], year: int | None) -> None:
        self.lke = load_lke()
        self.cols, self.rows = cols, rows
        self.year = year or _plan_year(rows) or today(WIB).year
        self.timed = "target" in cols and c.reads_as_time(
            (r.cells.get("target", "") for r in rows), self.year
        )
        self.out = Draft("", 0)
        self.unit = c.unit_words([v for r in rows for v in r.cells.values()])
        if not self.timed:
            what = (
                "no target-time column"
                if "target" not in cols
                else "the target column holds no times"
            )
            self.out.unsure.append(f"{what}: every row's window is the plan year {self.year}")

    def draft(self, title: str) -> Draft:
        tree: dict[str, tuple[str, dict[str, list[_Item]]]] = {}  # key -> (name, areas)
        carried: dict[str, str] = {}  # component -> the time cell above (a merged cell)
        outcome = False  # the row above's target cell held an outcome, not a time
        read_times = 0
        for row in self.rows:
            keyed = self._keyed(row)
            component, area, key = row.component, row.area, row.component_key
            if keyed is not None and not component:
                where = self.lke.subarea_of(keyed)
                component, area, key = where.area, where.name, where.area
            component = component or self._guess()
            area, key = area or component, key or component
            cell = row.cells.get("target", "") if self.timed else ""
            own = cell if c.names_a_month(cell) or cell.strip() in ("-", "\u2013") else ""
            target = own or (c.dated(row.cells.get("output", "")) if self.timed else "")
            read_times += bool(own and c.window(own, self.year)[0])
            if target:
                carried[key] = target
            elif self.timed:
                target = carried.get(key, "")
                # Outcome targets a merged cell spills into the rows below ('1. Meningkatnya
                # …', then its lower-case tail) are not times; any other text is worth a look.
                if cell and not (c.OUTCOME.match(cell) or (cell[:1].islower() and outcome)):
                    shown = " ".join(cell.split())[:40]
                    row.notes.append(f"'{shown}' is not a time: the window above is kept")
            outcome = bool(cell) and not own
            item = self._indicator(row, keyed, target)
            tree.setdefault(key, (component, {}))[1].setdefault(area, []).append(item)
            if item.why:
                self.out.unsure.append(f"row {row.line}: {'; '.join(item.why)}")
            self.out.rows += item.kept
        if not self.out.rows:
            raise ZiAuditError("the table has a header but no rows that can be read")
        self.out.yaml = self._yaml(tree, title)
        self._count(tree, read_times)
        return self.out

    def _keyed(self, row: PlanRow) -> LkeRow | None:
        if not row.lke and row.cells.get("lke"):
            row.code = " ".join(filter(None, (row.cells["lke"], row.cells.get("lke_sub"))))
            row.lke = c.lke_code(row.cells["lke"], row.cells.get("lke_sub", ""))
        return self.lke.row(row.lke) if row.lke else None

    def _guess(self) -> str:
        """A table of one component's rows with no component named: the LKE area its areas'
        names are closest to, else a plain name."""
        names = " ".join({r.area for r in self.rows})
        words = fold(names).split()
        best = max(
            ((similarity(fold(s.name).split(), words), s.area) for s in self.lke.subareas),
            default=(0.0, ""),
        )
        areas = {s.area_no: s.area for s in self.lke.subareas}
        return areas.get(best[1], best[1]) if best[0] > 0.3 and best[1] else "Rencana Aksi"

    def _indicator(self, row: PlanRow, keyed: LkeRow | None, target: str) -> _Item:
        why = list(row.notes)
        cells = row.cells
        output, action = cells.get("output", ""), cells.get("action", "")
        text = cells.get("indicator") or (keyed.text if keyed else action) or output
        node: dict[str, Node] = {"text": " ".join(text.split())}
        if action and " ".join(action.split()) != node["text"]:
            node["action"] = " ".join(action.split())
        window, unsure = (c.WHOLE_YEAR, None) if not target else c.window(target, self.year)
        if unsure:
            why.append(unsure)
        dated = c.dated(output)
        if dated and not self.timed:
            window, _ = c.window(dated, self.year)
        node["window"] = window or c.WHOLE_YEAR
        if row.code and keyed is None:
            why.append(f"LKE code '{row.code}' is not an LKE row")
        link = self._link(node["text"], keyed)  # type: ignore[arg-type]
        if link:
            node["lke"] = link
        if cells.get("pic"):
            node["pic"] = " ".join(cells["pic"].split())
        node["evidence"] = self._evidence(output, f"{text} {action} {output}", window, why)
        if not node["evidence"] and action and output.strip() not in ("-", "\u2013"):
            # An activity with no evidence named still needs some: any document filed on
            # its row counts until a person names it.
            node["evidence"] = [{"name": " ".join(action.split())[:120], "in_folder": ["*"]}]
            why.append("any document in its own folder counts")
        kept = bool(action or "action" not in self.cols or "indicator" not in self.cols)
        if not kept:
            why.append("no rencana aksi: kept commented out")
        return _Item(why, node, kept)

    def _evidence(self, output: str, said: str, window: str | None, why: list[str]) -> list[Node]:
        docs = c.documents(output) if output.strip(" -") else []
        if not docs:
            why.append("no output (bukti) named")
        # Named months already make one slot each: a frequency word adds nothing then.
        several = window is not None and ("," in window or " dan " in window)
        every = [] if several else c.everies(said)
        items: list[Node] = []
        for doc in docs:
            found, generic = c.patterns(doc, self.unit)
            if not found:
                why.append(f"no words to find '{doc}' by")
                continue
            item: dict[str, Node] = {"name": " ".join(doc.split())}
            item["in_folder" if generic else "patterns"] = found
            if c.says(doc, self.unit):
                item["words"] = c.says(doc, self.unit)  # what its text must hold
            if every:
                item["every"] = every
            items.append(item)
        if len(items) == 1 and "patterns" in items[0]:  # type: ignore[operator]
            items[0]["in_folder"] = ["*"]  # type: ignore[index]  # any file in its own folder
        return items

    def _link(self, text: str, keyed: LkeRow | None) -> str:
        """The LKE row the table names; else the Pemenuhan row whose text is nearly this one."""
        if keyed is not None:
            return keyed.id if keyed.part == "pemenuhan" else f"{keyed.part} {keyed.id}"
        words = fold(text).split()
        pemenuhan = [r for r in self.lke.rows("pemenuhan") if r.scored]
        best = max(pemenuhan, key=lambda r: similarity(words, fold(r.text).split()))
        return best.id if similarity(words, fold(best.text).split()) >= 0.8 else ""

    def _yaml(self, tree: dict[str, tuple[str, dict[str, list[_Item]]]], title: str) -> str:
        """Ids are positional over what is kept; an area or a component with no row to keep
        is written commented out, so no row of the document is lost."""
        components: list[Node] = []
        kept_components = 0
        for component, areas in tree.values():
            cid = str(kept_components + 1)
            area_nodes: list[Node] = []
            kept_areas = 0
            for area, items in areas.items():
                aid = f"{cid}.{kept_areas + 1}"
                inds: list[Node] = []
                for item in items:
                    why = f"periksa: {'; '.join(item.why)}"
                    if not item.kept:
                        inds.append(Commented(why, item.node))
                        continue
                    note = {"#": Note(why)} if item.why else {}
                    n = sum(1 for i in inds if isinstance(i, dict)) + 1
                    inds.append({**note, "id": f"{aid}.{n}", **item.node})
                node: dict[str, Node] = {"name": area, "indicators": inds}
                if any(isinstance(i, dict) for i in inds):
                    kept_areas += 1
                    area_nodes.append({"id": aid, **node})
                else:
                    area_nodes.append(Commented("periksa: an area with no row to keep", node))
            node = {"name": component, "areas": area_nodes}
            if kept_areas:
                kept_components += 1
                components.append({"id": cid, **node})
            else:
                components.append(Commented("periksa: a component with no row to keep", node))
        return dump(
            {
                "#1": Note(
                    "Draft made by zi-audit rules import: check every '# periksa:' line, then"
                ),
                "#2": Note("zi-audit rules check FILE. docs/rules.md explains every key."),
                "version": 1,
                "plan": {"title": title, "year": self.year},
                "components": components,
            }
        )

    def _count(self, tree: dict[str, tuple[str, dict[str, list[_Item]]]], read_times: int) -> None:
        every = [i for _, areas in tree.values() for items in areas.values() for i in items]
        kept = [i for i in every if i.kept]
        self.out.counts = {
            "components": sum(
                any(i.kept for items in a.values() for i in items) for _, a in tree.values()
            ),
            "areas": sum(
                any(i.kept for i in items) for _, a in tree.values() for items in a.values()
            ),
            "indicators": len(kept),
            "evidence": sum(len(_list(i.node["evidence"])) for i in kept),
            "windows": read_times,
            "pics": sum(1 for i in kept if "pic" in i.node),
            "flagged": sum(1 for i in every if i.why),
        }
        counts, bad = self.out.counts, self.out.implausible
        if counts["components"] > MAX_COMPONENTS:
            bad.append(f"{counts['components']} components; a ZI plan has six")
        if self.timed and read_times * 4 < len(kept):
            bad.append(f"only {read_times} of {len(kept)} rows name a target time")
        if sum(1 for i in kept if not i.node["evidence"]) * 2 > len(kept):
            bad.append("most rows name no evidence (bukti)")


def _list(node: Node) -> list[Node]:
    return node if isinstance(node, list) else []


def _plan_year(rows: list[PlanRow]) -> int | None:
    """The year the plan's cells name most (a `tahun` column first)."""
    years = Counter(int(r.cells["year"]) for r in rows if r.cells.get("year", "").isdigit())
    if not years:
        for r in rows:
            for cell in (
                r.cells.get("target", ""),
                r.cells.get("output", ""),
                r.cells.get("action", ""),
            ):
                years.update(int(m[0]) for m in c.YEAR.finditer(cell))
    return years.most_common(1)[0][0] if years else None


def import_table(source: Path, output: Path, year: int | None, title: str) -> Draft:
    """Read, draft, check with the rule loader, then write: nothing is written unless the
    draft loads, and never over an existing file."""
    if output.exists():
        raise ZiAuditError(f"{output} exists; zi-audit rules import never overwrites a file")
    result = draft(read_tables(source), year, title)
    try:
        parse_rules(result.yaml, str(output))
    except ZiAuditError as exc:
        raise ZiAuditError(
            f"the draft from {source} does not load ({exc}); nothing was written"
        ) from None
    atomic_write(output, result.yaml)
    return result
