"""The worker pool: each worker holds the job it judges and the next; a worker killed for
overrunning its time hands what it still held to a fresh one."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.helpers import broken, pdf_bytes
from zi_audit.inspection import workers
from zi_audit.inspection.workers import DEPTH, WARM, Job, WorkerPool


def job(path: Path) -> Job:
    return Job(path.name, str(path), "pdf", path.stat().st_size)


def test_a_job_queued_behind_a_hung_one_is_judged_by_the_next_worker(tmp_path: Path) -> None:
    assert DEPTH >= 2  # else nothing waits behind a job and this tests nothing
    hung = tmp_path / "hung.pdf"
    hung.write_bytes(broken.slow_pdf())
    good = [tmp_path / f"good {n}.pdf" for n in range(3)]
    for path in good:
        path.write_bytes(pdf_bytes())
    with WorkerPool(workers=1, timeout=1.0) as pool:
        verdicts = {j.key: v for j, v in pool.run(job(p) for p in [hung, *good])}
    assert verdicts["hung.pdf"].problems == ["timeout"]
    assert all(verdicts[p.name].valid for p in good)
    assert (pool.judged, pool.replaced, pool.started) == (4, 1, 2)


def pdfs(folder: Path, count: int, data: bytes, prefix: str = "") -> list[Path]:
    paths = [folder / f"{prefix}{n}.pdf" for n in range(count)]
    for path in paths:
        path.write_bytes(data)
    return paths


def pulled(paths: list[Path], seen: Callable[[Path], object]) -> Iterator[Job]:
    """Jobs for `paths`, telling `seen` of each as the pool pulls it."""
    for path in paths:
        seen(path)
        yield job(path)


def test_jobs_are_pulled_as_workers_have_room(tmp_path: Path) -> None:
    """A scan hands files over while it still walks: the pool must not read ahead."""
    paths = pdfs(tmp_path, 6, pdf_bytes())
    names: list[str] = []
    with WorkerPool(workers=1, timeout=10.0) as pool:
        assert len(list(pool.run([job(paths[0])]))) == 1  # started: past its warm-up
        results = pool.run(pulled(paths, lambda p: names.append(p.name)))
        first = next(results)
        assert len(names) <= DEPTH + 1
        rest = list(results)
    assert [j.key for j, _ in [first, *rest]] == [p.name for p in paths]


def test_the_first_jobs_are_gathered_while_the_fork_server_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first worker of a run waits for the fork server to import the judges (0.15 s): a
    rescan with a few changed files walks on meanwhile instead of waiting, and its workers
    are started once its jobs are gathered. A first scan gathers at most WARM."""
    paths = pdfs(tmp_path, 3, pdf_bytes())
    started: list[int] = []  # workers started when each job was pulled
    with WorkerPool(workers=2, timeout=10.0) as pool:
        verdicts = list(pool.run(pulled(paths, lambda _: started.append(pool.started))))
    assert started == [0, 0, 0]
    assert sorted(j.key for j, v in verdicts if v.valid) == sorted(p.name for p in paths)
    assert 1 <= pool.started <= 2

    many = pdfs(tmp_path, WARM + 3, b"x", prefix="x")
    started.clear()
    monkeypatch.setattr(workers, "WARM_SECONDS", 60.0)  # the count bound, on any machine
    with WorkerPool(workers=2, timeout=10.0) as pool:
        verdicts = list(pool.run(pulled(many, lambda _: started.append(pool.started))))
    assert len(verdicts) == len(many)
    assert max(started[:WARM]) == 0
    assert min(started[WARM:]) >= 1  # never more than WARM held back


def test_nothing_to_judge_starts_no_worker() -> None:
    """A nightly rescan with every verdict cached must not pay for a worker process."""
    with WorkerPool(workers=2) as pool:
        assert list(pool.run(iter([]))) == []
    assert pool.started == 0


def test_the_scanning_process_never_imports_the_readers() -> None:
    """pypdf, Pillow and openpyxl are loaded in the workers (or when a workbook is asked
    for), never by the command itself: 16 MB and 0.1 s on every run otherwise."""
    code = (
        "import sys, zi_audit.cli.main, zi_audit.pipeline\n"
        "print(sorted(m for m in ('pypdf', 'PIL', 'openpyxl') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _children(marker: str) -> list[int]:
    """This process's children whose command line holds `marker` (Linux's /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rpartition(")")[2].split()[1])
            cmdline = (entry / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if ppid == os.getpid() and marker.encode() in cmdline:
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a fork server and /proc")
def test_a_closed_pool_ends_its_fork_server(tmp_path: Path) -> None:
    """The fork server holds the scan's stdout and stderr: left to live until the scan
    exits, cron (reading the output to its end) waited for it after the scan had ended."""
    paths = pdfs(tmp_path, 2, pdf_bytes())
    with WorkerPool(workers=1, timeout=10.0) as pool:
        assert len(list(pool.run(job(p) for p in paths))) == 2
        assert _children("multiprocessing.forkserver")  # else this tests nothing
    for thread in threading.enumerate():
        if thread.name == "zi-audit-judges-end":
            thread.join(10)
    assert _children("multiprocessing.forkserver") == []
    assert _children("multiprocessing.resource_tracker") == []
    with WorkerPool(workers=1, timeout=10.0) as pool:  # a later pool starts them again
        assert [v.valid for _, v in pool.run(job(p) for p in paths)] == [True, True]
