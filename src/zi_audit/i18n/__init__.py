"""User-facing words in Bahasa Indonesia (default) and English.

One catalog per language, one file each (i18n/words_id.py, i18n/words_en.py), so a translator edits
one file, and a test checks that both languages define the same keys.
"""

from __future__ import annotations

from zi_audit.i18n import words_en, words_id

LANGS = ("id", "en")

CATALOG: dict[str, dict[str, str]] = {"id": words_id.WORDS, "en": words_en.WORDS}


def t(key: str, lang: str = "id", **values: object) -> str:
    text = CATALOG.get(lang, CATALOG["id"]).get(key) or CATALOG["id"].get(key, key)
    return text.format(**values) if values else text


def problem(code: str, lang: str = "id") -> str:
    """A problem code in words. A code may carry what it is about after a colon
    (`words_missing:tim kerja`, `other_year:2024`), said in the sentence."""
    name, _, arg = code.partition(":")
    return t(f"problem.{name}", lang, arg=arg) if arg else t(f"problem.{name}", lang)
