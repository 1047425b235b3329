"""Reading YAML files people edit by hand, with the line of every mistake.

Shared by the rule file and the configuration file: both refuse unknown keys (with a
suggestion for typos), duplicate keys and wrong types, naming file, line and key.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import yaml

from zi_audit.core.errors import FileError, RuleError

# libyaml's loader when PyYAML was built with it: same nodes and marks, several times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def quote(text: str, limit: int = 80) -> str:
    """A value as an error message may show it: one line, never more than `limit` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def read_text(path: Path, error: type[FileError], what: str) -> str:
    """A hand-edited file's text (a BOM from Notepad dropped), or the error naming the file
    and, for text that is not UTF-8, the line where it stops being so."""
    shown = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise error(shown, None, None, f"cannot read {what}: {exc.strerror}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error(shown, line, None, "is not UTF-8 text") from None


class Reader:
    """Reads YAML nodes, checking shape and keys, with the line of every mistake."""

    def __init__(self, path: str, error: type[FileError] = RuleError) -> None:
        self.path = path
        self.error = error

    def compose(self, text: str, what: str) -> yaml.Node:
        """Parse to nodes (which keep their line numbers); a syntax error names its line.

        Nodes an alias points at are shared, not copied, so composing a file of nested
        aliases is cheap; what must never happen is turning such a node into text (a
        mapping key, an error message), which `mapping` and `quote` refuse and bound."""
        try:
            root = yaml.compose(text, Loader=_LOADER)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark else None
            position = getattr(exc, "position", None)  # a character YAML refuses outright
            if line is None and isinstance(position, int):
                line = text.count("\n", 0, position) + 1
            problem = getattr(exc, "problem", None) or getattr(exc, "reason", None) or str(exc)
            raise self.error(self.path, line, None, f"YAML: {quote(str(problem))}") from None
        if root is None:
            raise self.error(self.path, None, None, f"{what} is empty")
        return root

    def fail(self, node: yaml.Node | None, key: str | None, message: str) -> FileError:
        line = node.start_mark.line + 1 if node is not None else None
        return self.error(self.path, line, key, message)

    def mapping(self, node: yaml.Node, what: str, spec: dict[str, bool]) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, None, f"{what} must be a mapping of keys")
        out: dict[str, yaml.Node] = {}
        for key_node, value in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, None, f"a key in {what} must be plain text")
            key = quote(str(key_node.value))
            if key not in spec:
                close = difflib.get_close_matches(key, spec, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                allowed = ", ".join(spec)
                raise self.fail(key_node, key, f"unknown key in {what}{hint}; allowed: {allowed}")
            if key in out:
                raise self.fail(key_node, key, f"appears twice in {what}")
            out[key] = value
        for key, required in spec.items():
            if required and key not in out:
                raise self.fail(node, key, f"missing in {what}")
        return out

    def text(self, node: yaml.Node, key: str, *, allow_empty: bool = False) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null":
            if allow_empty and isinstance(node, yaml.ScalarNode):
                return ""
            raise self.fail(node, key, "must be a text value")
        if len(str(node.value)) > 10_000:
            raise self.fail(node, key, "is far too long for a value of this file")
        value = " ".join(str(node.value).split())
        if not value and not allow_empty:
            raise self.fail(node, key, "must not be empty")
        return value

    def integer(self, node: yaml.Node, key: str, low: int, high: int) -> int:
        raw = self.text(node, key)
        try:
            value = int(raw)
        except ValueError:
            raise self.fail(node, key, f"must be a whole number, not '{raw}'") from None
        if not low <= value <= high:
            raise self.fail(node, key, f"must be between {low} and {high}, not {value}")
        return value

    def boolean(self, node: yaml.Node, key: str) -> bool:
        raw = self.text(node, key).lower()
        if raw in ("true", "yes", "ya"):
            return True
        if raw in ("false", "no", "tidak"):
            return False
        raise self.fail(node, key, f"must be true or false, not '{raw}'")

    def texts(self, node: yaml.Node, key: str) -> list[tuple[str, yaml.Node]]:
        """A list of texts; a single text is a list of one."""
        if isinstance(node, yaml.ScalarNode):
            return [(self.text(node, key), node)]
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, key, "must be a text or a list of texts")
        return [(self.text(item, key), item) for item in node.value]

    def sequence(self, node: yaml.Node, key: str, *, allow_empty: bool = False) -> list[yaml.Node]:
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
            items: list[yaml.Node] = []
        elif isinstance(node, yaml.SequenceNode):
            items = list(node.value)
        else:
            raise self.fail(node, key, "must be a list")
        if not items and not allow_empty:
            raise self.fail(node, key, "must not be empty")
        return items
