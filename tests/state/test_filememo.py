"""Kept file results (state/filememo.py): an indicator computed again takes its unchanged
files' results and report parts from the last scan, and its report is still exactly what
a scan with an empty state directory writes. Counted from the report's `stats`: `reused`
(file results taken), `decoded` (stored verdicts read), `opened` (files judged)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import pdf_bytes
from tests.state.stored import rewrite, stored_rows
from tests.state.test_listing import settle
from tests.state.test_results import fresh, indicators_with, same, scan
from zi_audit.state import results as results_module

NAME = "Pakta Integritas 2025-08-20.pdf"


def served(indicators: list[dict[str, Any]]) -> list[str]:
    """The files of these indicators, once per item they serve."""
    return [f["path"] for ind in indicators for ev in ind["evidence"] for f in ev["files"]]


def served_files(doc: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return [
        f
        for ind in doc["indicators"]
        for ev in ind["evidence"]
        for f in ev["files"]
        if f["path"].endswith(name)
    ]


def test_an_added_file_is_the_only_one_computed(example_tree: Path, tmp_path: Path) -> None:
    settle(example_tree)
    state = tmp_path / "state"
    first = scan(example_tree, state)
    pakta = next(example_tree.rglob(NAME))
    added = pakta.with_name("Pakta Integritas 2025-09-01.pdf")
    added.write_bytes(pdf_bytes("D:20250901090000+07'00'"))
    settle(example_tree)

    again = scan(example_tree, state)
    assert same(again, fresh(example_tree, tmp_path))
    touched = indicators_with(again, added.name)
    assert touched and again["stats"]["evaluated"] >= len(touched)
    assert again["stats"]["opened"] == 1
    assert again["stats"]["decoded"] == 0
    before = served(indicators_with(first, NAME))
    assert again["stats"]["reused"] >= len(before) > 0


def test_a_removed_file_leaves_the_others_kept(example_tree: Path, tmp_path: Path) -> None:
    settle(example_tree)
    state = tmp_path / "state"
    first = scan(example_tree, state)
    pakta = next(example_tree.rglob(NAME))
    left = [p for p in served(indicators_with(first, NAME)) if not p.endswith(NAME)]
    pakta.unlink()
    settle(example_tree)

    again = scan(example_tree, state)
    assert same(again, fresh(example_tree, tmp_path))
    assert again["stats"]["opened"] == again["stats"]["decoded"] == 0
    assert again["stats"]["reused"] == len(left) > 0


def test_a_changed_verdict_is_computed_again(example_tree: Path, tmp_path: Path) -> None:
    """Changed in place: same name, new content; its result is never the kept one."""
    settle(example_tree)
    state = tmp_path / "state"
    first = scan(example_tree, state)
    pakta = next(example_tree.rglob(NAME))
    pakta.write_bytes(b"%PDF-1.7\nthis file was cut short")
    again = scan(example_tree, state)
    assert same(again, fresh(example_tree, tmp_path))
    assert not same(again, first)
    statuses = {f["status"] for f in served_files(again, NAME)}
    assert statuses == {"invalid"}


def test_kept_results_of_other_rules_or_code_are_not_taken(
    example_tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settle(example_tree)
    state = tmp_path / "state"
    scan(example_tree, state)
    monkeypatch.setattr(results_module, "code_print", lambda: "another checkout")
    other = scan(example_tree, state)
    assert other["stats"]["reused"] == 0
    assert other["stats"]["evaluated"] == len(other["indicators"])


Rows = list[list[Any]]


def _recompute_all(state: Path, damage: Any = None) -> None:
    """Make every kept indicator's key stale (each is computed again although nothing of
    it moved), its files' rows and their places changed by `damage` where given, and its
    runs kept whole dropped (each file is taken one by one: state/chunks.py)."""
    for n, (ident, _, files, spans) in enumerate(stored_rows(state)):
        rows = [json.loads(line) for line in files.split("\n") if line]
        places = json.loads(spans)
        if damage is not None:
            rows, places = damage(n, rows, places)
        lines = "\n".join(json.dumps(row) for row in rows)
        rewrite(state, ident, files=lines, spans=json.dumps(places), runs="", key="stale")


def test_an_indicator_computed_again_takes_every_unmoved_file(
    example_tree: Path, tmp_path: Path
) -> None:
    pakta = next(example_tree.rglob(NAME))
    with open(os.fsencode(pakta.parent) + b"/Pakta Integritas \xff 2025-08-22.pdf", "wb") as fh:
        fh.write(pdf_bytes())  # a name that is not UTF-8: kept escaped, taken back as it was
    settle(example_tree)
    state = tmp_path / "state"
    first = scan(example_tree, state)
    assert any("\\xff" in p for p in served(first["indicators"]))
    _recompute_all(state)
    again = scan(example_tree, state)
    assert same(again, first)
    assert again["stats"]["evaluated"] == len(first["indicators"])
    assert again["stats"]["reused"] == len(served(first["indicators"])) > 0
    assert again["stats"]["decoded"] == again["stats"]["opened"] == 0


def test_damaged_kept_rows_are_only_a_memo(example_tree: Path, tmp_path: Path) -> None:
    """Rows that read as JSON but do not say where a file's part lies (a row of another
    make, a part moved): those files are computed, and the report is a fresh scan's."""
    settle(example_tree)
    state = tmp_path / "state"
    first = scan(example_tree, state)

    def damage(n: int, rows: Rows, spans: list[Any]) -> tuple[Rows, list[Any]]:
        if n % 5 == 0:
            return rows, [at + 1 for at in spans]  # parts moved
        if n % 5 == 1:
            return [row[:5] for row in rows], spans  # as an older make kept them
        if n % 5 == 2:
            return [[*row[:6], "lost", *row[7:]] for row in rows], spans  # no file's status
        if n % 5 == 3:
            return [[*row[:7], "filename|2025-13-01|x|day", *row[8:]] for row in rows], spans
        if n % 7 == 5:
            return [[*row[:8], 7] for row in rows], spans  # a mark of no kind
        if n % 7 == 4:
            return rows, [float(at) for at in spans]  # not a place
        if n % 7 == 3:
            return rows, spans[:-2]  # a place short
        return rows, [10**9 + at for at in spans]  # beyond the text

    _recompute_all(state, damage)
    again = scan(example_tree, state)
    assert same(again, first)
    assert again["stats"]["reused"] == 0
    assert again["stats"]["decoded"] > 0  # their verdicts read instead


def test_two_rows_on_one_line_are_no_memo(example_tree: Path, tmp_path: Path) -> None:
    """Kept rows are one a line, and a reused file's line is written again as read: a
    line holding two rows would carry the extra one into the next scan's rows."""
    settle(example_tree)
    state = tmp_path / "state"
    first = scan(example_tree, state)
    single = 0  # files of indicators holding one row: nothing to join, reused
    for ident, _, files, _ in stored_rows(state):
        single += bool(files) and "\n" not in files
        rewrite(state, ident, files=files.replace("\n", ", ", 1), runs="", key="stale")
    again = scan(example_tree, state)
    assert same(again, first)
    assert again["stats"]["reused"] == single
