"""Where a file that matches no evidence probably belongs: one move away from counting.

Words of the file's name and folders are compared with the words of every evidence
item's name and patterns (allowing one typo, as folder recognition does) through an
index of those words, so the cost grows with the file's words, not with the rules.
"""

from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple

from zi_audit.rules.model import Evidence, RuleSet
from zi_audit.rules.patterns import compile_pattern
from zi_audit.util.months import MONTH_BY_NAME
from zi_audit.util.textnorm import extension, fold, similarity
from zi_audit.util.words import FILE_NOISE, FUNCTION, REGION, unit_words

THRESHOLD = 0.5
# Filed in an indicator's own folder counts as much as half the words agreeing.
HOME_BONUS = 0.5


class Suggestion(NamedTuple):
    indicator: str
    evidence: Evidence
    score: float


_STOP = FUNCTION | REGION | FILE_NOISE | frozenset(["tahun"])


class Suggester:
    def __init__(self, rules: RuleSet) -> None:
        self.stop = _STOP | unit_words(rules.unit)
        self.items = list(rules.evidence())
        self.words = [
            sorted(
                set(self._words(" ".join((e.name, *e.patterns, *e.in_folder)).replace("*", " ")))
            )
            for e in self.items
        ]
        self.excludes = [[compile_pattern(p) for p in e.exclude] for e in self.items]
        self.index: dict[str, set[int]] = defaultdict(set)
        self.of_indicator: dict[str, list[int]] = defaultdict(list)
        for n, words in enumerate(self.words):
            self.of_indicator[self.items[n].indicator].append(n)
            for w in words:
                self.index[w[:4]].add(n)

    def suggest(self, relpath: str, home: str | None = None) -> Suggestion | None:
        """`home`: the indicator whose folder the file sits in. A file filed there is
        most likely meant for it, unless its name clearly says another item's words."""
        name = relpath.rpartition("/")[2].rpartition(".")[0] or relpath
        words = self._words(name)
        if not words and home is None:
            return None
        folder_words = self._words(relpath.rpartition("/")[0])
        ext = extension(relpath)
        folded = "/".join(fold(part) for part in relpath.split("/"))
        candidates: set[int] = set(self.of_indicator.get(home, ())) if home else set()
        for w in words:
            candidates |= self.index.get(w[:4], set())
        # Never an item that would refuse the file (its type, its exclusions), and the
        # folder the file sits in first: filed under an indicator, it is most likely its.
        candidates = {n for n in candidates if self._accepts(n, ext, folded)}
        at_home = {n for n in candidates if home is not None and self.items[n].indicator == home}
        best: tuple[float, int] | None = None
        for n in sorted(at_home or candidates):
            score = similarity(words, self.words[n]) if words else 0.0
            if home is not None and self.items[n].indicator == home:
                score += HOME_BONUS
            if folder_words:
                score += 0.25 * similarity(folder_words, self.words[n])
            score += 0.01 * similarity(self.words[n], words)  # ties: the item best covered
            if best is None or score > best[0]:
                best = (score, n)
        if best is None or best[0] < THRESHOLD:
            return None
        item = self.items[best[1]]
        return Suggestion(item.indicator, item, round(min(best[0], 1.0), 2))

    def _accepts(self, n: int, ext: str, folded: str) -> bool:
        item = self.items[n]
        return ext in item.types and not any(p.search(folded) for p in self.excludes[n])

    def _words(self, text: str) -> list[str]:
        """Content words: no numbers, months, filler or the unit's name (a date says when,
        not what)."""
        return [
            w
            for w in fold(text).split()
            if len(w) > 2 and not w.isdigit() and w not in self.stop and w not in MONTH_BY_NAME
        ]
