"""Latency of `zi-audit watch`: from a file's creation to its printed update; memory under load.

    python bench/watch.py [--files 50] [--events 10000] [--poll 1.0] [--share 100000]

Creates files one at a time (each a new piece of evidence, so each must print a line),
native (inotify) and polling, and prints the median and maximum latency. Then fires
--events file events (create and delete of a non-evidence file) and prints the
process's resident memory before and after.

With --share N (0 to skip) it then watches bench/walk.py's N-file share: the latency of
one created file against the anchor, inotify's own latency (write to watchdog's event, on
the same tree), and the time from the end of a pasted 500-file folder's copy to its
update. Watch waits QUIET + SETTLE (0.5 s) on purpose before each update, so that a burst
or a copy in progress becomes one update; the figures show that share apart.
"""

from __future__ import annotations

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _HERE]

import argparse
import datetime as dt
import io
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

from pypdf import PdfWriter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from zi_audit.app.watch import QUIET, SETTLE, Watcher, WatchOptions
from zi_audit.match.folders import folder_names
from zi_audit.pipeline import Pipeline, ScanOptions
from zi_audit.rules.loader import load_rules
from zi_audit.rules.model import bundled_rules_path
from zi_audit.state.paths import prepare_state_dir

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "evidence_tree"


def pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _unstamped(line: str) -> str:
    """A watch line without the time it starts with (`10:15:32 5.5.1 …`)."""
    return line.split(" ", 1)[1] if line[:2].isdigit() and line[2:3] == ":" else line


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def measure(work: Path, polling: float | None, files: int, events: int) -> None:
    rules = load_rules(bundled_rules_path())
    root = work / ("share-poll" if polling else "share-native")
    shutil.copytree(EXAMPLE, root)
    lines: list[tuple[float, str]] = []
    pipeline = Pipeline(
        root,
        rules,
        ScanOptions(as_of=dt.date(2025, 11, 15), ocr_budget=0.0),  # no OCR, as cli/watch.py
        state=prepare_state_dir(work / "state", root),
    )
    options = WatchOptions(polling=polling)
    watcher = Watcher(
        pipeline, options, out=lambda s: lines.append((time.perf_counter(), _unstamped(s)))
    )
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    watcher.ready.wait(60)
    folder = root / folder_names(rules)["2.2.2"]  # where the non-evidence churn happens
    data = pdf()
    latencies = []
    # Each new file is the only evidence of its item, so each must print a line; then it is removed.
    targets = [
        (
            folder_names(rules)["5.5.1"],
            "Surat Pernyataan Benturan Kepentingan 2025-09-01.pdf",
            "5.5.1",
        ),
        (folder_names(rules)["2.1.1"], "Sosialisasi SOP Alur Kerja 2025-09-01.pdf", "2.1.1"),
    ]
    for n in range(files):
        rel, name, ident = targets[n % 2]
        path = root / rel / name
        path.parent.mkdir(parents=True, exist_ok=True)
        seen = len(lines)
        start = time.perf_counter()
        path.write_bytes(data + f"% {n}\n".encode())
        while not any(s.startswith(ident) for _, s in lines[seen:]):
            time.sleep(0.005)
        latencies.append(next(t for t, s in lines[seen:] if s.startswith(ident)) - start)
        seen = len(lines)
        path.unlink()
        while not any(s.startswith(ident) for _, s in lines[seen:]):
            time.sleep(0.005)
    mode = f"polling {polling:g} s" if polling else "native"
    print(
        f"{mode:<14} latency over {files} files: median {statistics.median(latencies):.3f} s, max {max(latencies):.3f} s"
    )
    if events:
        before = rss_mb()
        junk = folder / "catatan.txt"
        for _ in range(events // 2):
            junk.write_bytes(b"x")
            junk.unlink()
        time.sleep(max(1.0, 2 * (polling or 0)))
        deadline = time.monotonic() + 60
        while not watcher.events.empty() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)
        print(
            f"{mode:<14} memory: {before:.1f} MB before {events:,} events, {rss_mb():.1f} MB after"
        )
    watcher.stop.set()
    thread.join(30)


def _walk_bench():  # bench/walk.py, which builds the share, is not importable by name
    import importlib.util

    spec = importlib.util.spec_from_file_location("zi_bench_walk", Path(_HERE) / "walk.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def inotify_latency(root: Path, folder: Path, runs: int) -> float:
    """Median time from a file's creation to watchdog's event for it, on the same tree."""
    seen: dict[str, float] = {}

    class Stamp(FileSystemEventHandler):
        def on_created(self, event: FileSystemEvent) -> None:
            seen.setdefault(os.fsdecode(event.src_path), time.perf_counter())

    observer = Observer()
    observer.schedule(Stamp(), str(root), recursive=True)
    observer.start()
    try:
        out = []
        for n in range(runs):
            path = folder / f"anchor {n}.txt"
            start = time.perf_counter()
            path.write_bytes(b"x")
            while str(path) not in seen:
                time.sleep(0.0005)
            out.append(seen[str(path)] - start)
            path.unlink()
        return statistics.median(out)
    finally:
        observer.stop()
        observer.join(10)


def measure_share(work: Path, files: int, runs: int) -> None:
    rules = load_rules(bundled_rules_path())
    root = work / "big" / "share"
    t0 = time.perf_counter()
    _walk_bench().build(root, files)
    print(f"share of {files:,} files built in {time.perf_counter() - t0:.1f} s")
    folder = root / folder_names(rules)["5.5.1"]
    folder.mkdir(parents=True, exist_ok=True)
    anchor = inotify_latency(root, folder, runs)
    lines: list[tuple[float, str]] = []
    pipeline = Pipeline(
        root,
        rules,
        ScanOptions(as_of=dt.date(2025, 11, 15), ocr_budget=0.0),  # no OCR, as cli/watch.py
        state=prepare_state_dir(work / "big" / "state", root),
    )
    watcher = Watcher(
        pipeline, WatchOptions(), out=lambda s: lines.append((time.perf_counter(), _unstamped(s)))
    )
    thread = threading.Thread(target=watcher.run, daemon=True)
    start = time.perf_counter()
    thread.start()
    watcher.ready.wait(600)
    print(f"first scan of the watch: {time.perf_counter() - start:.1f} s")
    data = pdf()
    latencies = []
    for n in range(runs):
        path = folder / "Surat Pernyataan Benturan Kepentingan 2025-09-01.pdf"
        seen = len(lines)
        begin = time.perf_counter()
        path.write_bytes(data + f"% {n}\n".encode())
        while not any(s.startswith("5.5.1") for _, s in lines[seen:]):
            time.sleep(0.002)
        latencies.append(next(t for t, s in lines[seen:] if s.startswith("5.5.1")) - begin)
        seen = len(lines)
        path.unlink()
        while not any(s.startswith("5.5.1") for _, s in lines[seen:]):
            time.sleep(0.002)
    median = statistics.median(latencies)
    waits = QUIET + SETTLE
    print(
        f"one file created, {files:,}-file share: median {median:.3f} s over {runs} files"
        f" (of which {waits:.2f} s designed wait; work {median - waits:.3f} s)"
    )
    print(
        f"inotify's own latency (anchor):  median {anchor * 1000:.2f} ms;"
        f" ratio {median / anchor:,.0f}x, or {(median - waits) / anchor:,.0f}x without the wait"
    )
    staged = work / "staged" / "Rapat Koordinasi Desember 2025"
    for n in range(500):
        (staged / f"Sesi {n // 50}").mkdir(parents=True, exist_ok=True)
        name = f"Surat Pernyataan Benturan Kepentingan Pegawai {n:03d}.pdf"  # all evidence
        (staged / f"Sesi {n // 50}" / name).write_bytes(data + f"% {n}\n".encode())
    walks = len(watcher.walks)
    shutil.copytree(staged, folder / staged.name)
    copied = time.perf_counter()
    deadline = copied + 60
    done = float("nan")  # when the watch's picture first held all 500 files
    while time.perf_counter() < deadline:
        if watcher.walks[-1].files >= files + 500:
            done = time.perf_counter() - copied
            break
        time.sleep(0.002)
    time.sleep(1.0)  # let any further update land before counting
    redone = watcher.walks[walks:]
    print(
        f"pasted folder of 500 files: update {done:.3f} s after the copy ended;"
        f" {len(redone)} update(s), names matched again {sum(w.rematched for w in redone)},"
        f" folders listed again {sum(w.listed for w in redone)},"
        f" indicators evaluated again {sum(w.evaluated for w in redone)}"
    )
    print(f"memory of the watch on the {files:,}-file share: {rss_mb():.1f} MB")
    watcher.stop.set()
    thread.join(30)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--files", type=int, default=50, help="on the example tree; 0: skip")
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--poll", type=float, default=1.0)
    parser.add_argument("--share", type=int, default=100_000, help="files; 0: skip")
    parser.add_argument("--runs", type=int, default=9, help="files created on the share")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="zi-bench-watch-"))
    try:
        if args.files:
            measure(work, None, args.files, args.events)
            measure(work, args.poll, args.files, 0)
        if args.share:
            measure_share(work, args.share, args.runs)
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
