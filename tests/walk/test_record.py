"""A folder's record (walk/record.py): the memo's names kept as one block, split only
where they are read one by one."""

from __future__ import annotations

from zi_audit.walk.record import FolderRecord, Names, joined


def test_a_block_is_counted_and_joined_without_being_split() -> None:
    names = Names("a.pdf\0b.txt\0c d.jpg")
    assert len(names) == 3
    assert (
        names.joined("\n") == "a.pdf\nb.txt\nc d.jpg" and joined(names, "") == "a.pdfb.txtc d.jpg"
    )
    assert not names.split
    assert list(names) == ["a.pdf", "b.txt", "c d.jpg"] and not names.split  # read, not kept
    assert names[1] == "b.txt" and names.split
    assert "c d.jpg" in names and "c" not in names
    assert names == ["a.pdf", "b.txt", "c d.jpg"]
    assert ["a.pdf", "b.txt", "c d.jpg"] == names  # noqa: SIM300 (the list asks the block)
    assert names != ["a.pdf"] and names != "a.pdf\0b.txt\0c d.jpg"
    empty = Names("")
    assert len(empty) == 0 and list(empty) == [] and empty.joined("/") == "" and empty == []


def test_names_kept_apart_are_merged_in_the_walks_order() -> None:
    """A memo row's matched names live in its hits: merged back, sorted as the walk sorts
    a folder's names, and counted without being merged."""
    names = Names("b.txt\0d.txt", {"c.pdf": [0], "a.pdf": [1]})
    assert len(names) == 4 and not names.split
    assert list(names) == ["a.pdf", "b.txt", "c.pdf", "d.txt"]
    assert names.joined(",") == "a.pdf,b.txt,c.pdf,d.txt"
    assert len(Names("", {"a.pdf": [0]})) == 1


def test_a_records_unmatched_names_are_its_files_less_its_hits() -> None:
    listed = FolderRecord(1, 2, 3, 4, [], ["a.pdf", "b.txt", "c.pdf"], {"a.pdf": [0], "c.pdf": [2]})
    assert listed.unmatched() == ["b.txt"]
    plain = FolderRecord(1, 2, 3, 4, [], ["x.txt"])
    assert plain.unmatched() is plain.files
    # The block a memo row keeps is handed on as it is; the record equals the listed one.
    rest = Names("b.txt")
    kept = FolderRecord(1, 2, 3, 4, [], Names("b.txt", listed.hits), listed.hits, rest=rest)
    assert kept.unmatched() is rest and kept == listed
