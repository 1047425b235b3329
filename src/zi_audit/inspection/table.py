"""The facts of one scan's matched files, decoded only when something reads them.

A nightly rescan of a large share finds 18,000 matched files unchanged; their verdicts
come from the cache as stored text, and where their indicators are kept from the last
scan (state/results.py) nothing ever reads them. Decoding every one cost a third of such a
rescan, so a verdict stays text until it is asked for, and its text (its `stamp`) is what
an indicator's key is made of: the same text, the same facts.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping

from zi_audit.core.facts import FileFacts, facts_from_json, facts_to_json


class DamagedFacts(LookupError):
    """A stored verdict that no longer decodes: the file must be judged again."""


class FactsTable(Mapping[str, FileFacts]):
    """Facts by root-relative path: decoded ones, and stored text not decoded yet."""

    def __init__(self) -> None:
        self._facts: dict[str, FileFacts] = {}
        self._text: dict[str, tuple[str, int, float]] = {}  # rel -> (stored text, size, mtime)
        self._stamps: dict[str, str] = {}  # stored text of the decoded ones that had it
        self.decoded = 0  # stored verdicts decoded by this scan (tests count them)

    def put(self, rel: str, facts: FileFacts) -> None:
        self._facts[rel] = facts
        self._text.pop(rel, None)
        self._stamps.pop(rel, None)

    def put_text(self, rel: str, text: str, size: int, mtime: float) -> None:
        self._text[rel] = (text, size, mtime)
        self._facts.pop(rel, None)

    def __getitem__(self, rel: str) -> FileFacts:
        found = self._facts.get(rel)
        if found is not None:
            return found
        text, size, mtime = self._text[rel]  # KeyError: not a matched file of this scan
        try:
            facts = facts_from_json(text, size, mtime)
        except (ValueError, KeyError, TypeError):
            raise DamagedFacts(rel) from None
        del self._text[rel]
        self._facts[rel] = facts
        self._stamps[rel] = text
        self.decoded += 1
        return facts

    def merge(self, other: FactsTable) -> None:
        """Take another table's facts (a look-up made after the walk), as they are there:
        stored text stays text."""
        for rel, row in other._text.items():
            self._text[rel] = row
            self._facts.pop(rel, None)
        for rel, facts in other._facts.items():
            self.put(rel, facts)
            if rel in other._stamps:
                self._stamps[rel] = other._stamps[rel]

    def release(self, keep: Collection[str]) -> None:
        """Forget the stored text of every file not in `keep`: the indicators they serve
        were kept whole, and their verdicts are not read again this scan."""
        self._text = {rel: row for rel, row in self._text.items() if rel in keep}

    def decode(self, rels: Iterable[str]) -> list[str]:
        """Decode these now; the ones whose stored text is damaged (to be judged again)."""
        damaged = []
        for rel in rels:
            try:
                self[rel]
            except DamagedFacts:
                damaged.append(rel)
        return damaged

    def stamp(self, rel: str) -> str:
        """What the facts were read from, as text: equal stamps, equal facts. A verdict
        judged this run gives the text the cache stores, so the next run's stamp is the same."""
        if rel in self._text:
            text, size, mtime = self._text[rel]
        elif rel in self._stamps:
            facts = self._facts[rel]
            text, size, mtime = self._stamps[rel], facts.size, facts.mtime
        else:  # judged this run: written out once, asked for before and after evaluating
            facts = self._facts[rel]
            text, size, mtime = facts_to_json(facts), facts.size, facts.mtime
            self._stamps[rel] = text
        return f"{size} {mtime!r} {text}"

    def __iter__(self) -> Iterator[str]:
        yield from self._facts
        yield from self._text

    def __len__(self) -> int:
        return len(self._facts) + len(self._text)

    def __contains__(self, rel: object) -> bool:
        return rel in self._facts or rel in self._text


def as_table(facts: Mapping[str, FileFacts]) -> FactsTable:
    """Facts an inspector gave as a plain mapping (tests, explain), as a table."""
    if isinstance(facts, FactsTable):
        return facts
    table = FactsTable()
    for rel, f in facts.items():
        table.put(rel, f)
    return table
