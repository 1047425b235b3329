"""A Kanwil's share: one folder per unit, each of its own kind, history and Tim ZI."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from tests.helpers import pdf_bytes, run_cli
from tests.helpers.smtp_server import Sink

PLAN = """\
version: 1
plan:
  title: Uji Kanwil
  year: 2025
  unit_kinds: [lapas, rutan]
components:
  - id: "1"
    name: Manajemen Perubahan
    areas:
      - id: "1.1"
        name: Penyusunan Tim Kerja
        indicators:
          - id: "1.1.1"
            lke: "1.i.a"
            text: Tim kerja
            window: Agustus
            evidence:
              - {name: SK Tim, patterns: ["sk tim*"]}
              - {name: Register pembinaan, patterns: ["register pembinaan*"], applies_to: [lapas]}
"""


def _rollup(root: Path, rules: Path, state: Path, *extra: str) -> str:
    """The roll-up of a share scanned unit by unit, as the regional office gets it."""
    args = ("scan", str(root), "--rules", str(rules), "--units", "--as-of", "2025-09-15")
    code, out, err = run_cli(*args, "--state", str(state), *extra)
    assert code == 0, err
    return out


def test_two_units_two_results_two_histories_a_roll_up_and_their_own_mail(
    plain_server: tuple[Sink, int], tmp_path: Path
) -> None:
    sink, port = plain_server
    rules = tmp_path / "rules.yaml"
    rules.write_text(PLAN)
    root = tmp_path / "kanwil"
    (root / "Lapas A").mkdir(parents=True)
    (root / "Rutan B").mkdir(parents=True)
    (root / "Lapas A" / "SK Tim 2025-08-10.pdf").write_bytes(pdf_bytes())
    (root / "Lapas A" / "Register Pembinaan 2025-08-12.pdf").write_bytes(pdf_bytes())
    (root / "Rutan B" / "catatan.txt").write_text("belum ada bukti")
    state = tmp_path / "state"
    config = tmp_path / "zi-audit.yaml"
    config.write_text(
        f"root: {root}\nrules: {rules}\nstate: {state}\n"
        "email:\n  sender: zi@kanwil.go.id\n  recipients: [kanwil@kanwil.go.id]\n"
        f"  smtp: {{host: 127.0.0.1, port: {port}, security: plain}}\n"
        "units:\n"
        "  - {folder: Lapas A, kind: lapas, recipients: [zi@lapas-a.go.id]}\n"
        "  - {folder: Rutan B, kind: rutan, recipients: [zi@rutan-b.go.id]}\n"
    )
    code, out, err = run_cli(
        "scan",
        "--config",
        str(config),
        "--as-of",
        "2025-09-15",
        "--history",
        "--email",
        "--format",
        "json",
    )
    assert code == 0, err
    rollup = {u["folder"]: u for u in json.loads(out)["units"]}
    assert (rollup["Lapas A"]["complete"], rollup["Lapas A"]["planned"]) == (1, 1)
    assert (rollup["Rutan B"]["complete"], rollup["Rutan B"]["missing"]) == (0, 1)
    # units x LKE areas: Area 1 (Manajemen Perubahan) gets 1.i.a's share for Lapas A only
    assert rollup["Lapas A"]["lke_areas"]["1"] > 0 == rollup["Rutan B"]["lke_areas"]["1"]
    # Rutan B is not asked for a register (lapas only), and never gets Lapas A's SK
    rutan = json.loads((state / "units" / "Rutan-B" / "last-report.json").read_text())
    items = {e["name"]: e for i in rutan["indicators"] for e in i["evidence"]}
    assert items["Register pembinaan"]["status"] == "not_applicable"
    assert items["SK Tim"]["files"] == [] and items["SK Tim"]["status"] == "missing"
    for unit in ("Lapas-A", "Rutan-B"):
        assert (state / "units" / unit / "history.sqlite3").exists()
    to = sorted(rcpts[0] for _, rcpts, _ in sink.received)
    assert to == ["zi@lapas-a.go.id", "zi@rutan-b.go.id"]
    out = _rollup(root, rules, tmp_path / "s2", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff")), delimiter=";"))
    assert [r[1] for r in rows[1:]] == ["Lapas A", "Rutan B"]
    area = rows[0].index("LKE 1")
    assert rows[1][area].endswith("%") and rows[2][area] == "0%"


def _two_units(tmp_path: Path) -> tuple[Path, Path]:
    """A Kanwil share: Lapas A with its SK, Rutan B with nothing yet; and the plan."""
    rules = tmp_path / "rules.yaml"
    rules.write_text(PLAN)
    root = tmp_path / "kanwil"
    (root / "Lapas A").mkdir(parents=True)
    (root / "Lapas A" / "SK Tim 2025-08-10.pdf").write_bytes(pdf_bytes())
    (root / "Rutan B").mkdir()
    (root / "Rutan B" / "catatan.txt").write_text("belum ada bukti")
    return root, rules


def test_the_roll_up_speaks_the_chosen_language(tmp_path: Path) -> None:
    """Headers, statuses and decimals in Indonesian by default, in English with --lang en;
    the JSON keeps codes, not words."""
    root, rules = _two_units(tmp_path)

    text = _rollup(root, rules, tmp_path / "s")
    assert "selesai" in text and "kurang" in text and "complete" not in text
    assert "(kurang)" in text  # Rutan B's first gap, its status in words
    assert re.search(r"\b\d+,\d\d\b", text) and not re.search(r"\b\d+\.\d\d\b", text)
    english = _rollup(root, rules, tmp_path / "s", "--lang", "en")
    assert "complete" in english and "(missing)" in english and "selesai" not in english
    worst = json.loads(_rollup(root, rules, tmp_path / "s", "--format", "json"))["units"][1][
        "worst"
    ][0]
    assert worst == {"indicator": "1.1.1", "name": "SK Tim", "status": "missing"}


def test_the_roll_up_page_is_styled_and_report_shows_it_again(tmp_path: Path) -> None:
    """#21.5: the roll-up page is a styled table (LKE area cells coloured against 60%/75%),
    and `report --units` shows the last roll-up again in any format, without scanning."""
    root, rules = _two_units(tmp_path)
    state = tmp_path / "s"
    page = _rollup(root, rules, state, "--format", "html")
    assert "<style>" in page and '<td class="low">0%</td>' in page
    assert 'class="name">Lapas A</td>' in page and "15 September 2025" in page
    assert (state / "last-rollup.json").stat().st_mode & 0o077 == 0
    again = run_cli("report", "--state", str(state), "--units", "--format", "html")
    assert again == (0, page, "")
    code, text, _ = run_cli("report", "--state", str(state), "--units")
    assert code == 0 and text == _rollup(root, rules, state)
    code, _, err = run_cli("report", "--state", str(tmp_path / "kosong"), "--units")
    assert code == 2 and "scan --units" in err
