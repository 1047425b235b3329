"""Evidence patterns: words in order, `*` for anything within one name, `/` between folders.

A pattern is folded like the paths it is matched against (see textnorm), so
`SK Tim*ZI` finds `SK_TIM_KERJA_ZI_2025 (1).pdf`. It matches at word boundaries
anywhere in the file's path relative to the root: a folder named after the
evidence (`Tagline Budaya Kerja/`) covers the files inside it.

Each pattern also yields one index key (a whole word, or the first letters of a
word) so that a file is tested only against the patterns whose key its name holds;
the cost per file stays flat as rule files grow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from zi_audit.util.textnorm import fold

IndexKey = tuple[str, str]  # ("word", "rekap") | ("prefix", "not") | ("always", "")


class PatternError(ValueError):
    """A pattern that cannot be used, with the reason."""


@dataclass(frozen=True)
class Pattern:
    text: str
    source: str  # the regex, compiled when first matched (`regex`)
    key: IndexKey
    # For the common one-word patterns (`skm*`, `pk`): the word, or its prefix when it ends
    # in `*`. A name token equal to / starting with it is a match, no regex needed.
    word: str | None = None
    prefix: bool = False
    single_segment: bool = True  # no `/`: can only match within one name
    needs: tuple[str, ...] = ()  # its words: a folded text it matches holds each of them

    def matches_token(self, token: str) -> bool:
        assert self.word is not None
        return token.startswith(self.word) if self.prefix else token == self.word

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """Compiled when a name is first tested against it: a rescan whose folders are as
        they were matches no name, and compiling a rule file's 330 patterns was 80% of
        loading it. The source is made of escaped words, so it always compiles."""
        return re.compile(self.source)

    def search(self, folded: str) -> bool:
        """Whether it matches in `folded` (a folded name or path). A text that lacks one
        of its words is told so without the regex: most names a pattern is tried on lack
        one, and a changed night compiled 130 regexes for them (a tenth of its walk)."""
        for word in self.needs:
            if word not in folded:
                return False
        return self.regex.search(folded) is not None

    @property
    def matches_everything(self) -> bool:
        return self.key[0] == "always"


def _segment_regex(segment: str) -> tuple[str, list[tuple[str, bool, bool]]]:
    """Regex for one `/`-free segment, and its words as (word, bounded_left, bounded_right)."""
    pieces = segment.split("*")
    regex: list[str] = []
    words: list[tuple[str, bool, bool]] = []
    for n, piece in enumerate(pieces):
        if n:
            regex.append("[^/]*")
        folded = fold(piece)
        if not folded:
            if piece and n not in (0, len(pieces) - 1):
                regex.append(" ")
            continue
        lead = n > 0 and not piece[:1].isalnum()
        trail = n < len(pieces) - 1 and not piece[-1:].isalnum()
        regex.append((" " if lead else "") + re.escape(folded) + (" " if trail else ""))
        parts = folded.split(" ")
        for i, word in enumerate(parts):
            left = i > 0 or n == 0 or lead
            right = i < len(parts) - 1 or n == len(pieces) - 1 or trail
            words.append((word, left, right))
    return "".join(regex), words


@lru_cache(maxsize=4096)
def compile_pattern(text: str) -> Pattern:
    """A pattern's text, compiled once per process: the loader compiles every pattern to
    check it, and the matcher and the suggestions need them again (3.4 ms of a changed
    night for the bundled rules' 494). A Pattern never changes, so all share one."""
    if "**" in text:
        raise PatternError("'**' is not supported; '*' already spans words within a name")
    segments = [s for s in text.strip().strip("/").split("/")]
    if any(not s.strip() for s in segments):
        raise PatternError("empty folder name between '/'")
    compiled = [_segment_regex(s) for s in segments]
    if not any(words for _, words in compiled):
        if text.strip().strip("*"):
            raise PatternError("it has no letters or digits to match")
        key: IndexKey = ("always", "")
    else:
        key = _index_key(compiled[-1][1])
    body = "/".join(rx for rx, _ in compiled)
    regex = rf"(?:^|(?<=[ /])){body}(?=$|[ /])"
    simple = re.fullmatch(r"\s*([0-9A-Za-z]+)(\*?)\s*", text)
    if simple and len(segments) == 1:
        word = simple[1].casefold()
        return Pattern(text, regex, key, word=word, prefix=bool(simple[2]))
    needs = tuple(dict.fromkeys(w for _, words in compiled for w, _, _ in words if w))
    return Pattern(text, regex, key, single_segment=len(segments) == 1, needs=needs)


def _index_key(words: list[tuple[str, bool, bool]]) -> IndexKey:
    for word, left, right in words:
        if left and right:
            return ("word", word)
    for word, left, _ in words:
        if left:
            return ("prefix", word[:3])
    return ("always", "")
