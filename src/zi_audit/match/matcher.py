"""Which evidence items a file on the share can serve.

Work is done once per folder (its folded path, its layout context, the patterns
its own name satisfies) and then per file only for the file's own name, using
the patterns' index keys. A 100,000-file walk thus pays a dictionary lookup per
word of each name, not a regex per pattern.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from zi_audit.match.layout import ROOT, Context, Layout, split_numbering
from zi_audit.rules.model import Evidence, RuleSet
from zi_audit.rules.patterns import Pattern, compile_pattern
from zi_audit.util.textnorm import extension, fold, similarity
from zi_audit.walk.record import FolderRecord


class _Entry(NamedTuple):
    pattern: Pattern
    item: int  # index into Matcher.items
    in_folder: bool


_NOTHING: tuple[frozenset[tuple[int, bool]], tuple[_Entry, ...]] = (frozenset(), ())


@dataclass
class DirState:
    rel: str
    folded: str
    context: Context
    hits: frozenset[tuple[int, bool]] = field(default_factory=frozenset)
    # (item, owner) pairs a folder's name matched but could not lend: the folder is owner's
    blocked: frozenset[tuple[int, str]] = field(default_factory=frozenset)
    tie: tuple[str, ...] = ()  # ids the folder's name matched equally well


def place_of(state: DirState) -> tuple[str, ...]:
    """What a walk needs of a folder's state once its names are matched: its component,
    area and indicator ids ("" for none), then the ids its name matched equally well."""
    c = state.context
    return (c.component or "", c.area or "", c.indicator or "", *state.tie)


class Matcher:
    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self.layout = Layout(rules)
        self.items: list[Evidence] = list(rules.evidence())
        self.index = {e.key: n for n, e in enumerate(self.items)}  # item key -> number
        self._of_indicator: dict[str, list[int]] = {}
        for n, e in enumerate(self.items):
            self._of_indicator.setdefault(e.indicator, []).append(n)
        self._excludes: list[list[Pattern]] = [
            [compile_pattern(p) for p in e.exclude] for e in self.items
        ]
        self._words: dict[str, list[_Entry]] = defaultdict(list)
        self._prefixes: dict[str, list[_Entry]] = defaultdict(list)
        self._always: list[_Entry] = []
        for n, item in enumerate(self.items):
            for texts, in_folder in ((item.patterns, False), (item.in_folder, True)):
                for text in texts:
                    self._index(_Entry(compile_pattern(text), n, in_folder))
        self._prefix_lengths = sorted({len(k) for k in self._prefixes})
        self._types = frozenset().union(*(e.types for e in self.items))
        self._memo: dict[str, tuple[frozenset[tuple[int, bool]], tuple[_Entry, ...]]] = {}
        self._digit_keys = any(k[:1].isdigit() for k in (*self._words, *self._prefixes))
        self._dirs: dict[str, DirState] = {}
        # One list per set of items a name serves, shared by every name that serves them
        # (never changed once made): a watch holds 19,000 names' on the bench share.
        self._shared: dict[tuple[int, ...], list[int]] = {}
        # First folder seen for each component / area / indicator: where gaps point.
        self.folders: dict[str, str] = {}
        self.ties: dict[str, tuple[str, ...]] = {}  # folder -> ids its name matched equally
        self.new_walk()

    def new_walk(self) -> None:
        """Start a walk: which folders stand for which ids is learnt again, in walk order.
        A folder's state depends only on its path, so states are kept for the next walk
        (a watch update enters 3,000 folders); past a bound, they are forgotten."""
        if not self._dirs or len(self._dirs) > 200_000:
            self._dirs = {"": DirState("", "", ROOT)}
        self.folders = {}
        self.ties = {}
        self.located = 0  # folders whose state this walk worked out (tests count them)

    def _index(self, entry: _Entry) -> None:
        kind, value = entry.pattern.key
        if kind == "word":
            self._words[value].append(entry)
        elif kind == "prefix":
            self._prefixes[value].append(entry)
        else:
            self._always.append(entry)

    def _token(self, token: str) -> tuple[frozenset[tuple[int, bool]], tuple[_Entry, ...]]:
        """What the index says of one word of a name: hits settled without a regex
        (one-word patterns), and the patterns whose regex must still be tried.
        Memoised: the same words (`img`, `foto`, `rapat`, `pdf`) recur across a share."""
        known = self._memo.get(token)
        if known is not None:
            return known
        if token.isdigit() and not self._digit_keys:
            return _NOTHING  # numbers in names (IMG_0042, 000123) lead to no pattern
        settled: set[tuple[int, bool]] = set()
        pending: list[_Entry] = []
        found = list(self._words.get(token, ()))
        for k in self._prefix_lengths:
            if len(token) >= k:
                found.extend(self._prefixes.get(token[:k], ()))
        for e in found:
            p = e.pattern
            if p.word is None:
                pending.append(e)
            elif p.matches_token(token):
                settled.add((e.item, e.in_folder))
        known = (frozenset(settled), tuple(pending)) if settled or pending else _NOTHING
        if len(self._memo) > 100_000:
            self._memo.clear()  # unique words (numbers, hashes) must not grow it without end
        self._memo[token] = known
        return known

    def _hits(self, folded_name: str, folded_path: str) -> set[tuple[int, bool]]:
        """Patterns that match a path ending in `folded_name` there, found through the index.

        A one-segment pattern can only newly match within this name (matches in parent
        folders were found when they were entered), so only the name is searched.
        """
        hits: set[tuple[int, bool]] = set()
        for token in set(folded_name.split(" ")):
            settled, pending = self._token(token)
            hits |= settled
            for e in pending:
                p = e.pattern
                if p.search(folded_name if p.single_segment else folded_path):
                    hits.add((e.item, e.in_folder))
        for e in self._always:
            p = e.pattern
            if p.search(folded_name if p.single_segment else folded_path):
                hits.add((e.item, e.in_folder))
        return hits

    def enter_dir(self, rel: str) -> DirState:
        """State of folder `rel` (root-relative, `/`-separated); parents must be entered first."""
        state = self._dirs.get(rel)
        if state is None:
            # Ancestors first, top down, in a loop: a path 2,000 folders deep must not
            # recurse 2,000 calls (explain reaches here without the walk's order).
            parts = rel.split("/")
            known = len(parts) - 1
            while known > 0 and "/".join(parts[:known]) not in self._dirs:
                known -= 1
            for depth in range(known + 1, len(parts)):
                self.enter_dir("/".join(parts[:depth]))
            state = self._state(rel)
            self._dirs[rel] = state
        self.enter_placed(rel, place_of(state))
        return state

    def enter_placed(self, rel: str, place: tuple[str, ...]) -> None:
        """Take in a folder the last walk placed (`place_of` its state) without working its
        state out again: a nightly rescan takes 3,000 unchanged folders from the memo, and
        their names' matches with them."""
        for ident in place[:3]:
            if ident and ident not in self.folders:
                self.folders[ident] = rel
        if len(place) > 3:
            self.ties[rel] = place[3:]

    def _state(self, rel: str) -> DirState:
        self.located += 1
        parent_rel, _, name = rel.rpartition("/")
        parent = self.enter_dir(parent_rel)
        folded_name = fold(name)
        folded = f"{parent.folded}/{folded_name}" if parent.folded or parent_rel else folded_name
        self.layout.last_tie = ()
        context = self.layout.locate(parent.context, name)
        tie = self.layout.last_tie if self.layout.last_tie and context == parent.context else ()
        own = self._hits(folded_name, folded)
        blocked = parent.blocked
        owner = owned_by(parent.context, context)
        if owner is not None:
            # A folder the layout places as indicator X's (or area A's, component C's)
            # belongs to it: its name lends itself to X's items only. Items of other
            # indicators may still claim its files through the files' own names.
            foreign = {h for h in own if not _belongs(self.items[h[0]].indicator, owner)}
            if foreign:
                own -= foreign
                blocked = blocked | {(n, owner) for n, _ in foreign}
        hits = parent.hits | own
        return DirState(rel, folded, context, frozenset(hits), blocked, tie)

    def _name_hits(self, state: DirState, name: str) -> tuple[str, str, set[tuple[int, bool]]]:
        """The name's extension, its folded path, and every (item, in_folder) its folder or
        its own name matches."""
        ext = extension(name)
        folded_name = fold(name)
        folded = f"{state.folded}/{folded_name}" if state.folded else folded_name
        return ext, folded, set(state.hits) | self._hits(folded_name, folded)

    def _verdict(
        self, n: int, ext: str, folded: str, hits: set[tuple[int, bool]], place: _Place
    ) -> str:
        """The one decision whether item `n` counts a file: `match`, or why not (`type`,
        `folder`: a generic name outside its folder, `excluded`). Scan and explain both
        ask here, so they cannot disagree."""
        item = self.items[n]
        if ext not in item.types:
            return "type"
        if (n, False) not in hits and not in_own_folder(place.context(), item.indicator):
            return "folder"
        if any(p.search(folded) for p in self._excludes[n]):
            return "excluded"
        return "match"

    def match_listed(self, state: DirState, record: FolderRecord, old: FolderRecord | None) -> int:
        """Fill a freshly listed folder's matches: names the last scan saw in this folder
        keep their answers (a match depends only on the path and the rules); new names are
        matched. Returns how many were."""
        known = set(old.files) if old is not None else set()
        n = 0
        for name in record.files:
            if name in known:
                assert old is not None
                if name in old.hits:
                    record.hits[name] = old.hits[name]
                if name in old.conflicts:
                    record.conflicts[name] = old.conflicts[name]
                continue
            n += 1
            if name[:1].isdigit():  # `1.i.a …`: does the name's id fit its folder?
                conflict = self.layout.conflict(state.context, name)
                if conflict is not None:  # the folder wins; say so
                    record.conflicts[name] = " → ".join(conflict)
            found = self.match_file(state, name)
            if found:
                hit = [self.index[e.key] for e in found]
                record.hits[name] = self._shared.setdefault(tuple(hit), hit)
        return n

    def match_file(self, state: DirState, name: str) -> list[Evidence]:
        """Evidence items this file can serve, given the folder it is in."""
        ext = extension(name)
        if ext not in self._types:
            return []  # no item accepts this type: skip the name entirely
        ext, folded, hits = self._name_hits(state, name)
        if not hits and not name[:1].isdigit():
            return []
        place = _Place(self.layout, state.context, name)
        found = [
            n
            for n in sorted({n for n, _ in hits})
            if self._verdict(n, ext, folded, hits, place) == "match"
        ]
        filed = self._filed_by_id(name, ext, folded, place, found)
        return [self.items[n] for n in ([*found, filed] if filed is not None else found)]

    def _filed_by_id(
        self, name: str, ext: str, folded: str, place: _Place, found: list[int]
    ) -> int | None:
        """A file whose own name carries its plan row's id (`2.c Laporan …` in component 3's
        folder, `1.i.a …`) belongs to that row: where none of the row's items took it by
        name, it counts for the item whose name it is closest to (the first on a tie)."""
        if not name[:1].isdigit() or len(split_numbering(name)[0]) < 2:
            return None
        placed = place.context()
        indicator = placed.indicator
        if placed == place.folder:  # its folder already says (or overrules its id)
            return None
        if indicator is None or any(self.items[n].indicator == indicator for n in found):
            return None
        words = fold(name.rpartition(".")[0] or name).split()
        best: tuple[float, int] | None = None
        for n in self._of_indicator.get(indicator, ()):
            item = self.items[n]
            if ext not in item.types or any(p.search(folded) for p in self._excludes[n]):
                continue
            score = similarity(words, fold(item.name).split())
            if best is None or score > best[0]:
                best = (score, n)
        return best[1] if best else None

    def diagnose(self, relpath: str) -> list[tuple[Evidence, str]]:
        """For explain: every item this path matches or nearly matches, with the verdict
        of `_verdict`, `owned:ID` (only a folder's name matched, and that folder is ID's),
        or `pattern` (an item of the file's own indicator whose patterns the name misses)."""
        parent, _, name = relpath.rpartition("/")
        parts = parent.split("/") if parent else []
        for i in range(1, len(parts) + 1):
            self.enter_dir("/".join(parts[:i]))
        state = self._dirs[parent]
        ext, folded, hits = self._name_hits(state, name)
        place = _Place(self.layout, state.context, name)
        out = [
            (self.items[n], self._verdict(n, ext, folded, hits, place))
            for n in sorted({n for n, _ in hits})
        ]
        matched = [self.index[item.key] for item, verdict in out if verdict == "match"]
        filed = self._filed_by_id(name, ext, folded, place, matched)
        if filed is not None:
            out = [o for o in out if o[0].key != self.items[filed].key]
            out.append((self.items[filed], "match"))
        seen = {item.key for item, _ in out}
        for n, owner in sorted(state.blocked):
            if self.items[n].key not in seen:
                out.append((self.items[n], f"owned:{owner}"))
                seen.add(self.items[n].key)
        context = place.context()
        for item in self.items:
            # near misses of the file's own indicator only: in an area's folder every row of
            # the area would be listed, which says nothing
            if item.key not in seen and context.indicator == item.indicator:
                out.append((item, "pattern"))
        return out

    def match_path(self, relpath: str) -> list[Evidence]:
        """Match one root-relative path (for explain and watch); enters its folders."""
        parent, _, name = relpath.rpartition("/")
        parts = parent.split("/") if parent else []
        for i in range(1, len(parts) + 1):
            self.enter_dir("/".join(parts[:i]))
        return self.match_file(self._dirs[parent], name)


def owned_by(parent: Context, context: Context) -> str | None:
    """The id a folder is recognised as (indicator, area or component), if its own name
    placed it; None when it only inherits its parent's place."""
    if context.indicator is not None and context.indicator != parent.indicator:
        return context.indicator
    if context.area is not None and context.area != parent.area:
        return context.area
    if context.component is not None and context.component != parent.component:
        return context.component
    return None


def _belongs(indicator: str, owner: str) -> bool:
    return indicator == owner or indicator.startswith(owner + ".")


def in_own_folder(context: Context, indicator: str) -> bool:
    """Generic evidence counts inside its indicator's folder, or its area's outside any indicator's."""
    if context.indicator is not None:
        return context.indicator == indicator
    return context.area is not None and indicator.rsplit(".", 1)[0] == context.area


class _Place:
    """Where a file's own name places it, worked out only when a decision needs it (most
    files match by their own name and never ask)."""

    def __init__(self, layout: Layout, folder: Context, name: str) -> None:
        self.layout, self.folder, self.name = layout, folder, name
        self._context: Context | None = None

    def context(self) -> Context:
        if self._context is None:
            self._context = self.layout.locate(self.folder, self.name, is_file=True)
        return self._context
