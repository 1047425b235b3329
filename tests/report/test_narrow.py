"""The report narrowed for one person: their items, their figures, their "Perbaiki dulu"."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.helpers import run_cli
from zi_audit.core.schema import ReportDoc
from zi_audit.report.document import pic_of
from zi_audit.report.narrow import for_component, for_pic
from zi_audit.rules.model import bundled_rules_path


@pytest.fixture
def doc(example_tree: Path, tmp_path: Path) -> ReportDoc:
    """The example tree scanned with the bundled rules, every component's areas given a PIC
    of their own (Pokja 1 … Pokja 6)."""
    text = bundled_rules_path().read_text("utf-8")
    for c in "123456":
        text = re.sub(
            rf'^(      - id: "{c}\.\d+"\n)', rf"\1        pic: Pokja {c}\n", text, flags=re.M
        )
    rules = tmp_path / "rules.yaml"
    rules.write_text(text, "utf-8")
    state = tmp_path / "state"
    code, out, err = run_cli(
        "scan",
        str(example_tree),
        "--rules",
        str(rules),
        "--as-of",
        "2025-11-15",
        "--format",
        "json",
        "--state",
        str(state),
    )
    assert code == 0, err
    report: ReportDoc = json.loads(out)
    return report


def _keys(part: ReportDoc) -> set[str]:
    return {ev["key"] for ind in part["indicators"] for ev in ind["evidence"]}


def test_a_pic_sees_only_their_own_gaps_first(doc: ReportDoc) -> None:
    pics = {pic_of(i, ev) for i in doc["indicators"] for ev in i["evidence"]} - {None}
    fixes = {f["key"] for f in doc["lke"]["fix_first"]}
    pic = next(p for p in sorted(pics, key=str) if _keys(for_pic(doc, str(p))) & fixes)
    part = for_pic(doc, str(pic))
    mine = _keys(part)
    assert part["lke"]["fix_first"], "the PIC has gaps on LKE rows"
    assert {f["key"] for f in part["lke"]["fix_first"]} == fixes & mine
    assert len(part["lke"]["fix_first"]) < len(doc["lke"]["fix_first"])
    assert part["lke"]["total"] == doc["lke"]["total"]  # the score stays the unit's
    assert part["summary"]["planned"] == len(part["indicators"])


def test_a_component_owner_sees_their_component(doc: ReportDoc) -> None:
    part = for_component(doc, "1")
    assert {i["component"] for i in part["indicators"]} == {"1"}
    assert [c["id"] for c in part["components"]] == ["1"]
    assert all(f["indicator"].startswith("1.") for f in part["lke"]["fix_first"])
    assert all(d["indicator"].startswith("1.") for d in part["due_soon"])
