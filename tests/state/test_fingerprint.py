"""A memo kept for the next night is only worth keeping if the next process recognises it."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.helpers import REPO

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
