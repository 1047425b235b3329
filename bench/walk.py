"""Scan of a 100,000-file share against `find` on the same tree. Prints figures and ratios.

    python bench/walk.py [--files 100000] [--keep DIR]
    python bench/walk.py --root /mnt/share   # an existing tree, e.g. an SMB mount; read only

The tree mimics a real share: the init layout for all 87 indicators, year and month
folders under each, mostly non-evidence files (photos, drafts, exports) and about one
file in twenty named like evidence. Times are wall-clock, best of --repeat runs, with
a warm cache (both tools see the same cache). `zi-audit scan` is timed as a whole
process (Python start-up and rule loading included) and as the in-process scan call.
"""

from __future__ import annotations

import os
import sys

# bench/inspect.py is named like the standard library's `inspect`: keep this folder off
# sys.path, or every library importing `inspect` would get the benchmark instead.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _HERE]

import argparse
import datetime as dt
import random
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from zi_audit.evaluate.model import Report
from zi_audit.match.folders import folder_names
from zi_audit.pipeline import Pipeline, ScanOptions
from zi_audit.rules.loader import load_rules
from zi_audit.rules.model import bundled_rules_path
from zi_audit.state.paths import prepare_state_dir

EVIDENCE = [
    "SK Tim Kerja ZI 2025.pdf",
    "Undangan Rapat {d}.pdf",
    "Daftar Hadir {d}.pdf",
    "Notulen {d}.docx",
    "Rekap Absensi {m} 2025.pdf",
    "WhatsApp Image {d} at 10.15.32.jpeg",
    "Laporan Monev {m} 2025.pdf",
]
NOISE = [
    "IMG_{n:05d}.jpg",
    "DSC{n:05d}.JPG",
    "draft {n} (1).docx",
    "export_{n}.xlsx",
    "catatan {n}.txt",
    "video {n}.mp4",
    "Scan_{n}.pdf",
]
MONTHS = ["Agustus", "September", "Oktober", "November", "Desember"]


def build(root: Path, total: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    rules = load_rules(bundled_rules_path())
    indicator_dirs = [path for ident, path in folder_names(rules).items() if ident.count(".") == 2]
    per_leaf = 40
    leaves = []
    while len(leaves) * per_leaf < total:
        base = indicator_dirs[len(leaves) % len(indicator_dirs)]
        month = MONTHS[(len(leaves) // len(indicator_dirs)) % len(MONTHS)]
        leaves.append(f"{base}/{month} 2025/Kegiatan {len(leaves)}")
    n = 0
    for leaf in leaves:
        folder = root / leaf
        folder.mkdir(parents=True, exist_ok=True)
        for _ in range(per_leaf):
            if n >= total:
                return
            day = dt.date(2025, 8, 1) + dt.timedelta(days=rng.randrange(150))
            template = rng.choice(EVIDENCE) if rng.random() < 0.05 else rng.choice(NOISE)
            name = template.format(n=n, d=day.isoformat(), m=MONTHS[day.month - 8])
            path = folder / f"{n:06d} {name}"
            path.write_bytes(b"x")
            n += 1


def change_100(root: Path, round_: int) -> None:
    """100 files changed, as between two nights: 50 evidence files added and 50 other files
    deleted, spread over 100 different folders."""
    leaves = sorted({p.parent for p in root.glob("*/*/*/*/*/*") if p.is_file()})
    rng = random.Random(round_)
    picked = rng.sample(leaves, 100)
    for n, leaf in enumerate(picked[:50]):
        (leaf / f"Notulen Rapat {round_}-{n} 2025-10-01.pdf").write_bytes(b"x")
    for leaf in picked[50:]:
        victims = sorted(p for p in leaf.iterdir() if p.suffix in (".txt", ".mp4", ".xlsx"))
        if victims:
            victims[0].unlink()


# The scan as a process that says its own peak memory when it ends. The kernel's figure
# for a child (wait4's ru_maxrss) counts the pages it shared with this process between
# fork and exec: once this process has grown past the scan (it keeps reports of its
# in-process runs), every child seemed as large as it.
PEAK = """
import atexit, sys
def _peak():
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    sys.stderr.write("zi-bench-peak-kb " + line.split()[1] + "\\n")
    except OSError:
        pass
atexit.register(_peak)
sys.argv[0] = "zi-audit"
from zi_audit.cli import main as program
getattr(program, "run", program.main)()  # the console script's (an older checkout: main)
"""


def run_measured(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one scan process: its own (VmHWM), where /proc
    tells it; else the kernel's figure for the child."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    assert proc.stderr is not None
    err = proc.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({proc.returncode}):\n{err}")
    peak = [line.split()[1] for line in err.splitlines() if line.startswith("zi-bench-peak-kb ")]
    return wall, (int(peak[-1]) if peak else usage.ru_maxrss) / 1024


def _times(repeat: int, fn) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def best_of(repeat: int, fn) -> float:
    return min(_times(repeat, fn))


def median_of(repeat: int, fn) -> float:
    return statistics.median(_times(repeat, fn))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument(
        "--repeat", type=int, default=5, help="runs per figure; the median is shown"
    )
    parser.add_argument(
        "--keep", type=Path, help="build (or reuse) the tree here instead of a temp dir"
    )
    parser.add_argument(
        "--root", type=Path, help="measure this existing tree (never written; no 100-change figure)"
    )
    args = parser.parse_args()

    root = args.root or args.keep or Path(tempfile.mkdtemp(prefix="zi-bench-")) / "share"
    if args.root is None and not (root.exists() and any(root.iterdir())):
        t0 = time.perf_counter()
        build(root, args.files)
        print(f"built {args.files:,} files in {time.perf_counter() - t0:.1f}s under {root}")
        # A share at night: nothing written in the last seconds. A scan that meets folders
        # changed within 2 s of it keeps no report whole (docs/state.md), and the first
        # rescan would scan again, unlike any night's.
        time.sleep(2.1)
    try:
        devnull = subprocess.DEVNULL
        find = best_of(
            args.repeat,
            lambda: subprocess.run(["find", str(root), "-type", "f"], stdout=devnull, check=True),
        )
        state = (
            Path(tempfile.mkdtemp(prefix="zi-bench-state-")) if args.root else root.parent / "state"
        )
        exe = [sys.executable, "-c", PEAK, "scan", str(root), "--as-of", "2025-11-15"]
        exe += ["--format", "json", "--state", str(state)]
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "src")}
        # As an installed zi-audit runs: pip compiles its byte code. Without it (a
        # sandbox's PYTHONDONTWRITEBYTECODE=1 on a source checkout) every process compiles
        # every module again, 0.1 s that no user pays.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        rules = load_rules(bundled_rules_path())
        options = ScanOptions(as_of=dt.date(2025, 11, 15))
        state_dir = prepare_state_dir(state, root)

        def run_scan() -> Report:  # a pipeline built per run, as each nightly run builds one
            return Pipeline(root, rules, options, state=state_dir, keep_results=True).run()

        start = time.perf_counter()
        first = subprocess.run(exe, stdout=devnull, stderr=subprocess.PIPE, check=True, env=env)
        first_s = time.perf_counter() - start
        first_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        del first
        report = run_scan()
        rescans = [run_measured(exe, env) for _ in range(args.repeat)]
        whole = statistics.median(wall for wall, _ in rescans)
        rss_mb = max(rss for _, rss in rescans)
        inproc = median_of(args.repeat, run_scan)
        find_stat = median_of(
            args.repeat,
            lambda: subprocess.run(
                ["find", str(root), "-type", "f", "-printf", "%s %T@ %p\n"],
                stdout=devnull,
                check=True,
            ),
        )
        matched = report.stats["matched"]
        changed_times = [float("nan")]
        changed_rss = [float("nan")]
        for round_ in range(0 if args.root else args.repeat):
            change_100(root, round_)
            wall, rss = run_measured(exe, env)
            changed_times.append(wall)
            changed_rss.append(rss)
        changed = statistics.median(changed_times[1:] or changed_times)
        # The nightly run as examples/cron/crontab runs it: today's date, history recorded,
        # the HTML report written; its first run re-evaluates for today, the rest are kept.
        # Measured last: a run for today leaves results the --as-of runs cannot keep.
        cron = [*exe[:5], "--format", "html", "--quiet", "--state", str(state)]
        # A night hours after the day's last change, as cron runs it: the changed runs
        # above left folders written within 2 s, which no report is kept whole for, and the
        # runs that fell in those seconds scanned again (0.66 s instead of 0.38): the
        # faster the runs before, the more of them did.
        time.sleep(2.1)
        cron += ["--output", str(state / "laporan.html")]
        nights = [run_measured(cron, env) for _ in range(args.repeat + 1)][1:]
        night = statistics.median(wall for wall, _ in nights)
        night_rss = max(rss for _, rss in nights)

        files = report.files_seen
        print(f"files: {files:,} (matched as evidence: {matched:,}); medians of {args.repeat} runs")
        print(f"find -type f                      {find:7.3f} s")
        print(f"find -printf '%s %T@ %p' (anchor) {find_stat:7.3f} s")
        print(
            f"zi-audit first scan (process)     {first_s:7.3f} s   {files / first_s:9,.0f} files/s"
        )
        print("zi-audit: nightly rescans (verdict cache warm, as every run after the first)")
        print(
            f"zi-audit scan (process)           {whole:7.3f} s   {files / whole:9,.0f} files/s"
            f"   ratio to find -printf: {whole / find_stat:5.2f}"
        )
        print(
            f"zi-audit scan (in-process)        {inproc:7.3f} s   {files / inproc:9,.0f} files/s"
            f"   ratio to find -printf: {inproc / find_stat:5.2f}"
        )
        print(
            f"after 100 files changed (process) {changed:7.3f} s   {files / changed:9,.0f} files/s"
            f"   ratio to find -printf: {changed / find_stat:5.2f}"
        )
        if len(changed_times) > 2:  # the spread: on a noisy machine one run moves by a fifth
            runs = sorted(changed_times[1:])
            print(f"   its {len(runs)} runs {runs[0]:.3f}-{runs[-1]:.3f} s", end="")
            print(f", ratios {runs[0] / find_stat:.2f}-{runs[-1] / find_stat:.2f}")
        print(
            f"nightly as cron runs it (process) {night:7.3f} s   {files / night:9,.0f} files/s"
            f"   ratio to find -printf: {night / find_stat:5.2f}   (history, --format html)"
        )
        print(
            f"peak RSS of an unchanged rescan   {rss_mb:7.1f} MB   (the largest of {args.repeat})"
        )
        print(f"peak RSS of the nightly as cron   {night_rss:7.1f} MB")
        print(f"peak RSS after 100 changed        {max(changed_rss[1:] or changed_rss):7.1f} MB")
        print(f"peak RSS of the first scan        {first_rss:7.1f} MB   (its largest process)")
    finally:
        if args.root is not None:
            shutil.rmtree(state, ignore_errors=True)
        elif args.keep is None:
            shutil.rmtree(root.parent)
        else:
            shutil.rmtree(root.parent / "state", ignore_errors=True)


if __name__ == "__main__":
    main()
