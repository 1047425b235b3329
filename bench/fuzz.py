"""Soak: the fuzz test of tests/faults/test_fuzz.py at 10x (4,000 documents, 3,000 rule files).

    python bench/fuzz.py [--scale 10] [--seed N]

Prints how many files got each verdict, how many were cut off (timeouts), and the wall
time per document; any traceback or a file without a verdict is printed and exits 1.
"""

from __future__ import annotations

import argparse
import collections
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# In place of bench/ itself, whose inspect.py would shadow the standard library module.
sys.path[0:1] = [str(REPO / "src"), str(REPO)]

from click.testing import CliRunner
from tests.helpers import broken, jpeg_bytes, pdf_bytes
from tests.helpers.fuzz import mutate, mutate_text

from zi_audit.cli.main import cli
from zi_audit.inspection.facts import Candidate, ContentInspector


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--seed", type=int, default=20261201)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    seeds = [pdf_bytes(), broken.text_pdf(), broken.encrypted_pdf("x"), broken.signed_field_pdf()]
    photos = [jpeg_bytes(), jpeg_bytes(None)]
    with tempfile.TemporaryDirectory(prefix="zi-fuzz-") as tmp:
        work = Path(tmp)
        files = []
        for n in range(400 * args.scale):
            pdf = n % 4 != 3
            data = mutate(rng.choice(seeds if pdf else photos), rng)
            path = work / f"f{n:05d}.{'pdf' if pdf else 'jpg'}"
            path.write_bytes(data)
            files.append(Candidate(path.name, str(path), path.stat()))
        start = time.perf_counter()
        facts = ContentInspector(work / "facts.sqlite3", timeout=10)(files)
        wall = time.perf_counter() - start
        verdicts = collections.Counter(
            (f.problems[0] if f.problems else "valid") for f in facts.values()
        )
        missing = len(files) - len(facts)
        print(f"documents: {len(files):,} in {wall:.1f} s ({1000 * wall / len(files):.1f} ms each)")
        print("verdicts:", dict(verdicts.most_common()))
        print(f"without a verdict: {missing}; cut off (timeout): {verdicts.get('timeout', 0)}")
        text = (REPO / "rules" / "bukti_fisik.yaml").read_text(encoding="utf-8")
        runner, codes, bad = CliRunner(), collections.Counter(), 0
        for n in range(300 * args.scale):
            path = work / f"r{n:05d}.yaml"
            path.write_text(mutate_text(text, rng), encoding="utf-8")
            try:
                result = runner.invoke(cli, ["rules", "check", str(path)], catch_exceptions=False)
                codes[result.exit_code] += 1
            except Exception as exc:  # a traceback a user would have seen
                bad += 1
                print(f"traceback on {path.name}: {type(exc).__name__}: {exc}")
        print(f"rule files: {sum(codes.values()):,}, exit codes {dict(codes)}, tracebacks {bad}")
        return 1 if missing or bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
