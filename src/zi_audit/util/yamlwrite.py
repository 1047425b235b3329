"""Writing rule files people read and edit: block YAML, every string quoted, notes kept.

PyYAML's dumper cannot write comments, and a draft rule file lives by them (`# periksa:`
says what a person must check). One small emitter serves every rule file zi-audit writes:
the `rules import` draft and the bundled LKE plan. Strings are written as JSON strings,
which YAML reads as the same strings, so no text (a colon, a leading dash, `yes`) can turn
into another type or break the file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeAlias

Scalar: TypeAlias = str | int | float | bool | None


@dataclass(frozen=True)
class Note:
    """A comment line of its own, written where it stands in a mapping or a list."""

    text: str


@dataclass(frozen=True)
class Commented:
    """A list item written commented out, under a note that says why: kept for a person to
    mend, never read by the loader."""

    why: str
    node: Node


Node: TypeAlias = "Scalar | Sequence[Node] | Mapping[str, Node] | Note | Commented"


def dump(node: Mapping[str, Node]) -> str:
    return "\n".join(_mapping(node, 0)) + "\n"


def scalar(value: Scalar) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(" ".join(value.split()), ensure_ascii=False)


def _is_scalar(node: Node) -> bool:
    return node is None or isinstance(node, (str, int, float, bool))


def _mapping(node: Mapping[str, Node], indent: int) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    for key, value in node.items():
        if isinstance(value, Note):
            out.append(f"{pad}# {_line(value.text)}")
        elif _is_scalar(value):
            out.append(f"{pad}{key}: {scalar(value)}")  # type: ignore[arg-type]
        elif isinstance(value, Mapping):
            out += [f"{pad}{key}:", *_mapping(value, indent + 2)]
        elif isinstance(value, Sequence) and all(_is_scalar(v) for v in value):
            out.append(f"{pad}{key}: [{', '.join(scalar(v) for v in value)}]")  # type: ignore[arg-type]
        elif isinstance(value, Sequence):
            out += [f"{pad}{key}:", *_sequence(value, indent + 2)]
        else:
            raise TypeError(f"cannot write {type(value).__name__} under {key!r}")
    return out


def _sequence(items: Sequence[Node], indent: int) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    for item in items:
        if isinstance(item, Note):
            out.append(f"{pad}# {_line(item.text)}")
        elif isinstance(item, Commented):
            out.append(f"{pad}# {_line(item.why)}")
            out += [_comment(line, indent) for line in _sequence([item.node], indent)]
        elif isinstance(item, Mapping):
            lines = _mapping(item, indent + 2)
            first = next(i for i, ln in enumerate(lines) if not ln.lstrip().startswith("#"))
            lines[first] = f"{pad}- {lines[first][indent + 2 :]}"
            out += lines
        elif _is_scalar(item):
            out.append(f"{pad}- {scalar(item)}")  # type: ignore[arg-type]
        else:
            out += [f"{pad}-", *_sequence(item, indent + 2)]  # type: ignore[arg-type]
    return out


def _comment(line: str, indent: int) -> str:
    """A written line, commented out at the list's indentation."""
    return f"{' ' * indent}# {line[indent:]}"


def _line(text: str) -> str:
    """A comment is one line, whatever the text it quotes held."""
    return " ".join(text.split())
