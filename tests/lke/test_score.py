"""The LKE score, computed by hand for small plans and matched to 2 decimals.

Sub-area = weight x mean of its scored rows (docs/lke.md). A row's answer is the highest
of its scale at or under the share of its evidence items that are complete.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import run_cli
from zi_audit.core.schema import IndicatorDoc, ItemDoc
from zi_audit.lke.answers import Hasil
from zi_audit.lke.model import load_lke
from zi_audit.lke.score import answer_for, score
from zi_audit.rules.model import RuleSet


def ind(ident: str, lke: str | None, *statuses: str) -> IndicatorDoc:
    items: list[ItemDoc] = [
        {
            "key": f"{ident}/{n}",
            "name": f"bukti {n}",
            "status": s,
            "files": [],
            "due": {"start": "2025-08-01", "end": "2025-08-31"},
            "deadline": "2025-08-31",
            "expected": {"folder": "", "patterns": [], "in_folder": [], "types": []},
        }
        for n, s in enumerate(statuses, 1)
    ]
    doc: IndicatorDoc = {
        "id": ident,
        "component": ident[0],
        "area": ident[:3],
        "text": "",
        "action": "",
        "status": statuses[0] if statuses else "not_planned",
        "due": None,
        "window": None,
        "evidence": items,
    }
    if lke:
        doc["lke"] = f"pemenuhan:{lke}"
    return doc


@pytest.mark.parametrize(
    ("answer_type", "share", "expected"),
    [
        ("yesno", 1.0, ("Ya", 1.0)),
        ("yesno", 0.99, ("Tidak", 0.0)),
        ("abc", 0.5, ("B", 0.5)),
        ("abc", 0.49, ("C", 0.0)),
        ("abcd", 2 / 3, ("C", 0.33)),  # 0.667 < B's 0.67: rounded down to an answer that exists
        ("abcd", 0.7, ("B", 0.67)),
        ("abcde", 0.8, ("B", 0.75)),
        ("abcde", 0.0, ("E", 0.0)),
    ],
)
def test_answer_scales(answer_type: str, share: float, expected: tuple[str, float]) -> None:
    assert answer_for(answer_type, share) == expected


def sub(doc: dict, area: str, part: str = "pemenuhan") -> float:
    return next(a for a in doc["areas"] if a["area"] == area)[part]["value"]


def test_small_plan_by_hand() -> None:
    lke = load_lke()
    plan = [
        ind("1.1.1", "1.i.a", "present"),  # yesno, all there: Ya = 1
        ind("1.1.2", "1.i.b", "present", "missing"),  # abc, half: B = 0.5
        ind("1.3.1", "1.iii.a", "late", "late", "invalid"),  # abcd, 2/3: C = 0.33
        ind("1.3.2", "1.iii.b", "invalid"),  # abcd, only a broken file: D = 0
        ind("1.3.3", "1.iii.c", "outdated", "outdated"),  # abcd, last year's only: D = 0
        ind("2.1.2", "2.i.b", "present", "present", "present", "pending"),  # abcde 3/4: B
        # 2.i.a and 2.i.c: no plan row covers them: 0, and listed
    ]
    doc = score(plan, lke)
    # area 1: sub-area i 0.50 x (1 + 0.5)/2; iii 1.00 x (0.33 + 0 + 0)/3; ii and iv nothing
    assert sub(doc, "1") == pytest.approx(0.5 * 1.5 / 2 + 1.0 * 0.33 / 3, abs=0.005)  # 0.485
    # area 2: sub-area i 1.00 x (0 + 0.75 + 0)/3
    assert round(sub(doc, "2"), 2) == 0.25
    assert doc["pemenuhan"]["value"] == pytest.approx(0.485 + 0.25, abs=0.005)
    assert "pemenuhan:2.i.a" in doc["uncovered"] and "pemenuhan:2.i.c" in doc["uncovered"]
    # if every pending item arrives: 2.i.b becomes A (1.0): area 2 = 1/3
    assert (
        round(next(a for a in doc["areas"] if a["area"] == "2")["pemenuhan"]["ceiling"], 2) == 0.33
    )
    rows = {r["key"]: r for r in doc["rows"]}
    assert (rows["pemenuhan:1.iii.a"]["answer"], rows["pemenuhan:1.iii.b"]["answer"]) == ("C", "D")
    assert rows["pemenuhan:1.iii.c"]["answer"] == "D"
    # what fixing each gap gains: 1.1.2's missing item takes 1.i.b from B to A: 0.25 x 0.5
    gains = {f["key"]: f["points"] for f in doc["fix_first"]}
    assert round(gains["1.1.2/2"], 4) == 0.125
    assert doc["fix_first"][0]["key"] == "1.3.2/1"  # a lone broken file: D to A, 1/3 point
    # the invalid item of 1.3.1 takes 1.iii.a from C (0.33) to A: (1 - 0.33) / 3
    assert round(gains["1.3.1/3"], 2) == round(0.67 / 3, 2)


def test_fix_first_counts_a_row_as_the_score_does() -> None:
    """Another unit's item (not_applicable) is not part of the row: fixing the one missing
    item takes the yes/no row 1.i.a from Tidak to Ya, 0.5 / 2 rows = 0.25 points."""
    doc = score([ind("1.1.1", "1.i.a", "missing", "not_applicable")], load_lke())
    assert [(f["key"], f["points"]) for f in doc["fix_first"]] == [("1.1.1/1", 0.25)]
    row = next(r for r in doc["rows"] if r["key"] == "pemenuhan:1.i.a")
    assert (row["answer"], row["ceiling_answer"]) == ("Tidak", "Tidak")


def test_without_survey_values_there_is_no_total() -> None:
    doc = score([ind("1.1.1", "1.i.a", "present")], load_lke())
    assert doc["total"] is None and doc["hasil"]["missing"] == ["ipak", "capaian_kinerja", "ipkp"]
    assert doc["readiness"]["wbk"]["reached"] is False  # Pengungkit alone is far short


def test_hasil_and_readiness_by_hand() -> None:
    doc = score([], load_lke(), Hasil(ipak=3.6, ipkp=3.2, kinerja="C"))
    h = doc["hasil"]
    assert (round(h["ipak"], 2), round(h["kinerja"], 2), round(h["prima"], 2)) == (15.75, 2.5, 14.0)
    assert round(h["value"], 2) == 32.25 and doc["total"] == 32.25
    wbk = {c["name"]: c for c in doc["readiness"]["wbk"]["conditions"] if c["area"] is None}
    # exactly the WBK minimums: each condition holds
    assert all(wbk[k]["ok"] for k in ("bersih", "ipak", "kinerja", "prima"))
    wbbm = {c["name"]: c for c in doc["readiness"]["wbbm"]["conditions"] if c["area"] is None}
    assert (wbbm["bersih"]["short"], wbbm["kinerja"]["short"], wbbm["prima"]["short"]) == (
        1.25,
        1.25,
        1.75,
    )
    assert doc["readiness"]["wbk"]["reached"] is False  # no Pengungkit at all


def test_every_item_present_scores_30_less_what_the_plan_does_not_cover(
    rules: RuleSet,
) -> None:
    """The bundled plan leaves LKE 2.ii.c uncovered (sub-area 2.ii: 2.00 over 4 rows) and
    lists no evidence for 6.iii.a (6.iii: 1.00 over 3 rows); rules check names both."""
    plan = [
        ind(i.id, i.lke.split(":")[1] if i.lke else None, *["present"] * len(i.evidence))
        for i in rules.indicators
    ]
    doc = score(plan, load_lke())
    assert round(doc["pemenuhan"]["value"], 2) == round(30 - 2.00 / 4 - 1.00 / 3, 2)
    code, out, _ = run_cli("rules", "check", "--lang", "en")
    assert code == 0
    assert "does not cover LKE 2.ii.c" in out and "no evidence for LKE 6.iii.a" in out
    assert "LKE 6.v.b is claimed by 6.5.2, 6.5.3" in out


def test_an_empty_init_tree_scores_0(tmp_path: Path) -> None:
    root = tmp_path / "share"
    assert run_cli("init", str(root))[0] == 0
    code, out, err = run_cli(
        "scan",
        str(root),
        "--as-of",
        "2025-11-15",
        "--format",
        "json",
        "--state",
        str(tmp_path / "state"),
    )
    assert code == 0, err
    lke = json.loads(out)["lke"]
    assert lke["pemenuhan"]["value"] == 0 and lke["pengungkit"]["value"] == 0
    assert lke["pemenuhan"]["ceiling"] > 20  # everything still pending could raise it
