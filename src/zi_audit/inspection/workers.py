"""Worker processes that judge files, each file under a time and a memory limit.

pypdf has no time limit and crafted PDFs have hung it (CVE-2023-36464); Pillow can be
asked to decode an image bomb. Only a separate process can be stopped safely, so
every content read happens in a worker: one that overruns its time is killed and
replaced, one that dies is replaced, and either way the file is reported and the
scan goes on.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from zi_audit.inspection.verdict import Verdict

if TYPE_CHECKING:  # multiprocessing loads with the first file to open: a rescan has none
    import multiprocessing as mp
    from multiprocessing.connection import Connection

DEFAULT_TIMEOUT = 20.0
DEFAULT_MEMORY_MB = 2048


class Job(NamedTuple):
    key: str  # how the caller knows the file (root-relative path)
    path: str  # what to open
    ext: str
    size: int
    ocr: bool = False  # read a scan's words too
    timeout: float | None = None  # its own time budget (OCR); None: the pool's


def _worker_main(conn: Connection, memory_bytes: int) -> None:
    # The judges (pypdf, Pillow) are imported here, in the worker, and preloaded by the
    # fork server: the scanning process never pays their import or their memory.
    from zi_audit.inspection.judge import judge

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if memory_bytes > 0:
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        except (ImportError, ValueError, OSError):
            pass
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            verdict = judge(job.path, job.ext, job.size, job.ocr)
        except Exception as exc:  # a bug of ours must not stop the scan either
            verdict = Verdict().fail("corrupt", f"unexpected {type(exc).__name__}: {exc}")
        try:
            conn.send(verdict)
        except OSError:  # the scan is gone (killed): a worker dies with it, quietly
            return


def _context() -> mp.context.BaseContext:
    import multiprocessing as mp

    if sys.platform == "linux":
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["zi_audit.inspection.judge"])
        return ctx
    return mp.get_context("spawn")


def stop_server() -> None:
    """End the fork server and its resource tracker, which would otherwise live as long as
    this process. They hold its stdout and stderr: cron, reading the run's output to its
    end, waited for them to exit after the scan had (26 ms, a server that imported pypdf
    and Pillow). Ended when the last worker is gone, they exit while the scan goes on;
    a later pool starts them again. Waits for them, so a thread calls it. multiprocessing's
    own `_stop` (its tests') is used where this Python has it; elsewhere they stay."""
    from multiprocessing import forkserver, resource_tracker

    helpers: list[tuple[Any, str]] = [
        (getattr(forkserver, "_forkserver", None), "_forkserver_pid"),
        (getattr(resource_tracker, "_resource_tracker", None), "_pid"),
    ]
    for helper, pid in helpers:
        # Only a helper this process started (a worker is handed its server's pipes, not
        # its pid): stopping another's would wait on a process that is not its child.
        if getattr(helper, pid, None) is not None and hasattr(helper, "_stop"):
            with contextlib.suppress(OSError):
                helper._stop()


class _Worker:
    def __init__(self, ctx: Any, memory_bytes: int) -> None:  # a multiprocessing context
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, memory_bytes), daemon=True)
        self.process.start()
        child.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.send(None)
        self.process.join(2)
        if self.process.is_alive():
            self.kill()
        else:
            self.conn.close()


class WorkerPool:
    """Judge files in parallel. `judged` counts files whose content was actually read."""

    def __init__(
        self,
        workers: int | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        memory_mb: int = DEFAULT_MEMORY_MB,
    ) -> None:
        self.size = max(1, workers or os.cpu_count() or 1)
        self.timeout = timeout
        self.memory_bytes = memory_mb * 1024 * 1024
        self.judged = 0
        self.replaced = 0
        self.started = 0  # worker processes started, replacements included
        self._ctx: Any = None  # a multiprocessing context, made with the first worker
        self._since = 0.0  # when the fork server was started
        self._warm = False  # the first run's warm-up is done
        self._idle: list[_Worker] = []

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the workers, and the fork server this pool started (`stop_server`)."""
        for worker in self._idle:
            worker.stop()
        self._idle.clear()
        if self._ctx is not None and self._ctx.get_start_method() == "forkserver":
            self._ctx = None
            threading.Thread(target=stop_server, name="zi-audit-judges-end", daemon=True).start()

    def _spawn(self) -> _Worker:
        self.started += 1
        if self._ctx is None:
            self._ctx = _context()
        return _Worker(self._ctx, self.memory_bytes)

    def prepare(self) -> None:
        """Start the fork server, which imports the judges on its own (0.15 s on the other
        core): a changed night calls this before its walk, whose few files to judge would
        otherwise wait for it."""
        if self._ctx is None:
            self._ctx = _context()
            self._since = time.monotonic()
            if self._ctx.get_start_method() == "forkserver":
                from multiprocessing import forkserver

                forkserver.ensure_running()  # returns at once

    def _warm_up(self, feed: _Feed) -> None:
        """At the first job, start the fork server, which imports the judges (0.15 s), and
        go on pulling jobs meanwhile: a rescan's walk goes on instead of waiting for it (its
        few jobs are all gathered before the first worker is forked from a server by then
        ready). At most WARM jobs or WARM_SECONDS: a first scan starts judging as soon as the
        server is likely up, however slowly the share is walked."""
        if not feed.gather(1):
            return
        self.prepare()  # or prepared earlier: the walk goes on only while it is still starting
        until = self._since + WARM_SECONDS
        while len(feed.queued) < WARM and time.monotonic() < until and feed.gather(1):
            pass

    def run(self, jobs: Iterable[Job]) -> Iterator[tuple[Job, Verdict]]:
        """Verdicts as they come. `jobs` is pulled only as workers have room (beyond what
        `_warm_up` gathers while the first workers start), so a scan can hand over files
        while it is still walking. Each worker holds up to DEPTH jobs
        (the next waits in its pipe), so it never idles while this process answers the
        last verdict or walks on. A job's time starts when its worker begins it."""
        feed = _Feed(iter(jobs))
        if not self._warm:
            self._warm = True
            self._warm_up(feed)
        slots: dict[Connection, _Slot] = {}
        for worker in self._idle:
            slots[worker.conn] = _Slot(worker)
        self._idle.clear()
        try:
            while True:
                self._hand_out(slots, feed)
                active = [s for s in slots.values() if s.jobs]
                if not active:
                    return
                soonest = min(s.deadline for s in active)
                from multiprocessing.connection import wait  # loaded once a worker is busy

                ready = wait(
                    [s.worker.conn for s in active],
                    timeout=max(0.0, soonest - time.monotonic()),
                )
                for conn in ready:
                    yield self._answer(slots, slots[cast("Connection", conn)], feed.queued)
                now = time.monotonic()
                for slot in [s for s in slots.values() if s.jobs and s.deadline <= now]:
                    job = slot.jobs.popleft()
                    self._drop(slots, slot, feed.queued)
                    self.judged += 1
                    took = job.timeout or self.timeout
                    timeout = Verdict().fail("timeout", f"still reading after {took:g} s")
                    yield job, timeout
        finally:
            for slot in slots.values():
                if slot.jobs:
                    slot.worker.kill()  # stopped mid-job (an error, Ctrl-C)
                else:
                    self._idle.append(slot.worker)

    def _hand_out(self, slots: dict[Connection, _Slot], feed: _Feed) -> None:
        """Give workers jobs while they have room (retried jobs first)."""
        while (feed.more or feed.queued) and self._has_room(slots):
            job = feed.next()
            if job is None:
                return
            slot = self._room(slots)  # a worker is started only for a real job
            slot.worker.conn.send(job)
            if not slot.jobs:
                slot.deadline = time.monotonic() + (job.timeout or self.timeout)
            slot.jobs.append(job)

    def _answer(
        self, slots: dict[Connection, _Slot], slot: _Slot, retry: deque[Job]
    ) -> tuple[Job, Verdict]:
        """The verdict a worker sent, or `crashed` for the job it died on."""
        job = slot.jobs.popleft()
        self.judged += 1
        try:
            verdict: Verdict = slot.worker.conn.recv()
        except (EOFError, OSError):
            code = self._drop(slots, slot, retry)
            return job, Verdict().fail("crashed", f"the reader stopped (exit code {code})")
        upcoming = slot.jobs[0].timeout if slot.jobs else None
        slot.deadline = time.monotonic() + (upcoming or self.timeout)
        return job, verdict

    def _has_room(self, slots: dict[Connection, _Slot]) -> bool:
        return len(slots) < self.size or any(len(s.jobs) < DEPTH for s in slots.values())

    def _room(self, slots: dict[Connection, _Slot]) -> _Slot:
        """The worker to give the next job (there is room): a new one while the pool is not
        full and every worker is busy, else the least loaded."""
        if len(slots) < self.size and all(s.jobs for s in slots.values()):
            worker = self._spawn()
            slots[worker.conn] = _Slot(worker)
            return slots[worker.conn]
        return min(slots.values(), key=lambda s: len(s.jobs))

    def _drop(self, slots: dict[Connection, _Slot], slot: _Slot, retry: deque[Job]) -> int | None:
        """Kill a worker that crashed or overran; what it still held is judged by another."""
        slot.worker.kill()
        del slots[slot.worker.conn]
        self.replaced += 1
        retry.extendleft(reversed(slot.jobs))
        code: int | None = slot.worker.process.exitcode
        return code


# Jobs a worker holds at once: the one it judges and the next, waiting in its pipe.
DEPTH = 2
# Jobs gathered while the fork server starts: enough to outlast its start on a first scan
# (whose walk runs ahead in a thread), more than a nightly rescan's changed files.
WARM = 256
WARM_SECONDS = 0.25  # about what the server takes to import the judges on a small server


@dataclass
class _Slot:
    worker: _Worker
    jobs: deque[Job] = field(default_factory=deque)
    deadline: float = float("inf")


class _Feed:
    """The jobs still to hand out: those requeued from a killed worker, then the caller's."""

    def __init__(self, pending: Iterator[Job]) -> None:
        self.pending = pending
        # Served first: jobs gathered while the first workers started, and those queued
        # behind a job whose worker was killed.
        self.queued: deque[Job] = deque()
        self.more = True

    def gather(self, n: int) -> int:
        """Queue up to `n` more of the caller's jobs now; how many there were."""
        got = 0
        while got < n and self.more:
            job = next(self.pending, None)
            if job is None:
                self.more = False
                break
            self.queued.append(job)
            got += 1
        return got

    def next(self) -> Job | None:
        if self.queued:
            return self.queued.popleft()
        job = next(self.pending, None)
        if job is None:
            self.more = False
        return job
