"""The tree walk on real directories: clutter, ignore files, links, odd names, failures."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import is_root, write_tree
from zi_audit.walk.ignore import IgnoreRules
from zi_audit.walk.walker import Walker


def listing(root: Path, ignore: IgnoreRules | None = None) -> tuple[list[str], Walker]:
    walker = Walker(root, ignore)
    files = [f"{f.rel}/{name}" if f.rel else name for f in walker.walk() for name in f.files]
    return sorted(files), walker


CLUTTER = [
    "~$Notulen.docx",
    ".~lock.Rekap.xlsx#",
    "Thumbs.db",
    "desktop.ini",
    ".DS_Store",
    "._SK TIM ZI.pdf",
    "@eaDir/SK.pdf/SYNOFILE_THUMB_M.jpg",
    "#recycle/SK lama.pdf",
    "@Recycle/SK lama.pdf",
    ".@__thumb/s100.jpg",
    "$RECYCLE.BIN/S-1-5-21/$R1.pdf",
    "System Volume Information/x",
    ".Trash-1000/files/SK.pdf",
    ".Trashes/501/SK.pdf",
    "Undangan.pdf.crdownload",
    "Undangan.pdf.part",
    "Scan.pdf.partial",
    ".tmp.drivedownload/123",
    ".git/HEAD",
    ".svn/entries",
    ".zi-auditignore",
]


def test_clutter_is_never_listed(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {**dict.fromkeys(CLUTTER, "x"), "SK TIM ZI.pdf": "x"})
    files, walker = listing(root)
    assert files == ["SK TIM ZI.pdf"]
    assert walker.problems == []


def test_ignore_file_in_gitignore_syntax(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            ".zi-auditignore": "# arsip lama\nArsip 2023/\n*.bak\n!penting.bak\n",
            "Arsip 2023/SK.pdf": "x",
            "a/SK.pdf.bak": "x",
            "a/penting.bak": "x",
            "a/SK.pdf": "x",
        },
    )
    files, _ = listing(root, IgnoreRules.for_root(root))
    assert files == ["a/SK.pdf", "a/penting.bak"]


def test_symlinks_never_lead_out_or_round_a_loop(tmp_path: Path) -> None:
    outside = write_tree(tmp_path / "outside", {"rahasia.pdf": "x"})
    root = write_tree(tmp_path / "share", {"a/SK.pdf": "x"})
    (root / "a" / "loop").symlink_to(root)
    (root / "a" / "self").symlink_to(root / "a")
    (root / "keluar").symlink_to(outside)
    (root / "keluar.pdf").symlink_to(outside / "rahasia.pdf")
    (root / "dalam.pdf").symlink_to(root / "a" / "SK.pdf")
    (root / "rusak.pdf").symlink_to(root / "tidak-ada.pdf")
    files, walker = listing(root)
    assert files == ["a/SK.pdf", "dalam.pdf"]
    codes = sorted((p.path, p.code) for p in walker.problems)
    assert codes == [
        ("a/loop", "link_folder"),
        ("a/self", "link_folder"),
        ("keluar", "link_outside"),
        ("keluar.pdf", "link_outside"),
        ("rusak.pdf", "link_broken"),
    ]


@pytest.mark.skipif(sys.platform != "linux", reason="raw bytes in names are a POSIX matter")
def test_names_that_are_not_utf8_are_kept(tmp_path: Path) -> None:
    root = tmp_path / "share"
    root.mkdir()
    raw = os.fsencode(root) + b"/SK TIM ZI \xff\xfe.pdf"
    with open(raw, "wb") as fh:
        fh.write(b"x")
    files, _ = listing(root)
    assert len(files) == 1
    # The raw name opens the file again.
    assert (root / files[0]).read_bytes() == b"x"


def test_folder_that_vanishes_mid_walk(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"a/SK.pdf": "x", "b/SK.pdf": "x"})
    walker = Walker(root)
    seen = []
    for folder in walker.walk():
        seen.append(folder.rel)
        if folder.rel == "":
            shutil.rmtree(root / "a")  # the share loses a folder between listing and reading it
    assert seen == ["", "b"]
    assert [(p.path, p.code) for p in walker.problems] == [("a", "vanished")]


WALK_AS_USER = """
import json, sys
from pathlib import Path
from zi_audit.walk.walker import Walker
w = Walker(Path(sys.argv[1]))
files = [f"{f.rel}/{n}".lstrip("/") for f in w.walk() for n in f.files]
print(json.dumps({"files": sorted(files), "problems": [[p.path, p.code] for p in w.problems]}))
"""


DROP_DAC = [
    "--inh-caps=-dac_override,-dac_read_search",
    "--bounding-set=-dac_override,-dac_read_search",
]


def test_unreadable_folder_is_reported_and_skipped(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "share", {"terkunci/SK.pdf": "x", "terbuka/SK.pdf": "x"})
    os.chmod(root / "terkunci", 0o000)
    try:
        if is_root():
            # Root reads everything: walk in a child that keeps uid 0 but loses the
            # capabilities that bypass file permissions, as a plain user would be.
            setpriv = shutil.which("setpriv")
            assert setpriv, "setpriv (util-linux) is needed to test permissions as root"
            src = str(Path(__file__).resolve().parents[2] / "src")
            proc = subprocess.run(
                [setpriv, *DROP_DAC, sys.executable, "-c", WALK_AS_USER, str(root)],
                capture_output=True,
                text=True,
                env={**os.environ, "PYTHONPATH": src},
                check=True,
            )
            result = json.loads(proc.stdout)
            files, problems = result["files"], [tuple(p) for p in result["problems"]]
        else:
            files, walker = listing(root)
            problems = [(p.path, p.code) for p in walker.problems]
        assert files == ["terbuka/SK.pdf"]
        assert problems == [("terkunci", "unreadable")]
    finally:
        os.chmod(root / "terkunci", 0o755)
