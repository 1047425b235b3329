"""Folding of names for matching and safe display of names for reports.

Shares hold names typed on Windows, macOS (NFD), phones and scanners; we compare
them after one folding so that `SK TIM ZI (1) - Copy.PDF`, `sk_tim_zi.pdf` and a
macOS `Pakta Integritás` all look alike to the patterns. The raw name is kept for
opening the file; `display()` is the only form that reaches a report.
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")
_SURROGATES = re.compile(r"[\ud800-\udfff]")


def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form: lowercase words joined by one space."""
    if not text.isascii():
        text = _SURROGATES.sub(" ", text)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", text.casefold()).strip()


def extension(name: str) -> str:
    """A file name's type as rules name it: the part after the last dot, lower case."""
    return name.rpartition(".")[2].lower() if "." in name else ""


def compat(text: str) -> str:
    """Compatibility forms folded (fullwidth digits and slashes, ligatures) and case folded,
    punctuation and accents kept: the form dates and numbers in names are read from."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return text.casefold()


def display(name: str) -> str:
    """A name as it may be shown: undecodable bytes as `\\xNN`, control characters escaped.

    Names come from the share and may hold newlines, escape sequences or bytes that
    are not UTF-8 (docs/json-report.md); they must never break a
    terminal line, a report or an email header.
    """
    if not name.isascii() or not name.isprintable():
        name = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        name = "".join(
            ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii")
            for ch in name
        )
    return name


def _close(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) >= 3 and (a.startswith(b) or b.startswith(a)):
        return True
    if min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 1:
        return False
    return _one_edit(a, b)


def _one_edit(a: str, b: str) -> bool:
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


def similarity(folder_words: list[str], target_words: list[str]) -> float:
    """Share of a folder's words found (allowing one typo) among a target's words."""
    if not folder_words:
        return 0.0
    hits = sum(1 for w in folder_words if any(_close(w, t) for t in target_words))
    return hits / len(folder_words)
