"""The program as a user runs it (cli/main.py, `run`): it ends without the interpreter's
teardown, and still exits with the command's code, its output whole and its exit
handlers run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import REPO

# `run` as the console script calls it, an exit handler registered first.
PROGRAM = """
import atexit, sys
atexit.register(lambda: sys.stderr.write("exit handler ran\\n"))
sys.argv[0] = "zi-audit"
from zi_audit.cli.main import run
run()
"""


def program(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    return subprocess.run(
        [sys.executable, "-c", PROGRAM, *args], capture_output=True, text=True, env=env
    )


def test_a_scan_writes_its_whole_report_and_runs_exit_handlers(
    example_tree: Path, tmp_path: Path
) -> None:
    done = program(
        "scan", str(example_tree), "--as-of", "2025-11-15", "--format", "json",
        "--state", str(tmp_path / "state"), "--no-config",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["tool"] == "zi-audit"  # flushed whole
    assert done.stderr.endswith("exit handler ran\n")


def test_the_commands_exit_code_is_the_programs(tmp_path: Path) -> None:
    missing = program("scan", str(tmp_path / "nowhere"), "--state", str(tmp_path / "s"))
    assert missing.returncode == 2
    assert "nowhere" in missing.stderr and "Traceback" not in missing.stderr
    assert "exit handler ran" in missing.stderr
    assert program("--version").returncode == 0
