"""Where a changed night's time goes, phase by phase, for two checkouts alternated.

    git worktree add /tmp/before <commit>
    python bench/phases.py /tmp/before/src src [--pairs 8] [--changed] [--share DIR]

Each run is `zi-audit scan SHARE --as-of 2025-11-15 --format json`, as bench/walk.py
and bench/ab.py run it (with --changed after bench/walk.py's 100 changes), in a
process whose phases are timed: the functions named in PHASES, wherever a checkout has
them (a phase one side lacks shows as "-"). Phases nest (the scan holds the walk and the
evaluation). Pairs alternate their order, as bench/ab.py's do; it prints each phase's
median for A and B and the difference of the medians: on a noisy machine a whole
process's time moves by a third between runs, and what moved is found here, the figure
to quote is bench/ab.py's. The share is bench/walk.py's (built under --share if missing).
"""

from __future__ import annotations

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _HERE]

import importlib.util
import json
import statistics
import subprocess
import time
from pathlib import Path

# (module under zi_audit, function or Class.method): the steps of a nightly scan.
PHASES = [
    ("app.nightly", "open_run"),
    ("app.standing", "Standing.of"),
    ("app.standing", "Standing.find"),
    ("state.seal", "Seal.settled"),
    ("pipeline", "Pipeline.run"),
    ("state.listing", "Listing._load"),
    ("inspection.facts", "ContentInspector.__call__"),
    ("pipeline", "Pipeline._evaluate"),
    ("state.results", "ResultStore.save"),
    ("report.document", "build"),
    ("app.nightly", "_keep_unmatched"),
    ("app.nightly", "_publish"),
    ("state.seal_write", "SealWriter.finish"),
]

# The scan in a process that times its phases and says them on stderr when it ends.
CHILD = """
import atexit, importlib, json, sys, time
T0 = time.perf_counter()
sys.argv[0] = "zi-audit"
from zi_audit.cli import main as program
import zi_audit.cli.scan
spent = {}
def wrap(module, attr):
    try:
        mod = importlib.import_module("zi_audit." + module)
    except ImportError:
        return
    owner, _, name = attr.rpartition(".")
    target = getattr(mod, owner, None) if owner else mod
    f = getattr(target, name, None)
    if f is None:
        return
    def timed(*a, **k):
        t = time.perf_counter()
        try:
            return f(*a, **k)
        finally:
            spent[attr] = spent.get(attr, 0.0) + time.perf_counter() - t
    setattr(target, name, timed)
for module, attr in PHASES:
    wrap(module, attr)
spent["imports"] = time.perf_counter() - T0
atexit.register(lambda: sys.stderr.write(
    "zi-phases " + json.dumps({**spent, "process": time.perf_counter() - T0}) + "\\n"))
getattr(program, "run", program.main)()  # the console script's (an older checkout: main)
"""


def _ab():  # bench/ab.py, for what every alternating bench sets up
    spec = importlib.util.spec_from_file_location("bench_ab", os.path.join(_HERE, "ab.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(src: str, share: Path, state: Path) -> dict[str, float]:
    """One scan's phases (seconds), and its wall time as `wall`."""
    env = {**os.environ, "PYTHONPATH": str(Path(src).resolve())}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: byte code compiled once
    code = f"PHASES = {PHASES!r}\n{CHILD}"
    command = [sys.executable, "-c", code, "scan", str(share), "--as-of", "2025-11-15"]
    command += ["--format", "json", "--state", str(state)]
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{src}: the scan failed:\n{done.stderr.decode(errors='replace')}")
    lines = [x for x in done.stderr.decode().splitlines() if x.startswith("zi-phases ")]
    return {**json.loads(lines[-1].split(" ", 1)[1]), "wall": wall}


def main() -> None:
    args, walk, share, states = _ab().setup(__doc__ or "", "zi-phases")
    for src in (args.a, args.b):  # a first scan, then one that keeps its report
        run(src, share, states[src])
        time.sleep(2.1)
        run(src, share, states[src])
    seen: dict[str, list[dict[str, float]]] = {args.a: [], args.b: []}
    for n in range(args.pairs):
        if args.changed:
            walk.change_100(share, 20_000 + n + int(time.time()) % 10_000)
        for src in (args.a, args.b) if n % 2 == 0 else (args.b, args.a):
            seen[src].append(run(src, share, states[src]))
    names = ["wall", "process", "imports", *(attr for _, attr in PHASES)]
    print(f"{'phase':28} {'A':>8} {'B':>8} {'B - A':>8}   (medians of {args.pairs}, seconds)")
    for name in names:
        a, b = ([r[name] for r in seen[src] if name in r] for src in (args.a, args.b))
        if not a and not b:
            continue
        ma = f"{statistics.median(a):8.3f}" if a else f"{'-':>8}"
        mb = f"{statistics.median(b):8.3f}" if b else f"{'-':>8}"
        diff = f"{statistics.median(b) - statistics.median(a):+8.3f}" if a and b else ""
        print(f"{name:28} {ma} {mb} {diff}")


if __name__ == "__main__":
    main()
