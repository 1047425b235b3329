"""The folder memo (state/listing.py): a rescan lists and matches only what changed, and
still reports exactly what a scan with an empty state directory reports.

Folder times are set explicitly: a tree made a moment ago is all within the racy window,
where nothing may be taken on trust. `settle` gives every folder changed since the last
call a time of its own, long past, as a night between two scans would.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from itertools import count
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import REPO, pdf_bytes
from zi_audit.evaluate.model import FolderPaths
from zi_audit.pipeline import Pipeline, ScanOptions
from zi_audit.report import document
from zi_audit.report.unmatched import unmatched_lines
from zi_audit.rules.loader import load_rules
from zi_audit.rules.model import RuleSet, bundled_rules_path
from zi_audit.state import fingerprint as fingerprint_module
from zi_audit.state.paths import prepare_state_dir
from zi_audit.walk.mounts import Mount, folder_times_kept
from zi_audit.walk.record import RACY_NS, FolderRecord, Names

OPTIONS = ScanOptions(as_of=dt.date(2025, 11, 15))
LONG_AGO = time.time() - 86_400
_ticks = count(1)


def settle(root: Path) -> None:
    """Folders touched in the last minute get a time of their own, a day ago."""
    stamp = LONG_AGO + next(_ticks)
    for folder in [root, *(p for p in root.rglob("*") if p.is_dir())]:
        if folder.stat().st_mtime > time.time() - 60:
            os.utime(folder, (stamp, stamp))


def rules() -> RuleSet:
    return load_rules(bundled_rules_path())


def doc(pipeline: Pipeline) -> dict[str, Any]:
    d = dict(document.build(pipeline.run()))
    d.pop("stats")
    return d


def fresh(root: Path, state: Path, ruleset: RuleSet | None = None) -> dict[str, Any]:
    shutil.rmtree(state, ignore_errors=True)
    return doc(Pipeline(root, ruleset or rules(), OPTIONS, state=prepare_state_dir(state, root)))


def warm(root: Path, state: Path, ruleset: RuleSet | None = None) -> Pipeline:
    """A pipeline as the next nightly run builds it: new process, same state directory."""
    return Pipeline(root, ruleset or rules(), OPTIONS, state=prepare_state_dir(state, root))


def scanned(root: Path, state: Path) -> Path:
    """`state` after a first scan of `root`, its folders' times settled before it."""
    settle(root)
    warm(root, state).run()
    return state


def test_an_unchanged_share_is_neither_listed_nor_matched_again(
    example_tree: Path, tmp_path: Path
) -> None:
    settle(example_tree)
    first = warm(example_tree, tmp_path / "s")
    before = doc(first)
    assert first.last_walk.listed == first.last_walk.folders > 30
    again = warm(example_tree, tmp_path / "s")
    assert doc(again) == before
    assert again.last_walk.listed == 0
    assert again.last_walk.rematched == 0
    assert again.last_walk.located == 0  # each folder's place in the layout: from the memo
    assert again.last_walk.files == first.last_walk.files > 0


def test_after_each_change_the_rescan_equals_a_fresh_scan_and_redoes_only_that_folder(
    example_tree: Path, tmp_path: Path
) -> None:
    state = scanned(example_tree, tmp_path / "warm")
    agen = next(example_tree.rglob("1.4.2 Sudah ditetapkan agen perubahan"))
    pakta = next(example_tree.rglob("Pakta Integritas 2025-08-20.pdf"))
    misc = example_tree / "Foto Kegiatan 2025-09-10.jpg"
    sk = agen / "SK Tim Agen Perubahan 20251020.pdf"

    def replace_same_size_same_time() -> None:
        st = pakta.stat()
        pakta.unlink()
        pakta.write_bytes(b"%PDF-1.4 " + b"x" * (st.st_size - 9))  # does not open
        os.utime(pakta, ns=(st.st_atime_ns, st.st_mtime_ns))

    # (change, folders it touches, names new to their folder)
    steps = [
        (lambda: (agen / "SK Agen Perubahan 2025-09-01.pdf").write_bytes(pdf_bytes()), 1, 1),
        (lambda: sk.rename(agen / "SK Tim Agen Perubahan 2025-09-15.pdf"), 1, 1),
        (lambda: shutil.move(str(misc), str(agen / misc.name)), 2, 1),
        (replace_same_size_same_time, 1, 0),
        (lambda: (agen / "SK Agen Perubahan 2025-09-01.pdf").unlink(), 1, 0),
    ]
    for n, (step, touched, new_names) in enumerate(steps):
        step()
        settle(example_tree)
        rescan = warm(example_tree, state)
        assert doc(rescan) == fresh(example_tree, tmp_path / f"fresh{n}"), n
        assert rescan.last_walk.listed == touched, n
        assert rescan.last_walk.rematched == new_names, n
        # The listed folder is placed again, and its parents (never placed this process)
        # with it; no other folder. The root's place is known without working it out.
        assert rescan.last_walk.located == len(agen.relative_to(example_tree).parts), n


def test_unchanged_folders_hand_on_their_unmatched_names_unsplit(
    example_tree: Path, tmp_path: Path
) -> None:
    """The memo keeps each folder's unmatched names as one block: a rescan neither splits
    them nor joins them one by one to write STATE/unmatched.txt, and writes what a scan
    with an empty state directory writes."""
    folders = sorted(p for p in example_tree.rglob("*") if p.is_dir())[::7]
    for n, folder in enumerate(folders):
        (folder / f"catatan {n}.txt").write_text("-")
    state = scanned(example_tree, tmp_path / "warm")
    unmatched = warm(example_tree, state).run().unmatched
    assert isinstance(unmatched, FolderPaths) and len(unmatched) >= len(folders) > 3
    parts = list(unmatched.parts())
    assert all(isinstance(names, Names) and not names.split for _, names in parts)
    lines = "".join(unmatched_lines(unmatched))
    assert not any(names.split for _, names in parts)  # type: ignore[attr-defined]
    shutil.rmtree(tmp_path / "fresh", ignore_errors=True)
    fresh_run = warm(example_tree, tmp_path / "fresh").run()
    assert lines == "".join(unmatched_lines(fresh_run.unmatched))
    assert list(unmatched) == list(fresh_run.unmatched)


def test_a_changed_rule_file_or_another_version_lists_and_matches_everything(
    example_tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settle(example_tree)
    state = tmp_path / "s"
    first = warm(example_tree, state)
    first.run()
    everything = (first.last_walk.listed, first.last_walk.files)

    text = (REPO / "rules" / "bukti_fisik.yaml").read_text(encoding="utf-8")
    changed = tmp_path / "rules.yaml"
    changed.write_text(text.replace("\n  title: ", "\n  title: (uji) ", 1), encoding="utf-8")
    other = load_rules(changed)
    rescan = warm(example_tree, state, other)
    assert doc(rescan) == fresh(example_tree, tmp_path / "f1", other)
    assert (rescan.last_walk.listed, rescan.last_walk.rematched) == everything

    warm(example_tree, state).run()  # back to the bundled rules: a memo for them again
    monkeypatch.setattr(fingerprint_module, "__version__", "99.0.0")
    upgraded = warm(example_tree, state)
    upgraded.run()
    assert (upgraded.last_walk.listed, upgraded.last_walk.rematched) == everything

    monkeypatch.setattr(fingerprint_module, "MEMO_VERSION", "next")  # matching changed
    rematched = warm(example_tree, state)
    rematched.run()
    assert (rematched.last_walk.listed, rematched.last_walk.rematched) == everything


def test_a_changed_ignore_file_lists_everything_again(example_tree: Path, tmp_path: Path) -> None:
    state = scanned(example_tree, tmp_path / "s")
    (example_tree / ".zi-auditignore").write_text("*.jpg\n", encoding="utf-8")
    settle(example_tree)
    rescan = warm(example_tree, state)
    assert doc(rescan) == fresh(example_tree, tmp_path / "f")
    assert rescan.last_walk.listed == rescan.last_walk.folders > 30


def test_a_folder_changed_within_the_racy_window_is_listed_again(
    example_tree: Path, tmp_path: Path
) -> None:
    """On a disk with coarse times a file can land in the same tick as the last change, and
    the folder's time does not move. So a folder listed within RACY_NS of its time is
    listed again by the next scan, even when nothing about it seems to have changed."""
    settle(example_tree)
    agen = next(example_tree.rglob("1.4.2 Sudah ditetapkan agen perubahan"))
    now = time.time()
    os.utime(agen, (now, now))  # changed just now; the scan lists it this same second
    state = tmp_path / "s"
    warm(example_tree, state).run()
    rescan = warm(example_tree, state)
    assert doc(rescan) == fresh(example_tree, tmp_path / "f")
    assert rescan.last_walk.listed == 1  # that folder, and no other
    assert rescan.last_walk.rematched == 0


def test_the_racy_window_is_measured_from_the_listing() -> None:
    st = os.stat(".")
    listed = st.st_mtime_ns + RACY_NS // 2
    record = FolderRecord(st.st_ino, st.st_mtime_ns, st.st_ctime_ns, listed, [], [])
    assert record.racy() and not record.trusted(st)
    record.listed_ns = st.st_mtime_ns + RACY_NS + 1
    assert not record.racy() and record.trusted(st)
    record.links = True
    assert not record.trusted(st)


def test_a_damaged_memo_is_only_a_memo(example_tree: Path, tmp_path: Path) -> None:
    settle(example_tree)
    state = tmp_path / "s"
    expected = doc(warm(example_tree, state))
    (state / "folders.sqlite3").write_bytes(b"SQLite format 3\0" + b"\xff" * 3000)
    damaged = warm(example_tree, state)
    assert doc(damaged) == expected
    assert damaged.last_walk.listed == damaged.last_walk.folders > 30
    again = warm(example_tree, state)
    assert doc(again) == expected
    assert again.last_walk.listed == 0  # rebuilt by the run that found it damaged


def test_where_folder_times_are_not_kept_every_folder_is_listed_but_no_name_rematched(
    example_tree: Path, tmp_path: Path
) -> None:
    state = scanned(example_tree, tmp_path / "s")
    (example_tree / "Foto Kegiatan 2025-09-10.jpg").unlink()
    pipeline = warm(example_tree, state)
    pipeline.trust_folder_times = False  # as on a FUSE mount
    assert doc(pipeline) == fresh(example_tree, tmp_path / "f")
    assert pipeline.last_walk.listed == pipeline.last_walk.folders > 30
    assert pipeline.last_walk.rematched == 0


def test_fuse_mounts_do_not_keep_folder_times() -> None:
    assert not folder_times_kept(Mount("/mnt/drive", "fuse.rclone", "gdrive:"))
    assert not folder_times_kept(Mount("/mnt/vm", "9p", "share"))
    assert folder_times_kept(Mount("/srv/share", "cifs", "//nas/zi"))
    assert folder_times_kept(Mount("/", "ext4", "/dev/sda1"))
    assert folder_times_kept(None)


def test_two_roots_keep_two_memos(example_tree: Path, tmp_path: Path) -> None:
    """The roll-up of several units scans several roots with one state directory."""
    other = tmp_path / "unit-b"
    shutil.copytree(example_tree, other)
    settle(example_tree)
    settle(other)
    state = tmp_path / "s"
    warm(example_tree, state).run()
    warm(other, state).run()
    for root in (example_tree, other):
        rescan = warm(root, state)
        rescan.run()
        assert rescan.last_walk.listed == 0


def test_a_folder_whose_permissions_changed_is_listed_again(
    example_tree: Path, tmp_path: Path
) -> None:
    """`chmod` leaves a folder's modification time and moves its change time: a folder made
    unreadable must be found so by the next scan, as a fresh one would."""
    state = scanned(example_tree, tmp_path / "s")
    agen = next(example_tree.rglob("1.4.2 Sudah ditetapkan agen perubahan"))
    before = agen.stat()
    agen.chmod(0o700)
    assert agen.stat().st_mtime_ns == before.st_mtime_ns
    rescan = warm(example_tree, state)
    assert doc(rescan) == fresh(example_tree, tmp_path / "f")
    assert rescan.last_walk.listed == 1


def test_a_memo_another_run_is_writing_is_left_alone(example_tree: Path, tmp_path: Path) -> None:
    """A what-if scan beside the nightly run: the memo is busy, the scan lists what it
    must, and the other run's memo is neither waited for long nor deleted."""
    import sqlite3

    state = scanned(example_tree, tmp_path / "s")
    (example_tree / "Foto Kegiatan 2025-09-10.jpg").unlink()
    settle(example_tree)
    holder = sqlite3.connect(state / "folders.sqlite3")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        busy = warm(example_tree, state)
        assert doc(busy) == fresh(example_tree, tmp_path / "f")
    finally:
        holder.rollback()
        holder.close()
    assert (state / "folders.sqlite3").exists()
    again = warm(example_tree, state)
    again.run()
    assert again.last_walk.listed == 1  # the change the busy run could not record
