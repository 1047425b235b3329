"""Watch and a share being restored: no status change is printed until it is steady."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from pathlib import Path

from tests.helpers import EXAMPLE_TREE
from zi_audit.app import watch
from zi_audit.app.watch import Watcher, WatchOptions
from zi_audit.pipeline import Pipeline, ScanOptions
from zi_audit.rules.model import RuleSet
from zi_audit.state.paths import prepare_state_dir


def test_a_restore_in_progress_prints_no_false_changes(
    rules: RuleSet, tmp_path: Path, monkeypatch
) -> None:
    """It accepted the share back at 2/3 of its files: a 10-second restore printed a dozen
    '… lengkap -> belum waktunya' lines that later flipped back."""
    monkeypatch.setattr(watch, "RETURN_SETTLE", 1.0)
    root = tmp_path / "share"
    shutil.copytree(EXAMPLE_TREE, root)
    files = sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())
    pipeline = Pipeline(
        root,
        rules,
        ScanOptions(as_of=dt.date(2025, 11, 15)),
        state=prepare_state_dir(tmp_path / "state"),
    )
    lines: list[str] = []
    watcher = Watcher(pipeline, WatchOptions(polling=1.0), out=lines.append)
    watcher.refresh()
    before = dict(watcher.summary["by_status"]) if watcher.summary else {}

    backup = tmp_path / "backup"
    root.rename(backup)  # the share drops
    watcher.refresh()
    assert watcher.outage
    start = len(lines)
    for n, rel in enumerate(files):  # the restore, file by file
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(backup / rel, root / rel)
        if n % 3 == 0:
            watcher.refresh()
    deadline = time.monotonic() + 10
    while watcher.outage and time.monotonic() < deadline:
        time.sleep(0.3)
        watcher.refresh()
    assert not watcher.outage
    printed = lines[start:]
    assert [line for line in printed if "->" in line] == [], printed
    assert watcher.summary is not None and watcher.summary["by_status"] == before
