"""Reading one evidence item of a rule file: names, patterns, types, and what the plan
says of it beyond files (applies_to, provided_by, only_if, min). docs/rules.md."""

from __future__ import annotations

import re
from typing import NamedTuple

import yaml

from zi_audit.rules.model import _EXT, EVIDENCE_TYPES, TYPE_GROUPS, Evidence
from zi_audit.rules.patterns import PatternError, compile_pattern
from zi_audit.rules.periods import RECURRENCES, Window, WindowError, parse_window
from zi_audit.util.textnorm import fold
from zi_audit.util.yamlread import Reader

_EVIDENCE = {
    "applies_to": False,
    "provided_by": False,
    "only_if": False,
    "min": False,
    "pic": False,
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


def types_of(r: Reader, node: yaml.Node) -> frozenset[str]:
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
    return expand_types(names)


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


class ItemDefaults(NamedTuple):
    """What an evidence item inherits from its plan unless it says otherwise."""

    year: int
    types: frozenset[str]
    grace: int
    recurring_grace: int
    kinds: tuple[str, ...] = ()


def evidence_item(
    r: Reader,
    node: yaml.Node,
    key: str,
    indicator: str,
    indicator_window: Window | None,
    defaults: ItemDefaults,
    pic: str | None = None,
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
    every = _every(r, e)
    window = window_of(r, e["window"], defaults.year) if "window" in e else None
    effective = window or indicator_window
    if effective is not None and len(effective.parts) > 1 and every:
        raise r.fail(node, "every", "a window of separate months already makes one slot per month")
    recurring = every or (effective and len(effective.parts) > 1)
    return Evidence(
        key=key,
        indicator=indicator,
        name=name,
        patterns=patterns,
        in_folder=in_folder,
        exclude=_patterns(r, e["exclude"], "exclude", allow_everything=False)
        if "exclude" in e
        else (),
        types=types_of(r, e["types"]) if "types" in e else defaults.types,
        every=every,
        window=window,
        grace_days=r.integer(e["grace_days"], "grace_days", 0, 366)
        if "grace_days" in e
        else (defaults.recurring_grace if recurring else defaults.grace),
        words=tuple(
            "|".join(fold(alt) for alt in w.split("|")) for w, _ in r.texts(e["words"], "words")
        )
        if "words" in e
        else (),
        year_bound=r.boolean(e["year_bound"], "year_bound")
        if "year_bound" in e
        else str(defaults.year) in re.findall(r"\d{4}", name),
        line=node.start_mark.line + 1,
        applies_to=_kinds(r, e["applies_to"], defaults.kinds) if "applies_to" in e else (),
        provided_by=r.text(e["provided_by"], "provided_by") if "provided_by" in e else None,
        only_if=r.text(e["only_if"], "only_if") if "only_if" in e else None,
        minimum=r.integer(e["min"], "min", 1, 100) if "min" in e else 1,
        pic=r.text(e["pic"], "pic") if "pic" in e else pic,
    )


def _every(r: Reader, e: dict[str, yaml.Node]) -> tuple[str, ...]:
    every: list[str] = []
    if "every" in e:
        for value, item in r.texts(e["every"], "every"):
            if value not in RECURRENCES:
                raise r.fail(item, "every", f"'{value}' is not one of {', '.join(RECURRENCES)}")
            every.append(value)
    return tuple(every)


def _kinds(r: Reader, node: yaml.Node, known: tuple[str, ...]) -> tuple[str, ...]:
    out = []
    for value, item in r.texts(node, "applies_to"):
        kind = value.lower()
        if kind not in known:
            allowed = ", ".join(known) or "none: declare plan.unit_kinds first"
            raise r.fail(
                item, "applies_to", f"'{value}' is not a unit kind of this plan ({allowed})"
            )
        out.append(kind)
    return tuple(out)


def window_of(r: Reader, node: yaml.Node, year: int) -> Window | None:
    text = r.text(node, "window", allow_empty=True)
    try:
        return parse_window(text, year)
    except WindowError as exc:
        raise r.fail(node, "window", str(exc)) from None


def expand_types(names: tuple[str, ...] | list[str]) -> frozenset[str]:
    out: set[str] = set()
    for name in names:
        out.update(TYPE_GROUPS.get(name, (name,)))
    return frozenset(out)
