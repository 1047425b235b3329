"""The command line and the JSON contract (docs/json-report.md), on the bundled example tree."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.helpers import REPO, broken, run_cli, scan_json, statuses
from zi_audit.cli.main import commands
from zi_audit.core.statuses import STATUSES
from zi_audit.rules.model import RuleSet

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_contract(report: dict, rules: RuleSet) -> None:
    """docs/json-report.md, key by key."""
    assert report["tool"] == "zi-audit"
    assert isinstance(report["version"], str) and report["version"]
    assert isinstance(report["root"], str) and isinstance(report["rules"], str)
    assert ISO.match(report["as_of"])
    summary = report["summary"]
    assert summary["indicators"] == 87
    assert set(summary["by_status"]) == set(STATUSES)
    assert sum(summary["by_status"].values()) == 87
    assert isinstance(report["unmatched_files"], list)
    assert all(isinstance(p, str) for p in report["unmatched_files"])
    inds = report["indicators"]
    assert [i["id"] for i in inds] == [i.id for i in rules.indicators]
    for got, ind in zip(inds, rules.indicators, strict=True):
        assert got["component"] == ind.component and got["area"] == ind.area
        assert got["text"] == ind.text
        assert got["status"] in STATUSES
        if ind.window is None:
            assert got["due"] is None and got["status"] == "not_planned" and got["evidence"] == []
            continue
        assert got["due"] == {
            "start": ind.window.start.isoformat(),
            "end": ind.window.end.isoformat(),
        }
        assert len(got["evidence"]) == len(ind.evidence)
        for ev, rule in zip(got["evidence"], ind.evidence, strict=True):
            assert ev["name"] == rule.name
            assert ev["status"] in STATUSES and ev["status"] != "not_planned"
            recurring = bool(rule.every) or len((rule.window or ind.window).parts) > 1
            assert ("slots" in ev) == recurring
            for slot in ev.get("slots", []):
                assert isinstance(slot["label"], str) and slot["status"] in STATUSES
            for f in ev["files"]:
                assert isinstance(f["path"], str) and "\\" not in f["path"]
                assert ISO.match(f["date"])
                assert f["date_source"] in ("text", "filename", "folder", "content", "mtime")
                assert isinstance(f["valid"], bool) and isinstance(f["problems"], list)


def test_example_tree_json_follows_the_contract(rules: RuleSet, example_tree: Path) -> None:
    report = scan_json(example_tree, "2025-11-15")
    check_contract(report, rules)
    # The example shows every status its plan can give (it uses no applies_to, provided_by
    # or only_if: tests/rules/test_plan_keys.py covers those; every folder of it can be read:
    # tests/app/test_unreadable.py covers that).
    unshown = ("provided", "not_required", "not_applicable", "unreadable")
    plain = [s for s in STATUSES if s not in unshown]
    assert all(report["summary"]["by_status"][s] for s in plain), report["summary"]
    assert sorted(report["unmatched_files"]) == [
        "Catatan pribadi.txt",
        "Foto Kegiatan 2025-09-10.jpg",
    ]


ROMAN = ["I", "II", "III", "IV", "V", "VI"]


def to_roman_layout(src: Path, dest: Path) -> None:
    """`1. X/1.3 Y/1.3.2 Z/` -> `I. X/C. Y/2. Z/`: the same files, the other numbering."""
    for path in src.rglob("*"):
        if not path.is_file():
            continue
        parts = list(path.relative_to(src).parts)
        for n, part in enumerate(parts[:-1]):
            if m := re.match(r"^(\d)\. (.*)$", part):
                parts[n] = f"{ROMAN[int(m[1]) - 1]}. {m[2].upper()}"
            elif m := re.match(r"^\d\.(\d) (.*)$", part):
                parts[n] = f"{chr(ord('A') + int(m[1]) - 1)}. {m[2]}"
            elif m := re.match(r"^\d\.\d\.(\d) (.*)$", part):
                parts[n] = f"{m[1]}. {m[2]}"
        target = dest.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)


def test_arabic_and_roman_layouts_give_the_same_statuses(
    example_tree: Path, tmp_path: Path
) -> None:
    roman = tmp_path / "roman"
    to_roman_layout(example_tree, roman)
    assert (roman / "I. MANAJEMEN PERUBAHAN").is_dir()
    arabic_report, roman_report = scan_json(example_tree), scan_json(roman)

    def items(report: dict) -> dict[str, str]:
        return {e["key"]: e["status"] for i in report["indicators"] for e in i["evidence"]}

    assert statuses(roman_report) == statuses(arabic_report)
    assert items(roman_report) == items(arabic_report)


def test_text_report_in_both_languages(example_tree: Path) -> None:
    code, out, _ = run_cli("scan", str(example_tree), "--as-of", "2025-11-15")
    assert code == 0
    assert "Per tanggal: 15 November 2025" in out
    assert "Kekurangan, urut tenggat" in out
    assert "USANG" in out and "KURANG" in out
    assert "folder: 5. Penguatan Pengawasan/5.5 Penanganan Benturan Kepentingan/" in out
    # dated by its own words ("pada tanggal 5 Agustus 2024"), not its CreationDate (October)
    assert "SK Tim Kerja ZI 2024.pdf — 5 Agustus 2024 (kata-kata dokumen)" in out
    assert "Maklumat Pelayanan 2025-09-01.pdf — terkunci kata sandi" in out
    code, out, _ = run_cli("scan", str(example_tree), "--as-of", "2025-11-15", "--lang", "en")
    assert code == 0
    assert "As of: 15 November 2025" in out and "OUTDATED" in out and "MISSING" in out
    assert "Kekurangan" not in out


def test_all_lists_every_pending_item(example_tree: Path) -> None:
    _, short, _ = run_cli("scan", str(example_tree), "--as-of", "2025-11-15")
    _, full, _ = run_cli("scan", str(example_tree), "--as-of", "2025-11-15", "--all")
    assert "--all" in short
    assert full.count("BELUM WAKTUNYA") > short.count("BELUM WAKTUNYA")


def test_fail_on(example_tree: Path) -> None:
    code, _, _ = run_cli(
        "scan", str(example_tree), "--as-of", "2025-11-15", "--fail-on", "missing,invalid"
    )
    assert code == 1
    code, _, _ = run_cli(
        "scan", str(example_tree), "--as-of", "2025-08-01", "--fail-on", "invalid,outdated,late"
    )
    assert code == 1  # an empty file and last year's decree are there from the start
    code, _, _ = run_cli("scan", str(example_tree), "--as-of", "2025-11-15")
    assert code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["scan", "{tree}", "--as-of", "15-11-2025"], "gunakan YYYY-MM-DD"),
        (["scan", "{tree}", "--fail-on", "hilang"], "tidak dikenal"),
        (["scan", "{tree}", "--lang", "en", "--as-of", "kemarin"], "invalid date 'kemarin'"),
        (
            ["scan", "{tree}", "--ignore-file", "{tree}/tidak-ada.txt"],
            "berkas abaikan tidak ditemukan",
        ),
    ],
)
def test_user_mistakes_exit_2_without_traceback(
    example_tree: Path, args: list[str], message: str
) -> None:
    code, out, err = run_cli(*(a.format(tree=example_tree) for a in args))
    assert code == 2
    assert message in err
    assert "Traceback" not in err and out == ""


def test_every_command_is_documented() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name, command in commands().items():
        assert command.help, name
        assert f"zi-audit {name}" in readme, f"README does not document `zi-audit {name}`"


def test_due_soon_gets_louder_at_7_days_and_at_1(example_tree: Path) -> None:
    month = scan_json(example_tree, "2025-12-05")["due_soon"]
    week = scan_json(example_tree, "2025-12-26")["due_soon"]
    day = scan_json(example_tree, "2025-12-30")["due_soon"]
    assert {d["level"] for d in month} == {30} and all(d["days_left"] == 26 for d in month)
    assert {d["level"] for d in week} == {7} and {d["level"] for d in day} == {1}
    assert len(day) > 50  # most of the plan ends on 31 December
    _, text, _ = run_cli("scan", str(example_tree), "--as-of", "2025-12-30")
    assert "BELUM WAKTUNYA" in text


def test_paths_that_cannot_be_written_end_in_a_message(example_tree: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "berkas.txt"
    blocker.write_text("bukan folder")
    for args in (
        ["init", str(blocker / "share")],
        [
            "scan",
            str(example_tree),
            "--as-of",
            "2025-11-15",
            "--output",
            str(blocker / "laporan.html"),
        ],
        ["scan", str(example_tree), "--as-of", "2025-11-15", "--log-file", str(blocker / "zi.log")],
    ):
        code, _, err = run_cli(*args)
        assert code == 2, args
        assert err.startswith("zi-audit: ") and str(blocker) in err
        assert "Traceback" not in err


def test_one_language_per_output(tmp_path: Path) -> None:
    """rules show ended in English, the HTML said 'terkunci kata sandi (needs a password
    to open)', the text said 'jenis: pdf, image, word', and --fail-on kurang was refused."""
    code, out, _ = run_cli("rules", "show", "2.2.2")
    assert code == 0 and "berulang setiap bulan" in out
    for english in ("every ", "exclude", "year-bound", "types:"):
        assert english not in out, english
    assert "every month" in run_cli("rules", "show", "2.2.2", "--lang", "en")[1]

    root = tmp_path / "share"
    folder = root / "1. Manajemen Perubahan/1.4 Budaya Kerja/1.4.2 Agen Perubahan"
    folder.mkdir(parents=True)
    (folder / "SK Tim Agen Perubahan 2025-09-10.pdf").write_bytes(broken.encrypted_pdf("rahasia"))
    state = ("--state", str(tmp_path / "state"))
    code, text, _ = run_cli("scan", str(root), "--as-of", "2025-11-15", *state)
    assert code == 0 and "jenis: pdf, gambar, Word, Excel, presentasi" in text
    assert "image" not in text and "password" not in text
    html = run_cli("report", *state, "--format", "html")[1]
    assert "terkunci kata sandi" in html and "password" not in html
    code, _, err = run_cli(
        "scan", str(root), "--as-of", "2025-11-15", "--fail-on", "kurang", *state
    )
    assert code == 1, err


def test_report_without_a_format_prints_text_as_scan_does(
    example_tree: Path, tmp_path: Path
) -> None:
    """`report` with no --format printed HTML (#21 point 12)."""
    state = tmp_path / "state"
    scanned = run_cli("scan", str(example_tree), "--as-of", "2025-11-15", "--state", str(state))
    code, text, err = run_cli("report", "--state", str(state))
    assert code == 0, err
    assert "<html" not in text and text == scanned[1]
