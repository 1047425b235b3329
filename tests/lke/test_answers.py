"""The team's own LKE answers, held against the evidence; bad answers files stop clearly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import run_cli


def scan(root: Path, tmp_path: Path, answers: Path, *extra: str) -> tuple[int, str, str]:
    return run_cli(
        "scan",
        str(root),
        "--as-of",
        "2025-11-15",
        "--state",
        str(tmp_path / "state"),
        "--answers",
        str(answers),
        *extra,
    )


def test_a_claim_without_evidence_is_listed_everywhere(example_tree: Path, tmp_path: Path) -> None:
    answers = tmp_path / "jawaban.yaml"
    answers.write_text(
        'answers:\n  "2.i.a": A\n  "1.iv.b": C\n  "2.ii.c": B\n  "reform 1.i.a": 80%\n'
        '  "reform 1.i.a.1": 12\nsurvey:\n  ipak: 3.7\n'
    )
    code, text, err = scan(example_tree, tmp_path, answers)
    assert code == 0, err
    assert "Klaim tanpa bukti" in text and "LKE 2.i.a: dijawab A, bukti mendukung D (2.1.1)" in text
    assert "LKE 1.iv.b" not in text.split("Klaim tanpa bukti")[1].split("\n\n")[0]  # C: no claim
    html = run_cli("report", "--state", str(tmp_path / "state"), "--format", "html")[1]
    assert "LKE 2.i.a: dijawab A, bukti mendukung D (2.1.1)" in html
    lke = json.loads(run_cli("report", "--state", str(tmp_path / "state"), "--format", "json")[1])[
        "lke"
    ]
    assert [c["id"] for c in lke["claims"]] == ["2.i.a"]
    rows = {r["key"]: r for r in lke["rows"]}
    # a row no plan covers, and a row that needs numbers, take the team's answer
    assert (
        rows["pemenuhan:2.ii.c"]["status"] == "answered"
        and rows["pemenuhan:2.ii.c"]["value"] == 0.5
    )
    assert rows["reform:1.i.a"]["value"] == 0.8
    assert lke["hasil"]["ipak"] == pytest.approx(3.7 / 4 * 17.5)


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        ('answers:\n  "1.i.z": Ya\n', 2, "'1.i.z': is not a row of the LKE"),
        ('answers:\n  "1.i.b": D\n', 2, "'D' is not an answer of this row; one of A, B, C"),
        ('answers:\n  "1.i.b": 3\n', 2, "'3' is not an answer of this row"),
        ('answers:\n  "reform 1.i.a": banyak\n', 2, "must be a percentage"),
        (
            'answers:\n  "1.i.a": Ya\nsurvey:\n  ipkp: 4.2\n',
            4,
            "'ipkp': must be a number from 0 to 4",
        ),
        ('answers:\n  "1.i.a": Ya\n  "1.i.a": Tidak\n', 3, "answered twice"),
    ],
)
def test_a_bad_answers_file_names_file_line_and_what(
    example_tree: Path, tmp_path: Path, content: str, line: int, words: str
) -> None:
    answers = tmp_path / "jawaban.yaml"
    answers.write_text(content)
    code, out, err = scan(example_tree, tmp_path, answers)
    assert code == 2 and out == "" and "Traceback" not in err
    assert f"{answers}:{line}:" in err and words in err
    assert not (tmp_path / "state" / "last-report.json").exists()  # nothing else changed
    assert not (tmp_path / "state" / "history.sqlite3").exists()
    assert not (tmp_path / "state" / "facts.sqlite3").exists()
