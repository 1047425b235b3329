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


def fold_path(relpath: str) -> str:
    """Fold each segment of a `/`-separated path, keeping the `/` between them."""
    return "/".join(fold(part) for part in relpath.split("/"))


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
