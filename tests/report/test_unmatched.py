"""The unmatched list as STATE/unmatched.txt holds it: every path, one a line, escaped."""

from __future__ import annotations

import os

from zi_audit.evaluate.model import FolderPaths
from zi_audit.report.unmatched import unmatched_lines
from zi_audit.util.textnorm import display
from zi_audit.walk.record import Names


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
    # The folder memo's blocks (walk/record.py, Names) give the same lines, unsplit.
    blocks = FolderPaths()
    for prefix, names in paths.parts():
        blocks.add(prefix, Names("\0".join(names)))
    assert "".join(unmatched_lines(blocks, batch=1000)) == text
    assert not any(names.split for _, names in blocks.parts())  # type: ignore[attr-defined]


def test_in_pieces_of_about_a_batch() -> None:
    paths = FolderPaths()
    for n in range(10):
        paths.add(f"F{n}/", [f"{i}.txt" for i in range(300)])
    pieces = list(unmatched_lines(paths, batch=1000))
    assert len(pieces) == 3 and all(p.endswith("\n") for p in pieces)
    plain = list(unmatched_lines(list(paths), batch=1000))
    assert "".join(plain) == "".join(pieces) and len(plain) == 3


def test_the_report_keeps_likely_homes_first_in_the_walks_order() -> None:
    """The first UNMATCHED_KEPT: those with a likely home, then the rest, each in the
    walk's order; read from the folders the homes are in (report/unmatched.py `_among`),
    the same as from every path."""
    import datetime as dt

    from zi_audit.evaluate.model import Report
    from zi_audit.report.unmatched import UNMATCHED_KEPT, kept_unmatched
    from zi_audit.rules.loader import load_rules
    from zi_audit.rules.model import bundled_rules_path

    paths = FolderPaths()
    paths.add("", ["catatan.txt", "Arsip/lama/SK lama.pdf"])  # the root's, and added whole
    for n in range(8):
        paths.add(f"F{n}/", [f"{i}.txt" for i in range(300)])
    homes = ["F6/7.txt", "catatan.txt", "F2/299.txt", "Arsip/lama/SK lama.pdf"]
    hint = ("1.1.1", "1.1.1/1", 0.9)
    rules = load_rules(bundled_rules_path())

    def kept(unmatched: list[str] | FolderPaths) -> list[str]:
        report = Report(
            rules,
            "/share",
            dt.date(2025, 11, 15),
            (),
            unmatched=unmatched,
            suggestions={p: hint for p in homes},
        )
        return kept_unmatched(report, False)

    got = kept(paths)
    order = [p for p in paths if p in homes]
    assert (
        got[: len(homes)]
        == order
        == ["catatan.txt", "Arsip/lama/SK lama.pdf", "F2/299.txt", "F6/7.txt"]
    )
    assert len(got) == UNMATCHED_KEPT and got[len(homes)] == "F0/0.txt"
    assert got == kept(list(paths))
