"""After a fault and its repair, a rescan says what a scan with a fresh state directory
says, and the history still holds every earlier scan."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import nightly, run_cli, statuses


def _corrupt_cache(state: Path, root: Path) -> Callable[[], None]:
    (state / "facts.sqlite3").write_bytes(b"\x00garbage" * 512)
    return lambda: None  # the cache repairs itself


def _poison_cache(state: Path, root: Path) -> Callable[[], None]:
    db = sqlite3.connect(state / "facts.sqlite3")
    db.execute("UPDATE facts SET data = '{\"valid\": tru'")
    db.commit()
    db.close()
    return lambda: None


def _damaged_report(state: Path, root: Path) -> Callable[[], None]:
    (state / "last-report.json").write_text("{}")
    return lambda: None


def _lock_link(state: Path, root: Path) -> Callable[[], None]:
    (state / "zi-audit.lock").unlink(missing_ok=True)
    (state / "zi-audit.lock").symlink_to(state.parent / "elsewhere")
    return lambda: (state / "zi-audit.lock").unlink()


def _history_folder(state: Path, root: Path) -> Callable[[], None]:
    history = state / "history.sqlite3"
    aside = state / "history.sqlite3.keep"
    history.rename(aside)
    history.mkdir()

    def repair() -> None:
        history.rmdir()
        aside.rename(history)

    return repair


def _share_gone(state: Path, root: Path) -> Callable[[], None]:
    aside = root.with_name("share.offline")
    root.rename(aside)
    return lambda: aside.rename(root)


@pytest.mark.parametrize(
    "fault",
    [_corrupt_cache, _poison_cache, _damaged_report, _lock_link, _history_folder, _share_gone],
)
def test_rescan_after_repair_equals_a_fresh_scan(
    fault: Callable[[Path, Path], Callable[[], None]], example_tree: Path, tmp_path: Path
) -> None:
    root = example_tree.rename(example_tree.with_name("share"))
    config = tmp_path / "zi-audit.yaml"
    state = tmp_path / "state"
    config.write_text(f"root: {root}\nstate: {state}\n")
    run = (
        "scan",
        "--config",
        str(config),
        "--as-of",
        "2025-11-15",
        "--history",
        "--format",
        "json",
    )
    assert run_cli(*run)[0] == 0
    repair = fault(state, root)
    code, _, err = run_cli(*run)
    assert code in (0, 2, 3) and "Traceback" not in err
    recorded = 1 + (code == 0)
    repair()
    code, out, err = run_cli(*run)
    assert code == 0, err
    fresh = nightly(root, tmp_path / "fresh-state")
    assert statuses(json.loads(out)) == statuses(json.loads(fresh[1]))
    history = run_cli("history", "--config", str(config))[1].splitlines()
    assert len(history) - 1 == recorded + 1  # every earlier recorded scan is still there
    shutil.rmtree(tmp_path / "fresh-state")
