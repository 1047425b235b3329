"""A pattern's `search` (rules/patterns.py) answers as its regex does, and tells a text
that lacks one of its words without compiling the regex."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import REPO
from zi_audit.lke.rulefile import lke_rules_yaml
from zi_audit.rules.loader import load_rules, parse_rules
from zi_audit.rules.model import bundled_rules_path
from zi_audit.rules.patterns import Pattern, compile_pattern
from zi_audit.util.textnorm import fold

TREES = REPO.parent / "shared" / "realdata" / "trees"


def _patterns() -> list[Pattern]:
    rules = [load_rules(bundled_rules_path()), parse_rules(lke_rules_yaml(2025), "lke-2021")]
    texts = {
        t for r in rules for e in r.evidence() for t in (*e.patterns, *e.in_folder, *e.exclude)
    }
    texts |= {"Undangan*Rapat", "notulen/", "SK Tim/Kerja*", "*"}
    return [compile_pattern(t) for t in sorted(texts)]


def _texts(example_tree: Path) -> list[str]:
    paths = [p.relative_to(example_tree).as_posix() for p in example_tree.rglob("*")]
    if TREES.is_dir():  # other units' real names, read in place (CI has them)
        paths += [p.relative_to(TREES).as_posix() for p in TREES.rglob("*")]
    paths += ["IMG_00042.jpg", "draft 7 (1).docx", "Notulen Rapat 12-3 2025-10-01.pdf"]
    folded = [fold(p) for p in paths]
    return list(dict.fromkeys([*folded, *(p.rpartition("/")[2] for p in folded)]))


def test_search_answers_as_the_regex_does(example_tree: Path) -> None:
    texts = _texts(example_tree)
    patterns = _patterns()
    assert len(patterns) > 300 and len(texts) > 100
    found = 0
    for p in patterns:
        for text in texts:
            assert p.search(text) == (p.regex.search(text) is not None), (p.text, text)
            found += p.search(text)
    assert found > 100  # and it does match


def test_a_text_without_one_of_its_words_compiles_nothing() -> None:
    p = compile_pattern("Undangan*Rapat Koordinasi")
    assert p.needs == ("undangan", "rapat", "koordinasi")
    assert not p.search("undangan rapat pleno.pdf")
    assert "regex" not in p.__dict__  # never compiled
    assert p.search("undangan rapat koordinasi 2025.pdf")
