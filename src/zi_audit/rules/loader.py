"""Reading a rule file: the unit's Rencana Aksi, checked key by key.

Loading is all-or-nothing. A rule file with one mistake is refused with the file,
line and key at fault (nothing is scanned with a half-read rule file),
so every key is checked here, including typos such as `paterns`.
The schema is documented in docs/rules.md.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

import yaml

from zi_audit.core.errors import RuleError
from zi_audit.lke.model import load_lke, parse_key
from zi_audit.rules.items import (
    ItemDefaults,
    evidence_item,
    expand_types,
    types_of,
    window_of,
)
from zi_audit.rules.model import (
    DEFAULT_TYPES,
    Area,
    Component,
    Indicator,
    RuleSet,
)
from zi_audit.util.timezones import plan_zone
from zi_audit.util.yamlread import Reader, read_text

_TOP = {"version": True, "plan": True, "defaults": False, "components": True}
_PLAN = {
    "title": True,
    "unit": False,
    "decree": False,
    "year": True,
    "timezone": False,
    "evaluation_date": False,
    "unit_kinds": False,
}
_DEFAULTS = {"types": False, "grace_days": False, "recurring_grace_days": False}
_COMPONENT = {"id": True, "name": True, "aliases": False, "areas": True, "part": False}
PARTS = ("pemenuhan", "reform")
_AREA = {
    "id": True,
    "label": False,
    "name": True,
    "aliases": False,
    "indicators": True,
    "pic": False,
}
_INDICATOR = {
    "id": True,
    "text": True,
    "action": False,
    "window": True,
    "evidence": True,
    "lke": False,
    "pic": False,
}


class Overrides(NamedTuple):
    """What the configuration may set over the rule file: folded in at load, so the loaded
    plan is the one truth about grace days and time zone."""

    grace_days: int | None = None
    recurring_grace_days: int | None = None
    timezone: str | None = None  # checked by the configuration loader
    unit_kind: str | None = None  # the unit's kind, for items that apply to some kinds only


def load_rules(path: str | Path, overrides: Overrides | None = None) -> RuleSet:
    """Read and check a whole rule file; raise RuleError at the first mistake."""
    path = Path(path)
    return parse_rules(read_text(path, RuleError, "the rule file"), str(path), overrides)


def parse_rules(text: str, path: str = "<rules>", overrides: Overrides | None = None) -> RuleSet:
    """The configuration's `overrides` replace the file's defaults (an item's own
    grace_days still wins) and its time zone."""
    over = overrides or Overrides()
    r = Reader(path)
    top = r.mapping(r.compose(text, "the rule file"), "the rule file", _TOP)
    r.integer(top["version"], "version", 1, 1)
    plan = r.mapping(top["plan"], "plan", _PLAN)
    defaults = _defaults(r, plan, top, over)
    timezone = r.text(plan["timezone"], "timezone") if "timezone" in plan else "Asia/Jakarta"
    try:
        plan_zone(timezone)
    except ValueError as exc:
        raise r.fail(plan["timezone"], "timezone", str(exc)) from None
    if over.unit_kind is not None and over.unit_kind not in defaults.kinds:
        raise RuleError(
            path,
            None,
            "unit_kinds",
            f"the configuration's unit_kind '{over.unit_kind}' is not one of this plan's unit "
            f"kinds ({', '.join(defaults.kinds) or 'none declared'})",
        )
    tree = _Tree(r, defaults)
    components = tuple(
        tree.component(node, pos)
        for pos, node in enumerate(r.sequence(top["components"], "components"), 1)
    )
    return RuleSet(
        path=path,
        title=r.text(plan["title"], "title"),
        unit=r.text(plan["unit"], "unit") if "unit" in plan else "",
        year=defaults.year,
        timezone=over.timezone or timezone,
        components=components,
        evaluation_date=(
            _date(r, plan["evaluation_date"], "evaluation_date")
            if "evaluation_date" in plan
            else None
        ),
        unit_kinds=defaults.kinds,
        unit_kind=over.unit_kind,
    )


def _defaults(
    r: Reader, plan: dict[str, yaml.Node], top: dict[str, yaml.Node], over: Overrides
) -> ItemDefaults:
    """What every evidence item inherits: the plan year, types, grace days, unit kinds."""
    year = r.integer(plan["year"], "year", 2000, 2100)
    d = r.mapping(top["defaults"], "defaults", _DEFAULTS) if "defaults" in top else {}
    types = types_of(r, d["types"]) if "types" in d else expand_types(DEFAULT_TYPES)
    grace = r.integer(d["grace_days"], "grace_days", 0, 366) if "grace_days" in d else 0
    rgrace = (
        r.integer(d["recurring_grace_days"], "recurring_grace_days", 0, 366)
        if "recurring_grace_days" in d
        else 14
    )
    kinds = (
        tuple(k.lower() for k, _ in r.texts(plan["unit_kinds"], "unit_kinds"))
        if "unit_kinds" in plan
        else ()
    )
    return ItemDefaults(
        year=year,
        types=types,
        grace=grace if over.grace_days is None else over.grace_days,
        recurring_grace=rgrace if over.recurring_grace_days is None else over.recurring_grace_days,
        kinds=kinds,
    )


class _Tree:
    """Components, areas and indicators, read in order: ids are positional and unique."""

    def __init__(self, r: Reader, defaults: ItemDefaults) -> None:
        self.r, self.defaults = r, defaults
        self.seen: dict[str, int] = {}

    def check_id(self, node: yaml.Node, expected: str, what: str) -> str:
        r = self.r
        ident = r.text(node, "id")
        if ident in self.seen:
            first = self.seen[ident]
            raise r.fail(node, "id", f"duplicate id '{ident}' (first used on line {first})")
        if ident != expected:
            raise r.fail(
                node,
                "id",
                f"{what} ids are positional: expected '{expected}' here, found '{ident}'",
            )
        self.seen[ident] = node.start_mark.line + 1
        return ident

    def component(self, node: yaml.Node, pos: int) -> Component:
        r = self.r
        c = r.mapping(node, "a component", _COMPONENT)
        cid = self.check_id(c["id"], str(pos), "component")
        areas = r.sequence(c["areas"], "areas")
        return Component(
            id=cid,
            name=r.text(c["name"], "name"),
            aliases=_aliases(r, c),
            areas=tuple(self.area(a, cid, n) for n, a in enumerate(areas, 1)),
            part=_part(r, c["part"]) if "part" in c else None,
        )

    def area(self, node: yaml.Node, cid: str, pos: int) -> Area:
        r = self.r
        a = r.mapping(node, f"an area of component {cid}", _AREA)
        aid = self.check_id(a["id"], f"{cid}.{pos}", "area")
        pic = r.text(a["pic"], "pic") if "pic" in a else None
        indicators = r.sequence(a["indicators"], "indicators")
        return Area(
            id=aid,
            label=r.text(a["label"], "label") if "label" in a else aid,
            name=r.text(a["name"], "name"),
            aliases=_aliases(r, a),
            indicators=tuple(
                self.indicator(i, cid, aid, n, pic) for n, i in enumerate(indicators, 1)
            ),
        )

    def indicator(
        self, node: yaml.Node, cid: str, aid: str, pos: int, area_pic: str | None
    ) -> Indicator:
        r = self.r
        i = r.mapping(node, f"an indicator of area {aid}", _INDICATOR)
        iid = self.check_id(i["id"], f"{aid}.{pos}", "indicator")
        window = window_of(r, i["window"], self.defaults.year)
        pic = (r.text(i["pic"], "pic") if "pic" in i else None) or area_pic
        items = r.sequence(i["evidence"], "evidence", allow_empty=True)
        evidence = tuple(
            evidence_item(r, e, f"{iid}/{n}", iid, window, self.defaults, pic)
            for n, e in enumerate(items, 1)
        )
        if evidence and window is None and any(e.window is None for e in evidence):
            raise r.fail(i["window"], "window", "evidence is planned, so a window is needed")
        return Indicator(
            id=iid,
            component=cid,
            area=aid,
            text=r.text(i["text"], "text"),
            action=r.text(i["action"], "action", allow_empty=True) if "action" in i else "",
            window=window,
            evidence=evidence,
            line=node.start_mark.line + 1,
            lke=_lke(r, i["lke"]) if "lke" in i else None,
        )


def _date(r: Reader, node: yaml.Node, key: str) -> dt.date:
    raw = r.text(node, key)
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise r.fail(node, key, f"'{raw}' is not a date written YYYY-MM-DD") from None


def _part(r: Reader, node: yaml.Node) -> str:
    part = r.text(node, "part").lower()
    if part not in PARTS:
        raise r.fail(node, "part", f"must be one of {', '.join(PARTS)}, not '{part}'")
    return part


def _lke(r: Reader, node: yaml.Node) -> str:
    key = parse_key(r.text(node, "lke"))
    row = load_lke().row(key)
    if row is None:
        raise r.fail(
            node, "lke", f"'{node.value}' is not a row of the LKE (e.g. 1.i.a, reform 1.i.a)"
        )
    if not row.scored:
        raise r.fail(node, "lke", f"'{node.value}' is a Jumlah row; link the row it feeds")
    return key


def _aliases(r: Reader, mapping: dict[str, yaml.Node]) -> tuple[str, ...]:
    return (
        tuple(t for t, _ in r.texts(mapping["aliases"], "aliases")) if "aliases" in mapping else ()
    )
