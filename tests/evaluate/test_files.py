"""A matched file's date from its name and folders (evaluate/files.py), made once per path
and per folder, in memos that hold no copy of the path and never grow without end."""

from __future__ import annotations

import datetime as dt

import pytest

from zi_audit.core.facts import FileFacts
from zi_audit.evaluate import files

FACTS = FileFacts(1, 0.0)


def test_a_date_from_the_name_then_from_the_nearest_folder() -> None:
    named = files.document_date("Rapat/Notulen 2025-09-03.pdf", FACTS, 2025)
    foldered = files.document_date("Agustus 2025/Kegiatan 1/foto.pdf", FACTS, 2025)
    assert (named.source, named.period.start) == ("filename", dt.date(2025, 9, 3))
    assert (foldered.source, foldered.period.start) == ("folder", dt.date(2025, 8, 1))
    again = files.document_date("Agustus 2025/Kegiatan 1/foto.pdf", FACTS, 2025)
    assert again == foldered  # from the memo, the same


def test_the_memo_holds_the_path_it_was_given() -> None:
    """Keyed by the path the walk holds already: no second string per file (a name cut
    from the path was 1.5 MB of a watch on the bench share)."""
    path = "".join(["Kegiatan 9/", "Undangan 2025-10-01.pdf"])  # made here, not a constant
    files.document_date(path, FACTS, 2025)
    held = files._dates(2025).files
    assert next(key for key in held if key == path) is path


def test_a_memo_starts_again_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    """A watch that runs for months meets new names without end: a memo holds LIMIT."""
    monkeypatch.setattr(files, "LIMIT", 10)
    memo: files._Memo[int] = files._Memo(len)
    for n in range(25):
        assert memo[f"name {n:02d}"] == 7
        assert len(memo) <= 10
