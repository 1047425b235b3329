"""Lists packed as strings for the state directory's JSON (util/packed.py): read back as
written, whatever the numbers and names, and a string that is not one is an error."""

from __future__ import annotations

import pytest

from zi_audit.util.packed import pack_names, pack_stamps, unpack_names, unpack_stamps


def test_stamps_read_back_as_written() -> None:
    stamps = [
        2**64 - 1, -(2**63), 2**63 - 1,  # an inode past 2**63; times before 1970 and far on
        0, 1_733_000_000_123_456_789, 1_733_000_000_987_654_321,
        18, -5, 0,
    ]  # fmt: skip
    assert unpack_stamps(pack_stamps(stamps)) == stamps
    assert unpack_stamps(pack_stamps([])) == []


@pytest.mark.parametrize("text", ["not base64!", "AAAA", "A" * 31])
def test_a_string_that_is_not_stamps_is_an_error(text: str) -> None:
    with pytest.raises(ValueError):
        unpack_stamps(text)


def test_a_number_that_is_no_stamp_is_not_packed() -> None:
    with pytest.raises(OverflowError):
        pack_stamps([-1, 0, 0])  # an inode is never negative


@pytest.mark.parametrize("sep", ["/", "\0"])
def test_names_read_back_as_written(sep: str) -> None:
    for names in ([], [""], ["", "a b", "Ujian ☺ (1).pdf"], ["x"]):
        if sep == "/" and "" in names:
            continue  # a file's name is never empty; a folder's path is (the root)
        assert unpack_names(pack_names(names, sep), sep) == names
