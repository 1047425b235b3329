"""A memo kept for the next night is only worth keeping if the next process recognises it."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys

from tests.helpers import REPO
from zi_audit.rules.loader import load_rules
from zi_audit.rules.model import bundled_rules_path
from zi_audit.state.fingerprint import canonical, fingerprint

PRINT = (
    "from zi_audit.rules.loader import load_rules\n"
    "from zi_audit.rules.model import bundled_rules_path\n"
    "from zi_audit.state.fingerprint import fingerprint\n"
    "print(fingerprint(load_rules(bundled_rules_path())))\n"
)


def test_the_fingerprint_is_the_same_in_every_process() -> None:
    prints = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO / "src")}
        out = subprocess.run(
            [sys.executable, "-c", PRINT], env=env, capture_output=True, text=True, check=True
        )
        prints.add(out.stdout.strip())
    assert len(prints) == 1, prints


def test_an_ignore_file_is_part_of_it() -> None:
    from zi_audit.rules.loader import load_rules
    from zi_audit.rules.model import bundled_rules_path
    from zi_audit.state.fingerprint import fingerprint

    rules = load_rules(bundled_rules_path())
    assert fingerprint(rules) == fingerprint(rules)
    assert fingerprint(rules, "*.tmp") != fingerprint(rules)


def test_the_plan_is_written_out_once_and_whole() -> None:
    """The rule set's indicators and areas are derived from its components: written out
    with them only (the plan was written out three times, 23 ms a run), and a change to
    any indicator still moves the fingerprint."""
    rules = load_rules(bundled_rules_path())
    text = canonical(rules)
    assert text.count("Indicator(") == len(rules.indicators)
    assert text.count("Area(") == len(rules.areas)
    ind = rules.components[-1].areas[-1].indicators[-1]
    changed = ind._replace(action=ind.action + " (uji)")
    area = rules.components[-1].areas[-1]._replace(indicators=(changed,))
    component = rules.components[-1]._replace(areas=(area,))
    other = dataclasses.replace(rules, components=(*rules.components[:-1], component))
    assert fingerprint(other) != fingerprint(rules)
