"""Facts about matched files: from the cache when unchanged, else judged by workers.

The scan hands over (path, stat) for each file that matched evidence; this module
decides what must be opened, and counts what it opened so that "an unchanged file
is never parsed twice" can be checked, not just claimed.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from zi_audit.core.facts import TRANSIENT, FileFacts
from zi_audit.inspection.cache import FactsCache
from zi_audit.inspection.verdict import Verdict
from zi_audit.inspection.workers import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT, Job, WorkerPool


@dataclass(frozen=True)
class Candidate:
    rel: str  # root-relative path
    path: str  # absolute path to open
    stat: os.stat_result


def _ext(name: str) -> str:
    return name.rpartition(".")[2].lower() if "." in name else ""


@dataclass
class ContentInspector:
    cache_path: Path
    workers: int | None = None
    timeout: float = DEFAULT_TIMEOUT
    memory_mb: int = DEFAULT_MEMORY_MB
    stats: dict[str, int] = field(
        default_factory=lambda: {"opened": 0, "cached": 0, "replaced_workers": 0}
    )
    cache_note: str | None = None
    busy_wait: float = 30.0  # seconds to wait for a cache another run is writing

    # Facts of the last call, by path: a watch update asks again for thousands of files
    # of which one changed, and reading the whole cache for each update cost more than
    # the rest of the update. Keyed like the cache: size, mtime and ctime in ns.
    _known: dict[str, tuple[tuple[int, int, int], FileFacts]] = field(
        default_factory=dict, init=False, repr=False
    )
    # Watch keeps its workers between updates: starting one (a process importing pypdf
    # and Pillow) cost 0.1 s of every update that had a file to open.
    keep_workers: bool = False
    _pool: WorkerPool | None = field(default=None, init=False, repr=False)

    def close(self) -> None:
        """Stop the workers kept between calls."""
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def __call__(self, candidates: Iterable[Candidate]) -> dict[str, FileFacts]:
        """Facts by root-relative path, for every candidate. `candidates` may be a walk
        still in progress: files to open go to the workers as they come, so on a first scan
        the walk and the judging overlap instead of taking turns."""
        out: dict[str, FileFacts] = {}
        known, self._known = self._known, {}
        stats_of: dict[str, os.stat_result] = {}
        self.cache_note = None
        cache: FactsCache | None = None
        looked_up = 0

        def keep(path: str, st: os.stat_result, facts: FileFacts) -> None:
            if not TRANSIENT.intersection(facts.problems):
                self._known[path] = (_key(st), facts)

        def jobs() -> Iterator[Job]:
            nonlocal cache, looked_up
            for c in candidates:
                st = c.stat
                hit = known.get(c.path)
                if hit is not None and hit[0] == _key(st):
                    out[c.rel] = hit[1]
                    self._known[c.path] = hit
                    self.stats["cached"] += 1
                    continue
                if st.st_size == 0:
                    out[c.rel] = Verdict().fail("empty").facts(st)
                    keep(c.path, st, out[c.rel])
                    continue
                if cache is None:  # a watch update that knows its files never opens it
                    cache = FactsCache(self.cache_path, self.busy_wait, bulk=False)
                    self.cache_note = cache.rebuilt
                looked_up += 1
                if looked_up == 64:
                    cache.bulk = True  # a rescan: one query for all rows beats thousands
                cached = cache.get(c.path, st)
                if cached is not None:
                    out[c.rel] = cached
                    keep(c.path, st, cached)
                    self.stats["cached"] += 1
                    continue
                stats_of[c.rel] = st
                yield Job(c.rel, c.path, _ext(c.rel), st.st_size)

        pool = self._pool or WorkerPool(
            self.workers or os.cpu_count() or 1, self.timeout, self.memory_mb
        )
        judged, replaced = pool.judged, pool.replaced
        try:
            for job, verdict in pool.run(jobs()):
                st = stats_of.pop(job.key)
                facts = verdict.facts(st)
                out[job.key] = facts
                if not TRANSIENT.intersection(verdict.problems):
                    if cache is not None:
                        cache.put(job.path, st, facts)
                    keep(job.path, st, facts)
        finally:
            if self.keep_workers:
                self._pool = pool
            else:
                pool.close()
            if cache is not None:
                cache.close()
        self.stats["opened"] += pool.judged - judged
        self.stats["replaced_workers"] += pool.replaced - replaced
        return out


def _key(st: os.stat_result) -> tuple[int, int, int]:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns)
