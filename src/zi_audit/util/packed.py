"""Long lists packed as strings, for the JSON files of the state directory.

A kept report's header lists every folder walked and every matched file, with three
numbers each (state/seal.py): as JSON lists, 55,000 numbers and 21,000 strings were most
of the time a header took to write and half of reading it. Packed, JSON reads and
writes a few long strings.
"""

from __future__ import annotations

import base64
from array import array
from collections.abc import Sequence


def pack_stamps(numbers: Sequence[int]) -> str:
    """(identity or size, mtime, ctime) triples, flat, as one base64 string: 55,000
    numbers as JSON were most of the time a header took to write and half of reading it.
    The first of each is unsigned (an inode may pass 2**63), the times signed (before
    1970); this machine's byte order, as the state directory is this machine's."""
    data = array("Q", numbers[0::3]).tobytes()
    data += array("q", numbers[1::3]).tobytes() + array("q", numbers[2::3]).tobytes()
    return base64.b64encode(data).decode("ascii")


def unpack_stamps(text: str) -> list[int]:
    """`pack_stamps`'s numbers (ValueError: not such a string)."""
    data = base64.b64decode(text, validate=True)
    n, rest = divmod(len(data), 24)
    if rest:
        raise ValueError("not stamps")
    out = [0] * (3 * n)
    out[0::3] = array("Q", data[: 8 * n]).tolist()
    out[1::3] = array("q", data[8 * n : 16 * n]).tolist()
    out[2::3] = array("q", data[16 * n :]).tolist()
    return out


def pack_names(names: Sequence[str], sep: str) -> str:
    """Names as one string, each after `sep`, a character none holds: "/" for a file's
    name, NUL for a folder's path."""
    return sep + sep.join(names) if names else ""


def unpack_names(text: str, sep: str) -> list[str]:
    return text.split(sep)[1:]
