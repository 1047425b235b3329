"""The pipeline's walk and judging overlap on a first scan; an interrupted scan stops its
walk instead of running on through the share."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterable
from pathlib import Path

import pytest

from tests.helpers import pdf_bytes
from zi_audit.core.facts import FileFacts
from zi_audit.inspection.facts import Candidate
from zi_audit.pipeline import Pipeline, ScanOptions
from zi_audit.rules.model import RuleSet
from zi_audit.state.paths import prepare_state_dir

AGEN = "1. Manajemen Perubahan/1.4 Pola Pikir/1.4.2 Agen Perubahan"


class Interrupted(Exception):
    pass


def test_an_interrupted_first_scan_stops_walking(rules: RuleSet, tmp_path: Path) -> None:
    root = tmp_path / "share"
    for n in range(200):
        folder = root / AGEN / f"Kegiatan {n:03d}"
        folder.mkdir(parents=True)
        (folder / f"SK Tim Agen Perubahan {n:03d}.pdf").write_bytes(pdf_bytes())
    seen: list[int] = []

    def slow_progress(folders: int, files: int) -> None:
        seen.append(folders)
        time.sleep(0.01)  # a slow share: 200 folders take 2 s to walk

    def interrupted(candidates: Iterable[Candidate]) -> dict[str, FileFacts]:
        next(iter(candidates))  # the first file arrives while the walk goes on
        raise Interrupted  # as Ctrl-C would, mid-scan

    pipeline = Pipeline(
        root,
        rules,
        ScanOptions(as_of=dt.date(2025, 11, 15)),
        state=prepare_state_dir(tmp_path / "state", root),
        inspect=interrupted,
    )
    with pytest.raises(Interrupted):
        pipeline.run(progress=slow_progress)
    assert not any(t.name == "zi-audit-walk" for t in threading.enumerate())
    assert max(seen) < 20  # stopped at its next folder, not after all 200
