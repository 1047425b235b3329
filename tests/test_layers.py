"""The stages form a stack: a package imports only those below it, never in a circle.

Every import statement counts, the ones inside functions too (a lazy import is still a
dependency a change can break). CONTRIBUTING.md shows the same stack.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "zi_audit"

# Top first. A layer may import any layer below it, never one above. `__init__` is
# zi_audit itself, which holds only the version.
LAYERS: tuple[str, ...] = (
    "__main__",
    "cli",
    "app",
    "deliver",
    "config",
    "pipeline",
    "state",
    "report",
    "evaluate",
    "inspection",
    "match",
    "walk",
    "rules",
    "lke",
    "i18n",
    "util",
    "core",
    "__init__",
)


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(source: str, module: str, is_package: bool) -> Iterator[str]:
    """Every zi_audit module an import statement names, at any depth of the file."""
    here = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name.startswith("zi_audit"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.split(".")[: len(here.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target.startswith("zi_audit"):
                yield target
                yield from (f"{target}.{a.name}" for a in node.names)


def graph(root: Path) -> dict[str, set[str]]:
    """Module -> the zi_audit modules it imports (names that are not modules dropped)."""
    found: dict[str, set[str]] = {}
    for path in root.rglob("*.py"):
        name = module_name(path, root)
        found[name] = set(imports_of(path.read_text("utf-8"), name, path.stem == "__init__"))
    return {m: {d for d in deps if d in found and d != m} for m, deps in found.items()}


def layer_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def upward_imports(g: Mapping[str, set[str]]) -> list[str]:
    rank = {name: i for i, name in enumerate(LAYERS)}
    out = []
    for m, deps in sorted(g.items()):
        for d in sorted(deps):
            a, b = layer_of(m), layer_of(d)
            if a != b and rank[b] <= rank[a]:
                out.append(f"{m} imports {d} ({a} is below {b})")
    return out


def cycles(g: Mapping[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    for start in sorted(g):
        if start in index:
            continue
        work = [(start, iter(sorted(g[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on.add(start)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(g[w]))))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))
    return out


def test_every_package_has_a_layer() -> None:
    names = {layer_of(m) for m in graph(PACKAGE)}
    assert names <= set(LAYERS), f"give these a place in LAYERS: {sorted(names - set(LAYERS))}"


def test_packages_import_only_downward() -> None:
    assert upward_imports(graph(PACKAGE)) == []


def test_no_import_cycle_between_modules() -> None:
    assert cycles(graph(PACKAGE)) == []


def test_a_lazy_upward_import_and_a_cycle_are_caught(tmp_path: Path) -> None:
    """The checks read imports inside functions, and find a circle between two modules."""
    root = tmp_path / "zi_audit"
    for pkg in ("walk", "report"):
        (root / pkg).mkdir(parents=True)
        (root / pkg / "__init__.py").write_text("")
    (root / "__init__.py").write_text("")
    (root / "walk" / "a.py").write_text(
        "def f():\n    from zi_audit.report import b\n    return b\n"
    )
    (root / "report" / "b.py").write_text("from zi_audit.walk import a\n")
    g = graph(root)
    assert "zi_audit.walk.a imports zi_audit.report.b (walk is below report)" in upward_imports(g)
    assert cycles(g) == [["zi_audit.report.b", "zi_audit.walk.a"]]
