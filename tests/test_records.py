"""An immutable record is a NamedTuple, not a frozen dataclass (CONTRIBUTING.md).

Every command imports the records it passes along before it does anything: a frozen
dataclass cost 0.3-0.9 ms to make at import (six methods generated and compiled each
time), a NamedTuple about 0.06 ms. Forty of them were 15 ms of each scan's start-up,
some 3% of a changed night on the 100,000-file share. A frozen dataclass stays where it
needs what only a dataclass gives.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "zi_audit"

# Told apart from lists by `isinstance(value, Sequence)` (util/yamlwrite.py): a tuple
# would be written as a list.
SEQUENCE_SENSITIVE = {"util/yamlwrite.py": {"Note", "Commented"}}


def _frozen(node: ast.ClassDef) -> bool:
    for deco in node.decorator_list:
        if isinstance(deco, ast.Call) and ast.unparse(deco.func) == "dataclass":
            return any(k.arg == "frozen" and ast.unparse(k.value) == "True" for k in deco.keywords)
    return False


def _needs_a_dataclass(node: ast.ClassDef) -> bool:
    """field() (a default made per instance, a field left out of equality), a
    __post_init__ or a cached property: what a NamedTuple cannot hold."""
    text = ast.unparse(node)
    return "field(" in text or "__post_init__" in text or "cached_property" in text


def test_frozen_dataclasses_are_only_where_a_namedtuple_cannot_serve() -> None:
    needless = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        allowed = SEQUENCE_SENSITIVE.get(rel, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ClassDef) or not _frozen(node):
                continue
            if node.name not in allowed and not _needs_a_dataclass(node):
                needless.append(f"{rel}: {node.name}")
    assert not needless, "frozen dataclasses that could be NamedTuples: " + ", ".join(needless)


def test_a_scan_makes_few_dataclasses_when_it_starts() -> None:
    """Counted, not timed: the dataclasses the scan command's imports make."""
    probe = (
        "import sys\n"
        "import zi_audit.cli.main, zi_audit.cli.scan\n"
        "made = sorted({f'{v.__module__}.{v.__qualname__}' for m in list(sys.modules.values())\n"
        "    if m is not None and m.__name__.startswith('zi_audit')\n"
        "    for v in vars(m).values()\n"
        "    if isinstance(v, type) and '__dataclass_fields__' in vars(v)})\n"
        "print(len(made), ' '.join(made))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    count, _, names = out.partition(" ")
    # 19 when written (Config, RuleSet, Report, ContentInspector, FolderRecord, ...): each
    # holds a field(), a __post_init__, a cached property or state it changes. 58 before.
    assert int(count) <= 20, names
