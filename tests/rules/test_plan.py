"""The bundled rule file against the seed decree, and the loader's refusals."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import REPO, SEED, run_cli
from zi_audit.core.errors import RuleError
from zi_audit.rules.loader import load_rules, parse_rules
from zi_audit.rules.model import RuleSet, bundled_rules_path
from zi_audit.rules.periods import parse_window
from zi_audit.util.months import MONTH_BY_NAME

OCR = {"Agusttls": "Agustus", "AgustUS": "Agustus", "DeRember": "Desember"}


def seed_windows() -> list[str]:
    """The TARGET WAKTU column of the seed's table, one entry per indicator row."""
    rows = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) < 2:
            continue
        last = fields[-1].strip()
        for wrong, right in OCR.items():
            last = last.replace(wrong, right)
        words = re.findall(r"[A-Za-z]+", last)
        if last == "-" or (words and all(w.lower() in MONTH_BY_NAME or w == "dan" for w in words)):
            rows.append(last)
    return rows


def test_bundled_rules_shape(rules: RuleSet) -> None:
    assert len(rules.components) == 6
    assert len(rules.areas) == 25
    assert len(rules.indicators) == 87
    ids = [i.id for i in rules.indicators]
    assert ids[0] == "1.1.1" and ids[-1] == "6.5.4"
    assert rules.indicator("3.6.1").text.startswith("Data informasi kepegawaian")
    assert [a.id for a in rules.components[2].areas] == ["3.1", "3.2", "3.3", "3.4", "3.5", "3.6"]
    assert not rules.indicator("6.3.1").planned
    assert [i.id for i in rules.indicators if not i.planned] == ["6.3.1"]
    # The seed's duplicated row under 6.v is kept.
    assert rules.indicator("6.5.2").text == rules.indicator("6.5.3").text


def test_bundled_rules_follow_the_seed_windows(rules: RuleSet) -> None:
    windows = seed_windows()
    assert len(windows) == 87
    for ind, text in zip(rules.indicators, windows, strict=True):
        expected = parse_window(text, 2025)
        assert ind.window == expected or (
            ind.window and expected and ind.window.parts == expected.parts
        ), ind.id


def test_evidence_items_split_and_recurring(rules: RuleSet) -> None:
    names = [e.name for e in rules.indicator("1.4.4").evidence]
    assert names[0] == "LHKPN dan LHKASN" and names[1].startswith("Pakta Integritas")
    assert len(rules.indicator("1.3.2").evidence) == 5
    assert rules.indicator("2.2.2").evidence[0].every == ("month",)
    assert rules.indicator("1.3.2").evidence[0].every == ("semester", "quarter")
    oct_dec = rules.indicator("6.3.3")
    assert oct_dec.window is not None and len(oct_dec.window.parts) == 2
    assert rules.indicator("1.1.1").evidence[0].year_bound


def test_packaged_rules_are_the_repository_rules() -> None:
    assert bundled_rules_path().read_bytes() == (REPO / "rules" / "bukti_fisik.yaml").read_bytes()


GOOD = """\
version: 1
plan:
  title: Uji
  year: 2025
components:
  - id: "1"
    name: Manajemen Perubahan
    areas:
      - id: "1.1"
        name: Penyusunan Tim Kerja
        indicators:
          - id: "1.1.1"
            text: Unit telah membentuk tim
            window: Agustus
            evidence:
              - name: SK Tim
                patterns: ["sk tim*"]
"""


def test_minimal_rule_file_loads() -> None:
    rules = parse_rules(GOOD, "good.yaml")
    assert rules.indicators[0].evidence[0].patterns == ("sk tim*",)


@pytest.mark.parametrize(
    ("change", "line", "key", "words"),
    [
        (("patterns:", "paterns:"), 17, "paterns", "did you mean 'patterns'"),
        (('- id: "1.1.1"', '- id: "1.1"'), 12, "id", "duplicate id"),
        (('- id: "1.1.1"', '- id: "1.1.2"'), 12, "id", "expected '1.1.1'"),
        (("window: Agustus", "window: Agustos"), 14, "window", "'Agustos' is not a month"),
        (("window: Agustus", "window: Desember-Agustus"), 14, "window", "ends before it starts"),
        (('["sk tim*"]', '["sk/**/tim"]'), 17, "patterns", "bad pattern"),
        (('["sk tim*"]', '["*"]'), 17, "patterns", "every file"),
        (("  year: 2025", "  year: duaribu"), 4, "year", "whole number"),
        (("  year: 2025", "  year: 2025\n  timezone: WIB"), 5, "timezone", "not a time zone"),
        (("            text: Unit telah membentuk tim\n", ""), 12, "text", "missing"),
    ],
)
def test_rule_errors_name_file_line_and_key(
    change: tuple[str, str], line: int, key: str, words: str
) -> None:
    text = GOOD.replace(*change)
    assert text != GOOD
    with pytest.raises(RuleError) as info:
        parse_rules(text, "rules.yaml")
    err = info.value
    assert (err.path, err.line, err.key) == ("rules.yaml", line, key)
    assert words in str(err)
    assert str(err).startswith(f"rules.yaml:{line}: '{key}'")


def test_yaml_syntax_error_names_the_line() -> None:
    with pytest.raises(RuleError) as info:
        parse_rules(GOOD.replace("name: SK Tim", "name: [SK Tim"), "rules.yaml")
    assert info.value.line is not None and info.value.line >= 17
    assert "YAML" in str(info.value)


def test_unknown_type_and_recurrence() -> None:
    bad_type = GOOD.replace(
        'patterns: ["sk tim*"]', 'patterns: ["sk tim*"]\n                types: [p.d.f]'
    )
    with pytest.raises(RuleError, match="types"):
        parse_rules(bad_type, "r.yaml")
    bad_every = GOOD.replace(
        'patterns: ["sk tim*"]', 'patterns: ["sk tim*"]\n                every: weekly'
    )
    with pytest.raises(RuleError, match="'weekly' is not one of"):
        parse_rules(bad_every, "r.yaml")


def test_missing_and_unreadable_rule_files(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match="cannot read"):
        load_rules(tmp_path / "nope.yaml")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(GOOD.replace("Uji", "Uji\xe9").encode("latin-1"))
    with pytest.raises(RuleError, match="not UTF-8") as info:
        load_rules(latin)
    assert info.value.line == 3
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    with pytest.raises(RuleError, match="empty"):
        load_rules(empty)


def test_cli_refuses_a_broken_rule_file_with_exit_2(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(GOOD.replace("patterns:", "paterns:"))
    (tmp_path / "share").mkdir()
    code, out, err = run_cli("scan", str(tmp_path / "share"), "--rules", str(rules))
    assert code == 2
    assert out == ""
    assert f"{rules}:17: 'paterns'" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("value", "words"),
    [("1.i.z", "not a row of the LKE"), ("reform 1.i.a.1", "Jumlah row")],
)
def test_a_bad_lke_link_names_file_line_and_key(value: str, words: str) -> None:
    text = GOOD.replace(
        "            window: Agustus", f'            lke: "{value}"\n            window: Agustus'
    )
    with pytest.raises(RuleError) as caught:
        parse_rules(text, "plan.yaml")
    assert caught.value.line == 14 and caught.value.key == "lke" and words in str(caught.value)
    assert (
        parse_rules(
            GOOD.replace(
                "            window: Agustus",
                '            lke: "1.i.a"\n            window: Agustus',
            )
        )
        .indicators[0]
        .lke
        == "pemenuhan:1.i.a"
    )
