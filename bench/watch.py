"""Latency of `zi-audit watch`: from a file's creation to its printed update; memory under load.

    python bench/watch.py [--files 50] [--events 10000] [--poll 1.0]

Creates files one at a time (each a new piece of evidence, so each must print a line),
native (inotify) and polling, and prints the median and maximum latency. Then fires
--events file events (create and delete of a non-evidence file) and prints the
process's resident memory before and after.
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

from zi_audit.deliver.watch import Watcher, WatchOptions
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
        ScanOptions(as_of=dt.date(2025, 11, 15)),
        state=prepare_state_dir(work / "state", root),
    )
    options = WatchOptions(polling=polling)
    watcher = Watcher(pipeline, options, out=lambda s: lines.append((time.perf_counter(), s)))
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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--poll", type=float, default=1.0)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="zi-bench-watch-"))
    try:
        measure(work, None, args.files, args.events)
        measure(work, args.poll, args.files, 0)
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
