"""A memo kept for the next night is only worth keeping if the next process recognises it."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

from tests.helpers import REPO
from zi_audit.rules.loader import load_rules
from zi_audit.rules.model import bundled_rules_path
from zi_audit.state.fingerprint import canonical, fingerprint, package_print

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


def test_the_code_print_moves_with_every_file_of_the_package_but_byte_code(
    tmp_path: Path,
) -> None:
    """A kept report stands only for the code that made it (`package_print`): any module or
    data file changed, added or touched makes another print; compiled byte code does not."""
    package = tmp_path / "zi_audit"
    shutil.copytree(
        REPO / "src" / "zi_audit", package, ignore=shutil.ignore_patterns("__pycache__")
    )
    first = package_print(str(package))
    assert package_print(str(package)) == first
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "seal.cpython-311.pyc").write_bytes(b"compiled")
    assert package_print(str(package)) == first

    module = package / "state" / "seal.py"
    before = module.stat()
    module.write_text(module.read_text() + "# another line\n")
    assert package_print(str(package)) != first
    module.write_text(module.read_text().removesuffix("# another line\n"))
    os.utime(module, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert package_print(str(package)) == first  # as it was

    os.utime(module, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000))  # same size
    assert package_print(str(package)) != first
    os.utime(module, ns=(before.st_atime_ns, before.st_mtime_ns))

    rows = next(package.rglob("*.csv"))  # the LKE's rows shape the report too
    rows.write_bytes(rows.read_bytes() + b"\n")
    assert package_print(str(package)) != first


def test_a_record_is_written_the_same_as_a_dataclass_or_a_namedtuple() -> None:
    """The rules' records became NamedTuples (round 15): the memos kept under the rules'
    fingerprint stayed valid because a record is written by its fields either way."""

    def as_dataclass() -> object:
        @dataclasses.dataclass(frozen=True)
        class Window:
            start: int
            label: str

        return Window(1, "Agustus")

    def as_namedtuple() -> object:
        class Window(NamedTuple):
            start: int
            label: str

        return Window(1, "Agustus")

    written = canonical(as_namedtuple())
    assert written == canonical(as_dataclass()) == "Window(start=1,label='Agustus')"
    assert canonical((1, "Agustus")) == "[1,'Agustus']"  # a plain tuple stays a list
