"""Two checkouts of zi-audit on the same share, alternated: which one is faster, and by how much.

    git worktree add /tmp/before <commit>
    python bench/ab.py /tmp/before/src src [--pairs 8] [--changed] [--share DIR]

On a noisy machine one process's time moves by a third between runs, more than most
changes save; figures taken at different moments do not compare. Here each pair runs
A then B on the same share (with --changed, after the same 100 changes of
bench/walk.py's `change_100`, so both see them), each with a state directory of its
own, and the order is swapped every other pair. It prints each side's median wall and
CPU time and the median of the paired differences (B - A): the figure to quote.
The share is bench/walk.py's (built under --share if missing; 100,000 files).
"""

from __future__ import annotations

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _HERE]

import argparse
import importlib.util
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any


def _walk_bench():  # bench/walk.py, for its share and its 100 changes
    spec = importlib.util.spec_from_file_location("bench_walk", os.path.join(_HERE, "walk.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(src: str, share: Path, state: Path, pipe: bool = False) -> tuple[float, float]:
    """Wall and CPU seconds of one `zi-audit scan` as the bench runs it. `pipe`: its stderr
    read to the end before it is waited for, as bench/walk.py and cron take a run (a helper
    process still holding the stream is then part of its time); else the scan's own exit.
    CPU counts the scan's children it waited for (the judges' server, once it ends it)."""
    env = {**os.environ, "PYTHONPATH": str(Path(src).resolve())}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: byte code compiled once
    command = [sys.executable, "-m", "zi_audit", "scan", str(share), "--as-of", "2025-11-15"]
    command += ["--format", "json", "--state", str(state)]
    start = time.perf_counter()
    err = subprocess.PIPE if pipe else None
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err, env=env)
    if proc.stderr is not None:
        proc.stderr.read()
        proc.stderr.close()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{src}: the scan failed")
    return wall, usage.ru_utime + usage.ru_stime


def setup(description: str, prefix: str) -> tuple[argparse.Namespace, Any, Path, dict[str, Path]]:
    """What every alternating bench takes (this one and bench/phases.py): the two
    checkouts and the options, bench/walk.py (its share and its 100 changes), the share
    (built if missing) and a state directory for each checkout."""
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("a", help="the first checkout's src/ (the code before)")
    parser.add_argument("b", help="the second checkout's src/ (the code after)")
    parser.add_argument("--pairs", type=int, default=8)
    parser.add_argument("--changed", action="store_true", help="100 changes before each pair")
    parser.add_argument("--share", type=Path, help="bench/walk.py's share (kept; built if missing)")
    parser.add_argument(
        "--pipe", action="store_true", help="time each run to the end of its output (as cron)"
    )
    args = parser.parse_args()
    walk = _walk_bench()
    share = args.share or Path(tempfile.mkdtemp(prefix=f"{prefix}-")) / "share"
    if not (share.exists() and any(share.iterdir())):
        walk.build(share, 100_000)
        time.sleep(2.1)  # a share at night (bench/walk.py says why)
    states = {src: Path(tempfile.mkdtemp(prefix=f"{prefix}-state-")) for src in (args.a, args.b)}
    return args, walk, share, states


def main() -> None:
    args, walk, share, states = setup(__doc__ or "", "zi-ab")
    for src in (args.a, args.b):  # first scans: every pair after them is a rescan
        run(src, share, states[src], args.pipe)
    times: dict[str, list[tuple[float, float]]] = {args.a: [], args.b: []}
    for n in range(args.pairs):
        if args.changed:
            walk.change_100(share, 10_000 + n + int(time.time()) % 10_000)
        order = (args.a, args.b) if n % 2 == 0 else (args.b, args.a)
        for src in order:
            times[src].append(run(src, share, states[src], args.pipe))
    for label, src in (("A", args.a), ("B", args.b)):
        wall = statistics.median(w for w, _ in times[src])
        cpu = statistics.median(c for _, c in times[src])
        print(f"{label} {src}: wall {wall:.3f} s, CPU {cpu:.3f} s (medians of {args.pairs})")
    for n, what in ((0, "wall"), (1, "CPU")):
        diff = statistics.median(
            b[n] - a[n] for a, b in zip(times[args.a], times[args.b], strict=True)
        )
        print(f"B - A, {what}, median of the pairs: {diff:+.3f} s")


if __name__ == "__main__":
    main()
