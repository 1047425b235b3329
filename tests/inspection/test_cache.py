"""The verdict cache keeps the files of the share, not its history (inspection/cache.py,
`forget_gone`): a rescan that lists a folder again forgets the verdicts of the files that
left it, and of folders that are gone; every other row stays, other roots' too."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.helpers import REPO, is_root, scan_json
from tests.state.test_listing import settle
from tests.walk.test_walker import DROP_DAC


def rows(state: Path) -> set[str]:
    db = sqlite3.connect(state / "facts.sqlite3")
    try:
        return {os.fsdecode(bytes(key)) for (key,) in db.execute("SELECT path FROM facts")}
    finally:
        db.close()


def scan(root: Path, state: Path) -> None:
    scan_json(root, "2025-11-15", "--state", str(state))


def test_a_rescan_forgets_the_verdicts_of_files_that_left(
    example_tree: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other_unit"
    shutil.copytree(example_tree, other)
    settle(example_tree)
    settle(other)
    state = tmp_path / "state"
    scan(example_tree, state)
    scan(other, state)
    before = rows(state)
    pdfs = sorted(p for p in example_tree.rglob("*.pdf") if str(p) in before)
    deleted, renamed = pdfs[0], pdfs[1]
    folder = next(p.parent for p in pdfs[2:] if p.parent not in (deleted.parent, renamed.parent))
    inside = [str(p) for p in pdfs if p.parent == folder]
    below = [p for p in pdfs if folder in p.parents and p.parent != folder]
    kept = [str(p) for p in pdfs[2:] if p.parent != folder and folder not in p.parents]
    deleted.unlink()
    renamed.rename(renamed.with_name("Salinan " + renamed.name))
    shutil.rmtree(folder)
    settle(example_tree)

    scan(example_tree, state)
    after = rows(state)
    assert str(deleted) not in after and str(renamed) not in after
    assert inside and not set(inside) & after
    assert not {str(p) for p in below} & after  # its subfolders went with it
    assert str(renamed.with_name("Salinan " + renamed.name)) in after
    assert set(kept) <= after
    assert {r for r in before if r.startswith(f"{other}/")} <= after  # another root's


def test_nothing_is_forgotten_when_a_folder_could_not_be_read(
    example_tree: Path, tmp_path: Path
) -> None:
    """A folder the scan could not read is not gone: its files' verdicts stay, so that they
    are not opened again (on a Drive mount, downloaded again) once it can be read."""
    settle(example_tree)
    state = tmp_path / "state"
    scan(example_tree, state)
    pdfs = sorted(p for p in example_tree.rglob("*.pdf") if str(p) in rows(state))
    locked = pdfs[0].parent
    inside = {str(p) for p in pdfs if p.parent == locked}
    next(p for p in pdfs if p.parent != locked).unlink()  # a folder listed again elsewhere
    settle(example_tree)
    os.chmod(locked, 0o000)
    try:
        command = [sys.executable, "-m", "zi_audit", "scan", str(example_tree), "--no-config"]
        command += ["--as-of", "2025-11-15", "--format", "json", "--state", str(state)]
        if is_root():  # root reads everything: scan as root without the right to
            setpriv = shutil.which("setpriv")
            assert setpriv, "setpriv (util-linux) is needed to test permissions as root"
            command = [setpriv, *DROP_DAC, *command]
        env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
        done = subprocess.run(command, capture_output=True, text=True, env=env)
        assert done.returncode == 6, done.stderr  # partial: a folder could not be read
    finally:
        os.chmod(locked, 0o755)
    assert inside and inside <= rows(state)
