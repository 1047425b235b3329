"""Is the share there? The nightly run and watch ask walk/health.py and get one answer."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import EXAMPLE_TREE, run_cli
from zi_audit.app.watch import Watcher, WatchOptions
from zi_audit.pipeline import Pipeline, ScanOptions
from zi_audit.rules.model import RuleSet
from zi_audit.state.paths import prepare_state_dir
from zi_audit.walk import health


def _unmount(root: Path) -> None:
    shutil.rmtree(root)


def _empty(root: Path) -> None:
    shutil.rmtree(root)
    root.mkdir()


def _shrink(root: Path) -> None:
    files = sorted(p for p in root.rglob("*") if p.is_file())
    for p in files[: len(files) * 3 // 4]:
        p.unlink()


@pytest.mark.parametrize(
    ("fault", "code"), [(_unmount, "missing"), (_empty, "empty"), (_shrink, "shrunk")]
)
def test_nightly_run_and_watch_give_the_same_verdict(
    fault: Callable[[Path], None], code: str, rules: RuleSet, tmp_path: Path
) -> None:
    root = tmp_path / "share"
    shutil.copytree(EXAMPLE_TREE, root)
    config = tmp_path / "zi-audit.yaml"
    config.write_text(f"root: {root}\nstate: {tmp_path / 'state'}\n")
    nightly = ("scan", "--config", str(config), "--as-of", "2025-11-15", "--history", "--quiet")
    assert run_cli(*nightly)[0] == 0  # the baseline: the share as it was
    pipeline = Pipeline(
        root,
        rules,
        ScanOptions(as_of=dt.date(2025, 11, 15)),
        state=prepare_state_dir(tmp_path / "watch-state"),
    )
    lines: list[str] = []
    watcher = Watcher(pipeline, WatchOptions(polling=1.0), out=lines.append)
    watcher.refresh()
    assert not watcher.outage

    fault(root)
    exit_code, _, err = run_cli(*nightly)
    watcher.refresh()

    assert exit_code == 3
    assert watcher.outage and watcher.why is not None and watcher.why.code == code
    words = health.describe(watcher.why, root, "id")
    assert words in err  # the nightly run said the same thing
    assert any(words in line for line in lines)


def test_a_share_laid_out_by_init_is_there(rules: RuleSet, tmp_path: Path) -> None:
    """Folders and notes, no evidence yet: mounted, not empty (the old rule counted files)."""
    root = tmp_path / "share"
    assert run_cli("init", str(root))[0] == 0
    code, out, err = run_cli(
        "scan", str(root), "--state", str(tmp_path / "state"), "--format", "json"
    )
    assert code == 0, err
    statuses = {i["status"] for i in json.loads(out)["indicators"]}
    assert statuses <= {"pending", "missing", "not_planned"}
    seen = health.Observation.of(root)
    assert health.after_scan(seen, 0, health.Baseline(0)) is None


def test_a_typed_path_that_is_not_there_is_a_mistake_not_an_outage(tmp_path: Path) -> None:
    state = str(tmp_path / "state")
    code, _, err = run_cli("scan", str(tmp_path / "no-such-dir"), "--state", state)
    assert code == 2 and "tidak ada" in err and "accept-shrink" not in err
    a_file = tmp_path / "README.md"
    a_file.write_text("x")
    code, _, err = run_cli("scan", str(a_file), "--state", state)
    assert code == 2 and "bukan folder" in err


def test_a_new_device_is_an_outage_unless_accepted() -> None:
    seen = health.Observation(exists=True, is_dir=True, has_entries=True, device=7)
    before = health.Baseline(files_seen=100, device=6)
    assert health.after_scan(seen, 100, before) == health.Outage("device", 100, 100)
    assert health.after_scan(seen, 100, before, accept_change=True) is None
    assert health.after_scan(seen, 100, health.Baseline(100)) is None  # watch: no device
