"""One report document, one set of figures: every output of one scan says the same."""

from __future__ import annotations

import csv
import io
import json
import re
from email import message_from_bytes, policy
from pathlib import Path

from tests.helpers import nightly, run_cli

CONFIG = """state: {state}
email:
  sender: zi-audit@kpu.go.id
  recipients: [tim.zi@kpu.go.id]
  smtp: {{host: 127.0.0.1, port: 2525, security: plain}}
"""


def test_every_output_gives_the_same_complete_count(example_tree: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    config = tmp_path / "zi-audit.yaml"
    config.write_text(CONFIG.format(state=state))
    code, out, err = nightly(example_tree, state, "--config", str(config))
    assert code == 0, err
    doc = json.loads(out)
    complete, planned = doc["summary"]["complete"], doc["summary"]["planned"]
    by = doc["summary"]["by_status"]
    assert complete == by["present"] + by["late"] and planned == 86
    figure = f"{complete}/{planned}"

    def report(fmt: str) -> str:
        code, text, err = run_cli("report", "--config", str(config), "--format", fmt)
        assert code == 0, err
        return text

    text = report("text")  # from the last scan, without scanning again
    assert re.search(rf"Ringkasan: {figure} indikator selesai", text)
    assert f'<div class="card good headline"><b>{figure}</b>' in report("html")
    assert f"**{figure}** indikator selesai" in report("md")
    rows = list(csv.reader(io.StringIO(report("csv").lstrip("\ufeff"))))
    done = {r[0] for r in rows[1:] if r[2] in ("lengkap", "terlambat")}
    assert len(done) == complete
    assert json.loads(report("json"))["summary"]["complete"] == complete

    assert run_cli("email", "--config", str(config), "--dry-run")[0] == 0
    tim = sorted((state / "outbox").rglob("*.eml"))[0]
    message = message_from_bytes(tim.read_bytes(), policy=policy.default)
    assert f"{figure} indikator selesai" in message["Subject"]
    body = message.get_body(("plain",))
    assert body is not None and f"{figure} indikator selesai" in body.get_content()

    code, history, _ = run_cli("history", "--config", str(config))
    assert code == 0 and history.splitlines()[-1].endswith(figure)


def test_a_damaged_last_report_gives_a_message(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    for content in ("{}", "[]", "null", "not json", '{"as_of": "2025-11-15"}'):
        (state / "last-report.json").write_text(content)
        code, _, err = run_cli("report", "--state", str(state), "--format", "text")
        assert code == 2 and "last-report.json" in err and "Traceback" not in err
