"""Kept results (state/results.py, state/kept.py): a rescan computes only the indicators
whose files, verdicts, folder or closing days moved, and still reports exactly what a scan
with an empty state directory reports. Each scan here is a new `zi-audit scan` with the
same state directory, as the nightly runs are; the work is counted from the report's
`stats` (folders listed, verdicts decoded, indicators evaluated)."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import REPO, pdf_bytes, scan_json
from tests.state.stored import rewrite, stored_rows
from tests.state.test_listing import settle
from zi_audit.evaluate.asof import as_of_bearing, open_as_of
from zi_audit.rules.loader import load_rules
from zi_audit.rules.model import bundled_rules_path
from zi_audit.state import results as results_module

AS_OF = "2025-11-15"


def scan(root: Path, state: Path, as_of: str = AS_OF) -> dict[str, Any]:
    return dict(scan_json(root, as_of, "--state", str(state)))


def fresh(root: Path, tmp_path: Path, as_of: str = AS_OF) -> dict[str, Any]:
    state = tmp_path / f"fresh-{len(list(tmp_path.glob('fresh-*')))}"
    return scan(root, state, as_of)


def same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Equal reports but for the counts of work done (`stats`)."""
    return {k: v for k, v in a.items() if k != "stats"} == {
        k: v for k, v in b.items() if k != "stats"
    }


def indicators_with(doc: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return [
        ind
        for ind in doc["indicators"]
        if any(f["path"].endswith(name) for ev in ind["evidence"] for f in ev["files"])
    ]


def files_of(indicators: list[dict[str, Any]]) -> set[str]:
    return {f["path"] for ind in indicators for ev in ind["evidence"] for f in ev["files"]}


def test_an_unchanged_rescan_decodes_and_evaluates_nothing(
    example_tree: Path, tmp_path: Path
) -> None:
    settle(example_tree)
    state = tmp_path / "state"
    first = scan(example_tree, state)
    planned = sum(1 for i in first["indicators"] if i["status"] != "not_planned")
    assert first["stats"]["evaluated"] == len(first["indicators"]) > planned > 0
    again = scan(example_tree, state)
    assert same(again, first)
    assert again["stats"]["folders_listed"] == 0
    assert again["stats"]["decoded"] == 0
    assert again["stats"]["evaluated"] == 0
    assert again["stats"]["opened"] == 0


def test_one_changed_file_costs_its_indicators_only(example_tree: Path, tmp_path: Path) -> None:
    settle(example_tree)
    state = tmp_path / "state"
    first = scan(example_tree, state)
    name = "Pakta Integritas 2025-08-20.pdf"
    touched = indicators_with(first, name)  # the indicators it serves, each a few files
    assert 0 < len(touched) < len(first["indicators"]) // 10
    pakta = next(example_tree.rglob(name))
    pakta.write_bytes(pdf_bytes("D:20250821090000+07'00'") + b"\n% changed in place\n")

    again = scan(example_tree, state)
    assert same(again, fresh(example_tree, tmp_path))
    assert again["stats"]["evaluated"] == len(touched)
    assert again["stats"]["opened"] == 1
    # The other files of those indicators keep their results (state/filememo.py): no
    # stored verdict is decoded, not even theirs.
    assert again["stats"]["decoded"] == 0
    served = [f["path"] for ind in touched for ev in ind["evidence"] for f in ev["files"]]
    assert again["stats"]["reused"] == sum(not p.endswith(name) for p in served) > 0
    assert again["stats"]["folders_listed"] == 0  # written in place: no folder moved


def test_the_day_a_window_closes_computes_the_indicators_it_closes(
    example_tree: Path, tmp_path: Path
) -> None:
    settle(example_tree)
    rules = load_rules(bundled_rules_path())
    closing = {
        i.window.end + dt.timedelta(days=i.evidence[0].grace_days)
        for i in rules.indicators
        if i.window is not None and i.evidence
    }
    day = min(d for d in closing if d.year == 2025 and d.month >= 6)
    after = day + dt.timedelta(days=1)
    moved = sum(
        1
        for i in rules.indicators
        if as_of_bearing(i, open_as_of(rules, day)) != as_of_bearing(i, open_as_of(rules, after))
    )
    assert 0 < moved < len(rules.indicators)
    state = tmp_path / "state"
    scan(example_tree, state, day.isoformat())
    on = scan(example_tree, state, after.isoformat())
    assert same(on, fresh(example_tree, tmp_path, after.isoformat()))
    assert on["stats"]["evaluated"] == moved
    # A file's result does not depend on the day: the files of those it closes are kept.
    assert on["stats"]["decoded"] == 0
    next_day = scan(example_tree, state, (after + dt.timedelta(days=1)).isoformat())
    assert next_day["stats"]["evaluated"] == sum(
        1
        for i in rules.indicators
        if as_of_bearing(i, open_as_of(rules, after))
        != as_of_bearing(i, open_as_of(rules, after + dt.timedelta(days=1)))
    )


def test_a_verdict_that_changed_without_its_file_moves_its_indicator(
    example_tree: Path, tmp_path: Path
) -> None:
    """What OCR does to a scan waiting for its words: the stored verdict changes while the
    file does not. Its indicator is computed again from the new verdict."""
    settle(example_tree)
    state = tmp_path / "state"
    first = scan(example_tree, state)
    name = "Pakta Integritas 2025-08-20.pdf"
    pakta = next(example_tree.rglob(name))
    db = sqlite3.connect(state / "facts.sqlite3")
    (data,) = db.execute(
        "SELECT data FROM facts WHERE path = ?", (os.fsencode(str(pakta)),)
    ).fetchone()
    verdict = json.loads(data)
    verdict.update(valid=False, problems=["no_pages"])
    db.execute(
        "UPDATE facts SET data = ? WHERE path = ?", (json.dumps(verdict), os.fsencode(str(pakta)))
    )
    db.commit()
    db.close()
    again = scan(example_tree, state)
    assert again["stats"]["evaluated"] == len(indicators_with(first, name))
    files = [
        f for ind in indicators_with(again, name) for ev in ind["evidence"] for f in ev["files"]
    ]
    assert any(f["path"].endswith(name) and not f["valid"] for f in files)
    assert not same(again, first)


def test_a_stored_verdict_that_no_longer_decodes_is_judged_again(
    example_tree: Path, tmp_path: Path
) -> None:
    """Found when its indicator needs it (its stored text moved, so the key did): judged
    again then, and the report is what a fresh scan says."""
    name = "Pakta Integritas 2025-08-20.pdf"
    pakta = next(example_tree.rglob(name))
    settle(example_tree)
    state = tmp_path / "state"
    first = scan(example_tree, state)
    db = sqlite3.connect(state / "facts.sqlite3")
    db.execute(
        "UPDATE facts SET data = '{\"valid\": tru' WHERE path = ?", (os.fsencode(str(pakta)),)
    )
    db.commit()
    db.close()
    again = scan(example_tree, state)
    assert same(again, fresh(example_tree, tmp_path))
    assert again["stats"]["opened"] == 1
    assert again["stats"]["evaluated"] == len(indicators_with(first, name))
    third = scan(example_tree, state)  # its verdict stored again, its result kept under it
    assert third["stats"]["opened"] == third["stats"]["evaluated"] == 0


def test_a_damaged_store_is_only_a_memo(example_tree: Path, tmp_path: Path) -> None:
    settle(example_tree)
    state = tmp_path / "state"
    first = scan(example_tree, state)
    (state / "results.sqlite3").write_bytes(b"not a database" * 400)
    again = scan(example_tree, state)
    assert same(again, first)
    assert again["stats"]["evaluated"] == len(first["indicators"])
    assert any(p.name.startswith("results.sqlite3.corrupt-") for p in state.iterdir())
    assert scan(example_tree, state)["stats"]["evaluated"] == 0  # made anew, used again


def test_results_of_other_code_or_rules_are_not_used(
    example_tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settle(example_tree)
    state = tmp_path / "state"
    first = scan(example_tree, state)
    everything = len(first["indicators"])
    monkeypatch.setattr(results_module, "code_print", lambda: "another checkout")
    assert scan(example_tree, state)["stats"]["evaluated"] == everything
    monkeypatch.undo()

    text = (REPO / "rules" / "bukti_fisik.yaml").read_text(encoding="utf-8")
    other = tmp_path / "rules.yaml"
    other.write_text(text.replace("\n  title: ", "\n  title: (uji) ", 1), encoding="utf-8")
    changed = scan_json(example_tree, AS_OF, "--state", str(state), "--rules", str(other))
    assert changed["stats"]["evaluated"] == everything


def test_a_rescan_as_a_new_process_keeps_every_indicator(
    example_tree: Path, tmp_path: Path
) -> None:
    """The store is read by the next process, not only by the next call in this one."""
    settle(example_tree)
    state = tmp_path / "state"
    command = [sys.executable, "-m", "zi_audit", "scan", str(example_tree), "--as-of", AS_OF]
    command += ["--format", "json", "--state", str(state), "--no-config"]
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    runs = [
        json.loads(subprocess.run(command, capture_output=True, check=True, env=env).stdout)
        for _ in range(2)
    ]
    assert same(runs[0], runs[1])
    assert runs[1]["stats"]["evaluated"] == runs[1]["stats"]["decoded"] == 0
    shutil.rmtree(state)


def test_a_kept_text_that_is_not_its_indicators_is_computed_again(
    example_tree: Path, tmp_path: Path
) -> None:
    """A JSON report writes a kept fragment's text undecoded: a row holding another
    row's text (or one cut short) must never reach the report."""
    settle(example_tree)
    state = tmp_path / "state"
    first = scan(example_tree, state)
    (a, text_a, _, _), (b, text_b, _, _) = stored_rows(state)[:2]
    rewrite(state, a, text=text_b)
    rewrite(state, b, text=text_a[:-5])
    again = scan(example_tree, state)
    assert same(again, first)
    assert again["stats"]["evaluated"] == 2


def test_a_fragment_file_lost_or_cut_short_is_computed_again(
    example_tree: Path, tmp_path: Path
) -> None:
    """The fragments' texts live in files the rows name (state/blobs.py): one gone, one
    cut short and one not UTF-8 are misses, computed again; the report is a fresh scan's."""
    settle(example_tree)
    state = tmp_path / "state"
    first = scan(example_tree, state)
    db = sqlite3.connect(state / "results.sqlite3")
    blobs = [b for (b,) in db.execute("SELECT blob FROM results ORDER BY indicator LIMIT 3")]
    db.close()
    folder = state / results_module.FRAGMENTS
    (folder / blobs[0]).unlink()
    data = (folder / blobs[1]).read_bytes()
    (folder / blobs[1]).write_bytes(data[:-1])
    (folder / blobs[2]).write_bytes(b"\xff" + data[1:][: len((folder / blobs[2]).read_bytes()) - 1])
    again = scan(example_tree, state)
    assert same(again, first)
    assert again["stats"]["evaluated"] == 3
    assert scan(example_tree, state)["stats"]["evaluated"] == 0  # kept again


def test_a_replaced_fragment_file_is_removed(example_tree: Path, tmp_path: Path) -> None:
    """Each kept row names one file, and a file no row names does not stay: a share
    changed every night must not fill the state directory."""
    settle(example_tree)
    state = tmp_path / "state"
    folder = state / results_module.FRAGMENTS
    pakta = next(example_tree.rglob("Pakta Integritas 2025-08-20.pdf"))
    scan(example_tree, state)
    for n in range(3):  # a file added beside it each time: its indicators computed again
        (pakta.parent / f"Pakta Integritas 2025-08-2{n + 1} salinan.pdf").write_bytes(pdf_bytes())
        settle(example_tree)
        assert scan(example_tree, state)["stats"]["evaluated"] > 0
        db = sqlite3.connect(state / "results.sqlite3")
        named = sorted(b for (b,) in db.execute("SELECT blob FROM results"))
        db.close()
        assert sorted(p.name for p in folder.iterdir()) == named


def test_a_run_that_records_no_history_leaves_the_kept_rows_unread(
    example_tree: Path, tmp_path: Path
) -> None:
    """A kept fragment's file rows serve the history only (on the bench share 8 MB of the
    22 MB of fragments a changed night would read): a run that records none neither reads
    nor decodes them, so rows made unreadable in place (same size, not UTF-8) still keep
    their indicator; a run that records history reads them, misses, computes it again."""
    settle(example_tree)
    state = tmp_path / "state"
    first = scan(example_tree, state)
    db = sqlite3.connect(state / "results.sqlite3")
    blob, text_size, files_size = db.execute(
        "SELECT blob, text_size, files_size FROM results WHERE files_size > 0 LIMIT 1"
    ).fetchone()
    db.close()
    path = state / results_module.FRAGMENTS / blob
    data = bytearray(path.read_bytes())
    data[text_size : text_size + files_size] = b"\xff" * files_size
    path.write_bytes(bytes(data))
    again = scan(example_tree, state)
    assert same(again, first)
    assert again["stats"]["evaluated"] == 0
    recorded = dict(scan_json(example_tree, AS_OF, "--state", str(state), "--history"))
    assert recorded["indicators"] == first["indicators"]  # beside the history's changes
    assert recorded["stats"]["evaluated"] == 1
