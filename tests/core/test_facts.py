"""What a file's facts hold (core/facts.py): its codes one object each, however many files."""

from __future__ import annotations

from zi_audit.core.facts import codes


def test_codes_are_one_tuple_per_set_of_them() -> None:
    """A watch holds every matched file's facts: 18,000 files saying `corrupt` hold one
    tuple between them, not 18,000 (equal sets, built apart, come back as one object)."""
    first = codes(["corrupt", "text_unread"])
    again = codes(["corrupt".upper().lower(), "text_" + "unread"])
    assert first == again == ("corrupt", "text_unread")
    assert first is again
    assert codes([]) == ()
    assert codes(["signed"]) is not first
