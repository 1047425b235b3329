"""Roman numerals, as plans, LKE layouts and periods write them ("AREA III", "Triwulan IV",
"ii. Penataan …"): one table for reading and writing them."""

from __future__ import annotations

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}
_BY_VALUE = {v: k.upper() for k, v in ROMAN.items()}


def roman(n: int) -> str:
    """1 -> "I" … 10 -> "X" (plans never number further)."""
    return _BY_VALUE[n]
