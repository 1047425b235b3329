"""Reading a rule file: the unit's Rencana Aksi, checked key by key.

Loading is all-or-nothing. A rule file with one mistake is refused with the file,
line and key at fault (nothing is scanned with a half-read rule file),
so every key is checked here, including typos such as `paterns`.
The schema is documented in docs/rules.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from zi_audit.errors import RuleError
from zi_audit.lke.model import load_lke, parse_key
from zi_audit.rules.model import (
    _EXT,
    DEFAULT_TYPES,
    EVIDENCE_TYPES,
    TYPE_GROUPS,
    Area,
    Component,
    Evidence,
    Indicator,
    RuleSet,
)
from zi_audit.rules.patterns import PatternError, compile_pattern
from zi_audit.rules.periods import RECURRENCES, Window, WindowError, parse_window
from zi_audit.textnorm import fold
from zi_audit.timezones import plan_zone
from zi_audit.yamlread import Reader

_TOP = {"version": True, "plan": True, "defaults": False, "components": True}
_PLAN = {"title": True, "unit": False, "decree": False, "year": True, "timezone": False}
_DEFAULTS = {"types": False, "grace_days": False, "recurring_grace_days": False}
_COMPONENT = {"id": True, "name": True, "aliases": False, "areas": True, "part": False}
PARTS = ("pemenuhan", "reform")
_AREA = {"id": True, "label": False, "name": True, "aliases": False, "indicators": True}
_INDICATOR = {
    "id": True,
    "text": True,
    "action": False,
    "window": True,
    "evidence": True,
    "lke": False,
}
_EVIDENCE = {
    "name": True,
    "patterns": False,
    "in_folder": False,
    "exclude": False,
    "types": False,
    "every": False,
    "window": False,
    "grace_days": False,
    "words": False,
    "year_bound": False,
}


@dataclass(frozen=True)
class Overrides:
    """What the configuration may set over the rule file: folded in at load, so the loaded
    plan is the one truth about grace days and time zone."""

    grace_days: int | None = None
    recurring_grace_days: int | None = None
    timezone: str | None = None  # checked by the configuration loader


def load_rules(path: str | Path, overrides: Overrides | None = None) -> RuleSet:
    """Read and check a whole rule file; raise RuleError at the first mistake."""
    path = Path(path)
    shown = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RuleError(shown, None, None, f"cannot read the rule file: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise RuleError(shown, line, None, "is not UTF-8 text") from None
    return parse_rules(text, shown, overrides)


def parse_rules(text: str, path: str = "<rules>", overrides: Overrides | None = None) -> RuleSet:
    """The configuration's `overrides` replace the file's defaults (an item's own
    grace_days still wins) and its time zone."""
    over = overrides or Overrides()
    r = Reader(path)
    root = r.compose(text, "the rule file")
    top = r.mapping(root, "the rule file", _TOP)
    r.integer(top["version"], "version", 1, 1)

    plan = r.mapping(top["plan"], "plan", _PLAN)
    year = r.integer(plan["year"], "year", 2000, 2100)
    defaults = r.mapping(top["defaults"], "defaults", _DEFAULTS) if "defaults" in top else {}
    base_types = (
        _types(r, defaults["types"]) if "types" in defaults else _expand_types(DEFAULT_TYPES)
    )
    grace = (
        r.integer(defaults["grace_days"], "grace_days", 0, 366) if "grace_days" in defaults else 0
    )
    rgrace = (
        r.integer(defaults["recurring_grace_days"], "recurring_grace_days", 0, 366)
        if "recurring_grace_days" in defaults
        else 14
    )
    grace = grace if over.grace_days is None else over.grace_days
    rgrace = rgrace if over.recurring_grace_days is None else over.recurring_grace_days
    timezone = r.text(plan["timezone"], "timezone") if "timezone" in plan else "Asia/Jakarta"
    try:
        plan_zone(timezone)
    except ValueError as exc:
        raise r.fail(plan["timezone"], "timezone", str(exc)) from None
    timezone = over.timezone or timezone

    seen: dict[str, int] = {}

    def check_id(node: yaml.Node, expected: str, what: str) -> str:
        ident = r.text(node, "id")
        if ident in seen:
            raise r.fail(node, "id", f"duplicate id '{ident}' (first used on line {seen[ident]})")
        if ident != expected:
            raise r.fail(
                node,
                "id",
                f"{what} ids are positional: expected '{expected}' here, found '{ident}'",
            )
        seen[ident] = node.start_mark.line + 1
        return ident

    components = []
    for c_pos, c_node in enumerate(r.sequence(top["components"], "components"), 1):
        c = r.mapping(c_node, "a component", _COMPONENT)
        cid = check_id(c["id"], str(c_pos), "component")
        areas = []
        for a_pos, a_node in enumerate(r.sequence(c["areas"], "areas"), 1):
            a = r.mapping(a_node, f"an area of component {cid}", _AREA)
            aid = check_id(a["id"], f"{cid}.{a_pos}", "area")
            indicators = []
            for i_pos, i_node in enumerate(r.sequence(a["indicators"], "indicators"), 1):
                i = r.mapping(i_node, f"an indicator of area {aid}", _INDICATOR)
                iid = check_id(i["id"], f"{aid}.{i_pos}", "indicator")
                window = _window(r, i["window"], year)
                evidence = tuple(
                    _evidence(
                        r, e_node, f"{iid}/{e_pos}", iid, year, window, base_types, grace, rgrace
                    )
                    for e_pos, e_node in enumerate(
                        r.sequence(i["evidence"], "evidence", allow_empty=True), 1
                    )
                )
                if evidence and window is None and any(e.window is None for e in evidence):
                    raise r.fail(
                        i["window"], "window", "evidence is planned, so a window is needed"
                    )
                indicators.append(
                    Indicator(
                        id=iid,
                        component=cid,
                        area=aid,
                        text=r.text(i["text"], "text"),
                        action=r.text(i["action"], "action", allow_empty=True)
                        if "action" in i
                        else "",
                        window=window,
                        evidence=evidence,
                        line=i_node.start_mark.line + 1,
                        lke=_lke(r, i["lke"]) if "lke" in i else None,
                    )
                )
            areas.append(
                Area(
                    id=aid,
                    label=r.text(a["label"], "label") if "label" in a else aid,
                    name=r.text(a["name"], "name"),
                    aliases=_aliases(r, a),
                    indicators=tuple(indicators),
                )
            )
        components.append(
            Component(
                id=cid,
                name=r.text(c["name"], "name"),
                aliases=_aliases(r, c),
                areas=tuple(areas),
                part=_part(r, c["part"]) if "part" in c else None,
            )
        )

    return RuleSet(
        path=path,
        title=r.text(plan["title"], "title"),
        unit=r.text(plan["unit"], "unit") if "unit" in plan else "",
        year=year,
        timezone=timezone,
        components=tuple(components),
    )


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


def _window(r: Reader, node: yaml.Node, year: int) -> Window | None:
    text = r.text(node, "window", allow_empty=True)
    try:
        return parse_window(text, year)
    except WindowError as exc:
        raise r.fail(node, "window", str(exc)) from None


def _expand_types(names: tuple[str, ...] | list[str]) -> frozenset[str]:
    out: set[str] = set()
    for name in names:
        out.update(TYPE_GROUPS.get(name, (name,)))
    return frozenset(out)


def _types(r: Reader, node: yaml.Node) -> frozenset[str]:
    names = []
    for name, item in r.texts(node, "types"):
        name = name.lower().lstrip(".")
        if name not in TYPE_GROUPS and not _EXT.match(name):
            raise r.fail(
                item,
                "types",
                f"'{name}' is neither a file extension nor one of {', '.join(TYPE_GROUPS)}",
            )
        if name not in TYPE_GROUPS and name not in EVIDENCE_TYPES:
            raise r.fail(
                item,
                "types",
                f"'{name}' is not a document, image or video type evidence comes in "
                f"(pdf, {', '.join(TYPE_GROUPS)}, or one of their extensions)",
            )
        names.append(name)
    return _expand_types(names)


def _patterns(r: Reader, node: yaml.Node, key: str, *, allow_everything: bool) -> tuple[str, ...]:
    out = []
    for pattern, item in r.texts(node, key):
        try:
            compiled = compile_pattern(pattern)
        except PatternError as exc:
            raise r.fail(item, key, f"bad pattern '{pattern}': {exc}") from None
        if compiled.matches_everything and not allow_everything:
            raise r.fail(item, key, f"pattern '{pattern}' would match every file on the share")
        out.append(pattern)
    return tuple(out)


def _evidence(
    r: Reader,
    node: yaml.Node,
    key: str,
    indicator: str,
    year: int,
    indicator_window: Window | None,
    base_types: frozenset[str],
    grace: int,
    rgrace: int,
) -> Evidence:
    e = r.mapping(node, f"an evidence item of {indicator}", _EVIDENCE)
    name = r.text(e["name"], "name")
    patterns = (
        _patterns(r, e["patterns"], "patterns", allow_everything=False) if "patterns" in e else ()
    )
    in_folder = (
        _patterns(r, e["in_folder"], "in_folder", allow_everything=True) if "in_folder" in e else ()
    )
    if not patterns and not in_folder:
        raise r.fail(node, "patterns", f"evidence '{name}' needs 'patterns' or 'in_folder'")
    every: list[str] = []
    if "every" in e:
        for value, item in r.texts(e["every"], "every"):
            if value not in RECURRENCES:
                raise r.fail(item, "every", f"'{value}' is not one of {', '.join(RECURRENCES)}")
            every.append(value)
    window = _window(r, e["window"], year) if "window" in e else None
    effective = window or indicator_window
    if effective is not None and len(effective.parts) > 1 and every:
        raise r.fail(node, "every", "a window of separate months already makes one slot per month")
    default_grace = rgrace if (every or (effective and len(effective.parts) > 1)) else grace
    year_bound = (
        r.boolean(e["year_bound"], "year_bound")
        if "year_bound" in e
        else str(year) in re.findall(r"\d{4}", name)
    )
    return Evidence(
        key=key,
        indicator=indicator,
        name=name,
        patterns=patterns,
        in_folder=in_folder,
        exclude=_patterns(r, e["exclude"], "exclude", allow_everything=False)
        if "exclude" in e
        else (),
        types=_types(r, e["types"]) if "types" in e else base_types,
        every=tuple(every),
        window=window,
        grace_days=r.integer(e["grace_days"], "grace_days", 0, 366)
        if "grace_days" in e
        else default_grace,
        words=tuple(fold(w) for w, _ in r.texts(e["words"], "words")) if "words" in e else (),
        year_bound=year_bound,
        line=node.start_mark.line + 1,
    )
