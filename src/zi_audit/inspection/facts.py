"""Facts about matched files: from the cache when unchanged, else judged by workers.

The scan hands over (path, stat) for each file that matched evidence; this module
decides what must be opened, and counts what it opened so that "an unchanged file
is never parsed twice" can be checked, not just claimed.
"""

from __future__ import annotations

import contextlib
import os
import struct
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from zi_audit.core.facts import TRANSIENT, FileFacts
from zi_audit.inspection.cache import FactsCache
from zi_audit.inspection.table import FactsTable
from zi_audit.inspection.verdict import Verdict
from zi_audit.inspection.workers import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT, Job, WorkerPool
from zi_audit.util.textnorm import extension

OCR_TIMEOUT = 300.0  # one file's OCR (two pages) at most; then it waits for another run


class Candidate(NamedTuple):  # a tuple: a rescan makes one per matched file, 19,000 at 100k
    rel: str  # root-relative path
    path: str  # absolute path to open
    stat: os.stat_result


@dataclass
class ContentInspector:
    cache_path: Path
    workers: int | None = None
    timeout: float = DEFAULT_TIMEOUT
    memory_mb: int = DEFAULT_MEMORY_MB
    stats: dict[str, int] = field(
        default_factory=lambda: {"opened": 0, "cached": 0, "replaced_workers": 0}
    )
    busy_wait: float = 30.0  # seconds to wait for a cache another run is writing
    # Seconds this run may spend reading scans' words (OCR), after every file is judged;
    # what is left waits for the next run, so a big share's first OCR spreads over nights.
    ocr_budget: float = 0.0

    # Facts of the last call, by path: a watch update asks again for thousands of files
    # of which one changed, and reading the whole cache for each update cost more than
    # the rest of the update. Keyed like the cache: size, mtime and ctime in ns (`_key`).
    # Facts never decoded are kept as their stored text (inspection/table.py).
    _known: dict[str, tuple[bytes, FileFacts | str]] = field(
        default_factory=dict, init=False, repr=False
    )
    # Watch keeps its workers between updates: starting one (a process importing pypdf
    # and Pillow) cost 0.1 s of every update that had a file to open.
    keep_workers: bool = False
    # Verdicts kept as stored text until something reads them (inspection/table.py): for a
    # scan whose unchanged indicators are kept (state/kept.py, which judges again a stored
    # verdict that no longer decodes). Else decoded as they are read, a damaged one a miss.
    lazy: bool = False
    _pool: WorkerPool | None = field(default=None, init=False, repr=False)
    # Files of the last call whose facts hold for this run only (a timeout, a crash): a
    # report with any is not kept whole, nor are they settled (state/seal.py): the next
    # run judges them again.
    unsettled: set[str] = field(default_factory=set, init=False)
    # Scans of the last call whose words are still unread (a settled scan's kept report
    # names them: the next changed night looks them up again, state/seal.py).
    waiting: set[str] = field(default_factory=set, init=False)
    _damaged: set[str] = field(default_factory=set, init=False, repr=False)

    def prepare(self) -> None:
        """Start the judges' server before the next call (workers.py, `prepare`)."""
        if self._pool is None:
            self._pool = WorkerPool(
                self.workers or os.cpu_count() or 1, self.timeout, self.memory_mb
            )
        self._pool.prepare()

    def close(self) -> None:
        """Stop the workers kept between calls."""
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def __call__(self, candidates: Iterable[Candidate]) -> FactsTable:
        """Facts by root-relative path, for every candidate. `candidates` may be a walk
        still in progress: files to open go to the workers as they come, so on a first scan
        the walk and the judging overlap instead of taking turns."""
        known, self._known = self._known, {}
        lookup = _Lookup(self, known)
        self.unsettled = set()
        pool = self._pool or WorkerPool(
            self.workers or os.cpu_count() or 1, self.timeout, self.memory_mb
        )
        judged, replaced = pool.judged, pool.replaced
        try:
            for job, verdict in pool.run(lookup.jobs(candidates)):
                st = lookup.stats_of.pop(job.key)
                facts = verdict.facts(st)
                lookup.out.put(job.key, facts)
                if _waits(facts):
                    lookup.waiting[job.key] = job.path
                if TRANSIENT.intersection(verdict.problems):
                    self.unsettled.add(job.key)
                else:
                    if lookup.cache is not None:
                        lookup.cache.put(job.path, st, facts)
                    self.keep(job.key, st, facts)
            self._read_scans(pool, lookup)
        finally:
            if self.keep_workers:
                self._pool = pool
            else:
                pool.close()
                self._pool = None
            if lookup.cache is not None:
                lookup.cache.close()
        self.stats["opened"] += pool.judged - judged
        self.stats["replaced_workers"] += pool.replaced - replaced
        return lookup.out

    def _read_scans(self, pool: WorkerPool, lookup: _Lookup) -> None:
        """OCR the scans still waiting, within this run's budget. A scan whose OCR did not
        finish keeps its facts (counted by name, "isi belum dibaca"), never invalid."""
        waiting = list(lookup.waiting.items())
        self.stats["ocr"] = 0
        self.stats["ocr_waiting"] = len(waiting)
        self.waiting = set(lookup.waiting)
        if not waiting:
            return
        from zi_audit.inspection import ocr as ocr_tools  # its tools: for scans waiting only

        self.stats["ocr_installed"] = int(ocr_tools.available())
        if self.ocr_budget <= 0 or not self.stats["ocr_installed"]:
            return
        until = time.monotonic() + self.ocr_budget
        sts = {}
        for rel, path in waiting:
            with contextlib.suppress(OSError):  # gone since it was judged: nothing to read
                sts[rel] = os.stat(path)

        def jobs() -> Iterator[Job]:
            for rel, path in waiting:
                if rel in sts and time.monotonic() < until:
                    left = max(1.0, until - time.monotonic())
                    yield Job(
                        rel,
                        path,
                        extension(rel),
                        sts[rel].st_size,
                        ocr=True,
                        timeout=min(OCR_TIMEOUT, left + self.timeout),
                    )

        for job, verdict in pool.run(jobs()):
            st = sts[job.key]
            if TRANSIENT.intersection(verdict.problems) or "ocr_pending" in verdict.notes:
                continue  # stopped or failed: what was known stays, tried again next run
            facts = verdict.facts(st)
            self.stats["ocr"] += 1
            lookup.out.put(job.key, facts)
            if lookup.cache is not None:
                lookup.cache.put(job.path, st, facts)
            self.keep(job.key, st, facts)
        self.waiting = {rel for rel, _ in waiting if _waits(lookup.out[rel])}
        self.stats["ocr_waiting"] = len(self.waiting)

    def forget(self, rels: Iterable[str]) -> None:
        """Judge these again at the next call: their stored verdicts did not decode."""
        for rel in rels:
            self._known.pop(rel, None)
            self._damaged.add(rel)

    def keep(self, rel: str, st: os.stat_result, facts: FileFacts) -> None:
        """Remember facts for the next call (watch): never those said of this run only.
        Keyed by the root-relative path, the string the walk and the matches hold already."""
        if not TRANSIENT.intersection(facts.problems):
            self._known[rel] = (_key(st), facts)


class _Lookup:
    """One call's look-ups: facts kept in memory, then the cache; what neither knows
    becomes a job for the workers."""

    def __init__(
        self,
        inspector: ContentInspector,
        known: dict[str, tuple[bytes, FileFacts | str]],
    ) -> None:
        self.inspector, self.known = inspector, known
        self.out = FactsTable()
        self.stats_of: dict[str, os.stat_result] = {}  # files sent to the workers
        self.waiting: dict[str, str] = {}  # scans whose words wait for OCR: rel -> absolute
        self.cache: FactsCache | None = None
        self.looked_up = 0

    def jobs(self, candidates: Iterable[Candidate]) -> Iterator[Job]:
        inspector = self.inspector
        for c in candidates:
            st = c.stat
            hit = self.known.get(c.rel)
            if hit is not None and hit[0] == _key(st):
                self._take(c, st, hit[1])
                inspector._known[c.rel] = hit
                inspector.stats["cached"] += 1
                continue
            if st.st_size == 0:
                empty = Verdict().fail("empty").facts(st)
                self.out.put(c.rel, empty)
                inspector.keep(c.rel, st, empty)
                continue
            stored = self._from_cache(c, st)
            if stored is not None:
                self._take(c, st, stored)
                if not inspector.lazy:  # a lazy inspector serves one scan: nothing to remember
                    inspector._known[c.rel] = (_key(st), stored)
                inspector.stats["cached"] += 1
                continue
            self.stats_of[c.rel] = st
            yield Job(c.rel, c.path, extension(c.rel), st.st_size)

    def _take(self, c: Candidate, st: os.stat_result, known: FileFacts | str) -> None:
        """Facts known already, decoded or as stored text; a scan waiting for OCR is noted
        either way (its stored text names `ocr_pending`, a quoted word JSON never forms
        inside another string)."""
        if isinstance(known, str):
            self.out.put_text(c.rel, known, st.st_size, st.st_mtime)
            waits = '"ocr_pending"' in known
        else:
            self.out.put(c.rel, known)
            waits = _waits(known)
        if waits:
            self.waiting[c.rel] = c.path

    def _from_cache(self, c: Candidate, st: os.stat_result) -> FileFacts | str | None:
        if self.cache is None:  # a watch update that knows its files never opens it
            self.cache = FactsCache(self.inspector.cache_path, self.inspector.busy_wait, bulk=False)
        if c.rel in self.inspector._damaged:
            self.inspector._damaged.discard(c.rel)
            return None  # its stored verdict did not decode: judged, and stored anew
        self.looked_up += 1
        if self.looked_up == 64:
            # A rescan: one query for all rows beats thousands. A changed night whose
            # settled files are not looked up (pipeline/walking.py) asks for a few, one by one.
            self.cache.bulk = True
        if self.inspector.lazy:
            return self.cache.get_raw(c.path, st)
        return self.cache.get(c.path, st)


def _waits(facts: FileFacts) -> bool:
    return "ocr_pending" in facts.notes


def _key(st: os.stat_result) -> bytes:
    """Size, mtime and ctime (ns), packed: a watch holds one per matched file, and a tuple
    of three large ints was three times the size (3 MB on the bench share)."""
    return _STAMP.pack(st.st_size, st.st_mtime_ns, st.st_ctime_ns)


_STAMP = struct.Struct("<qqq")
