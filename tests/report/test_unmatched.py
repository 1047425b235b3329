"""The unmatched list as STATE/unmatched.txt holds it: every path, one a line, escaped."""

from __future__ import annotations

import os

from zi_audit.evaluate.model import FolderPaths
from zi_audit.report.unmatched import unmatched_lines
from zi_audit.util.textnorm import display


def test_every_path_a_line_plain_folders_whole_hostile_names_escaped() -> None:
    paths = FolderPaths()
    paths.add("Foto/", [f"IMG_{n:05d}.jpg" for n in range(5000)])
    hostile = ["baris\nbaru.pdf", "esc\x1b[31m.pdf", os.fsdecode(b"\xff\xfe.pdf"), "Kopi é.pdf"]
    paths.add("Arsip 2025/", hostile)
    paths.add("", ["catatan.txt"])
    text = "".join(unmatched_lines(paths, batch=1000))
    assert text.splitlines() == [display(p) for p in paths]
    assert len(text.splitlines()) == 5005 and text.endswith("\n")
    assert "Arsip 2025/baris\\nbaru.pdf" in text and "\\xff\\xfe.pdf" in text
    assert "Arsip 2025/Kopi é.pdf" in text and "\x1b" not in text


def test_in_pieces_of_about_a_batch() -> None:
    paths = FolderPaths()
    for n in range(10):
        paths.add(f"F{n}/", [f"{i}.txt" for i in range(300)])
    pieces = list(unmatched_lines(paths, batch=1000))
    assert len(pieces) == 3 and all(p.endswith("\n") for p in pieces)
    plain = list(unmatched_lines(list(paths), batch=1000))
    assert "".join(plain) == "".join(pieces) and len(plain) == 3
