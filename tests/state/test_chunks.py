"""Runs of files kept whole (state/chunks.py): an indicator computed again because one
folder of an item moved takes the item's other folders' files as runs, without reading
their rows back, and its report is still exactly a fresh scan's. Counted from the
report's `stats`: `reused` (file results taken), `rows_read` (kept rows read back one by
one: those of a run taken whole never are)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import pdf_bytes
from tests.state.stored import rewrite, stored_runs
from tests.state.test_listing import settle
from tests.state.test_results import fresh, indicators_with, same, scan

NAME = "Pakta Integritas 2025-08-20.pdf"


def _spread(root: Path) -> Path:
    """Pakta files in three folders of their indicator, two in each (the first holds the
    one the tree has): the folder where a night adds one."""
    pakta = next(root.rglob(NAME))
    (pakta.parent / "Pakta Integritas 2025-08-27.pdf").write_bytes(pdf_bytes())
    for sub, day in (("Arsip", 21), ("Arsip", 22), ("Lama", 23), ("Lama", 24)):
        folder = pakta.parent / sub
        folder.mkdir(exist_ok=True)
        (folder / f"Pakta Integritas 2025-08-{day}.pdf").write_bytes(pdf_bytes())
    settle(root)
    return pakta.parent


def _served(doc: dict[str, Any], name: str) -> list[str]:
    touched = indicators_with(doc, name)
    return [f["path"] for ind in touched for ev in ind["evidence"] for f in ev["files"]]


def test_a_changed_folder_reads_back_its_own_files_rows_only(
    example_tree: Path, tmp_path: Path
) -> None:
    where = _spread(example_tree)
    state = tmp_path / "state"
    first = scan(example_tree, state)
    assert not first["stats"]["rows_read"]
    added = where / "Pakta Integritas 2025-08-25.pdf"  # between its folder's two by name
    added.write_bytes(pdf_bytes("D:20250819090000+07'00'"))
    settle(example_tree)

    again = scan(example_tree, state)
    assert same(again, fresh(example_tree, tmp_path))
    served = _served(again, added.name)
    assert again["stats"]["reused"] == len(served) - served.count(next(
        p for p in served if p.endswith(added.name)
    )) > 0  # fmt: skip
    # Rows read back: those of the runs the new file landed in (its items' files in its
    # folder), never the Arsip and Lama runs of those items, nor its folder's other items.
    items = [
        [f["path"] for f in ev["files"]]
        for ind in indicators_with(again, added.name)
        for ev in ind["evidence"]
        if any(f["path"].endswith(added.name) for f in ev["files"])
    ]
    folder = next(p for p in served if p.endswith(added.name)).rpartition("/")[0]
    landed = [
        p
        for paths in items
        for p in paths
        if not p.endswith(added.name) and p.rpartition("/")[0] == folder
    ]
    assert again["stats"]["rows_read"] == len(landed) > 0
    assert len(landed) < len([p for paths in items for p in paths]) - len(items)
    assert again["stats"]["rows_read"] < again["stats"]["reused"]


def test_a_file_added_beside_a_run_keeps_the_run(example_tree: Path, tmp_path: Path) -> None:
    """A new file that sorts after a run's files leaves the run where it was: taken whole,
    the new file's result joined to it, and the next night takes the joined run."""
    where = _spread(example_tree)
    state = tmp_path / "state"
    scan(example_tree, state)
    (where / "Lama" / "Pakta Integritas 2025-08-25.pdf").write_bytes(pdf_bytes())
    settle(example_tree)
    again = scan(example_tree, state)
    assert same(again, fresh(example_tree, tmp_path))
    assert again["stats"]["rows_read"] == 0

    (where / "Arsip" / "Pakta Integritas 2025-08-26.pdf").write_bytes(pdf_bytes())
    settle(example_tree)
    third = scan(example_tree, state)
    assert same(third, fresh(example_tree, tmp_path))
    assert third["stats"]["rows_read"] == 0
    assert third["stats"]["reused"] > 0


def test_a_changed_file_in_a_run_is_judged_and_its_run_read(
    example_tree: Path, tmp_path: Path
) -> None:
    where = _spread(example_tree)
    state = tmp_path / "state"
    scan(example_tree, state)
    (where / "Arsip" / "Pakta Integritas 2025-08-21.pdf").write_bytes(b"%PDF-1.7\ncut short")
    again = scan(example_tree, state)
    assert same(again, fresh(example_tree, tmp_path))
    statuses = {
        f["status"]
        for ind in again["indicators"]
        for ev in ind["evidence"]
        for f in ev["files"]
        if f["path"].endswith("Arsip/Pakta Integritas 2025-08-21.pdf")
    }
    assert statuses == {"invalid"}
    assert again["stats"]["rows_read"] > 0  # the other file of its run, read back


def _damaged(kind: str, runs: str) -> str:
    head, _, rest = runs.partition("\n")
    places = json.loads(head)
    lines = rest.split("\n")
    if kind == "not_json":
        return runs[: len(runs) // 2]
    if kind == "beyond_the_text":
        return "\n".join([json.dumps([p + 10**8 for p in places]), *lines])
    if kind == "a_run_short":
        return "\n".join([json.dumps(places), *lines[:-1]])
    if kind == "digests_cut":
        first = json.loads(lines[0])
        first[2] = first[2][:-1]
        return "\n".join([head, json.dumps(first), *lines[1:]])
    if kind == "not_numbers":
        return "\n".join([json.dumps([str(p) for p in places]), *lines])
    raise AssertionError(kind)


@pytest.mark.parametrize(
    "kind", ["not_json", "beyond_the_text", "a_run_short", "digests_cut", "not_numbers"]
)
def test_damaged_runs_are_only_a_memo(example_tree: Path, tmp_path: Path, kind: str) -> None:
    """Runs that do not read as written: every file is taken one by one instead."""
    _spread(example_tree)
    state = tmp_path / "state"
    first = scan(example_tree, state)
    for ident, runs in stored_runs(state).items():
        if runs.partition("\n")[2]:
            rewrite(state, ident, runs=_damaged(kind, runs), key="stale")
    again = scan(example_tree, state)
    assert same(again, first)
    assert again["stats"]["reused"] == again["stats"]["rows_read"] > 0
