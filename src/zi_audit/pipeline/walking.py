"""One walk of the share as a scan consumes it (pipeline/__init__.py): matched files
handed on as the walk finds them, everything else kept on the side for the report. A
folder unchanged since the last scan is taken from the memo; a matched file the last
settled scan found as it is now (state/seal.py, `Settled`) is neither stat-ed nor handed
on for a verdict look-up."""

from __future__ import annotations

import os
import sys
import threading
from collections import defaultdict
from collections.abc import Callable, Generator, Mapping

from zi_audit.core.problems import WalkProblem
from zi_audit.evaluate.model import FolderPaths
from zi_audit.inspection.facts import Candidate
from zi_audit.match.matcher import Matcher, place_of
from zi_audit.state.seal import Settled
from zi_audit.walk.record import FolderRecord
from zi_audit.walk.walker import Folder, Walker

Progress = Callable[[int, int], None]


def cached_figures(stats: Mapping[str, int], settled: int) -> dict[str, int]:
    """The inspector's figures, settled files counted as found in the cache (they were,
    by the scan that kept them: docs/json-report.md)."""
    out = dict(stats)
    if settled:
        out["cached"] = out.get("cached", 0) + settled
    return out


class ScanWalk:
    """One walk of the share, as the scan consumes it: matched files are handed on as the
    walk finds them (`candidates`), everything else is kept on the side for the report."""

    def __init__(
        self,
        matcher: Matcher,
        walker: Walker,
        memo: Mapping[str, FolderRecord],
        progress: Progress | None,
        settled: Settled | None,
    ) -> None:
        self.matcher, self.walker, self.memo, self.progress = matcher, walker, memo, progress
        self.known = settled.stamps if settled is not None else {}
        self.matches: dict[str, list[str]] = defaultdict(list)
        self.unmatched = FolderPaths()
        self.homes: dict[str, str] = {}  # folder -> the indicator whose folder it is
        self.problems: list[WalkProblem] = []
        self.records: dict[str, FolderRecord] = {}
        self.changed: set[str] = set()
        # Matched files and their (size, mtime, ctime), for a report kept whole (state/seal.py).
        self.stamped: tuple[list[str], list[int]] | None = None  # the caller's to ask for
        self.rematched = 0  # names matched again (not taken from the memo)
        self.matched = 0  # files that count for some item
        self.settled = 0  # of those, taken as the last settled scan saw them
        self.cancel = threading.Event()

    def candidates(self) -> Generator[Candidate, None, None]:
        known = self.known
        keys = [item.key for item in self.matcher.items]  # an item's key by its number
        matches, stamped = self.matches, self.stamped
        for folder in self.walker.walk():
            if self.cancel.is_set():  # the scan was interrupted (Ctrl-C, an error): stop
                return
            hits = self._enter(folder)
            prefix = f"{folder.rel}/" if folder.rel else ""
            # A folder from the memo hands on its block of unmatched names unsplit.
            self.unmatched.add(prefix, folder.record.unmatched())
            if not hits:  # most folders of a share: nothing to stat
                continue
            # The matched names are the hits' keys, in the folder's order (the matcher
            # fills them as it reads the names): the other 80% are not looped over here.
            here = folder.path  # joined once per folder, not per file
            base = here if here.endswith(os.sep) else here + os.sep
            for name, found in hits.items():
                rel = prefix + name
                st: os.stat_result | None = None
                stamp = known.get(rel) if known else None
                if stamp is not None:  # stat-ed by the seal's check: its verdict stands
                    self.settled += 1
                else:
                    try:
                        st = os.stat(base + name)
                    except FileNotFoundError:
                        self.problems.append(WalkProblem(rel, "vanished"))
                        continue
                    except OSError as exc:
                        self.problems.append(WalkProblem(rel, "unreadable", exc.strerror or ""))
                        continue
                    stamp = (st.st_size, st.st_mtime_ns, st.st_ctime_ns)
                # One string for the matches and the facts, and the same one every scan:
                # watch holds results from earlier scans beside this one's, and a path
                # made anew each time was held two or three times over (11 MB at 100k).
                rel = sys.intern(rel)
                # Taken here, not by a method: 18,000 settled files a changed night (3 ms).
                self.matched += 1
                if stamped is not None:
                    stamped[0].append(rel)
                    stamped[1].extend(stamp)
                for n in found:
                    matches[keys[n]].append(rel)
                if st is not None:
                    yield Candidate(rel, base + name, st)

    def _enter(self, folder: Folder) -> dict[str, list[int]]:
        """Record a folder, match what is new in it; its names' hits."""
        rel, record = folder.rel, folder.record
        matcher = self.matcher
        self.records[rel] = record
        if folder.listed or record.place is None:
            state = matcher.enter_dir(rel)  # placed, with its parents where need be
            record.place = place_of(state)
            if folder.listed:
                old = self.memo.get(rel)
                self.rematched += matcher.match_listed(state, record, old)
                if not record.same_as(old):
                    self.changed.add(rel)
        else:  # from the memo: placed as the last walk placed it
            matcher.enter_placed(rel, record.place)
        home = record.place[2]
        prefix = f"{rel}/" if rel else ""
        for name, conflict in record.conflicts.items():  # `1.i.a …` in another id's folder
            self.problems.append(WalkProblem(prefix + name, "id_conflict", conflict))
        if home:
            self.homes[rel] = home
        if self.progress is not None:
            self.progress(self.walker.folders_seen, self.walker.files_seen)
        return record.hits
