"""The README's server steps, walked on this machine as a new admin would (#21.6): a user,
its directories, the configuration, `config check` and the first run as that user, then
the cron line run with cron's empty environment (`env -i`) as that user. Everything lives
in a throwaway prefix and the user is removed after; nothing touches /etc or /var."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import EXAMPLE_TREE, REPO
from tests.helpers.smtp_server import PASSWORD, USER, Sink

SETUP = REPO / "examples" / "cron" / "setup-server.sh"
NEEDS_ROOT = pytest.mark.skipif(
    not hasattr(os, "geteuid")
    or os.geteuid() != 0
    or not (shutil.which("useradd") and shutil.which("runuser")),
    reason="creates a system user: needs root, useradd and runuser (CI runs as root)",
)


@pytest.fixture
def prefix() -> Iterator[Path]:
    """A world-traversable throwaway root (pytest's tmp_path is root-only)."""
    path = Path(tempfile.mkdtemp(prefix="zi-walk-", dir="/tmp"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def job_user() -> Iterator[str]:
    name = f"zitest{os.getpid() % 100000}"
    try:
        yield name
    finally:
        subprocess.run(["userdel", name], capture_output=True, check=False)


def _install(prefix: Path) -> Path:
    """README step 1: `python3 -m venv /opt/zi-audit/.venv` and pip install the checkout,
    with the system's Python (this test's own may live where other users cannot reach)."""
    python = shutil.which("python3", path="/usr/local/bin:/usr/bin:/bin")
    if python is None:
        pytest.skip("no system python3 for the job's user to run")
    venv = prefix / "opt" / "zi-audit" / ".venv"
    made = subprocess.run(
        [python, "-m", "venv", str(venv)], capture_output=True, text=True, check=False
    )
    if made.returncode != 0:
        pytest.skip(f"python3 -m venv is not available here: {made.stderr.strip()[:200]}")
    cache = REPO / "build" / "pip-cache"
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", "--cache-dir", str(cache), str(REPO)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return venv / "bin" / "zi-audit"


def _setup(prefix: Path, user: str, share: Path, program: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin",
        "PREFIX": str(prefix),
        "ZI_USER": user,
        "ZI_AUDIT": str(program),
        "SHARE": str(share),
        "ZI_AUDIT_SYSTEM_CONFIG": str(prefix / "etc/zi-audit/zi-audit.yaml"),
    }
    return subprocess.run(
        ["sh", str(SETUP)], env=env, capture_output=True, text=True, timeout=300, check=False
    )


@NEEDS_ROOT
def test_the_readme_server_steps_work_as_written(
    prefix: Path, job_user: str, plain_server: tuple[Sink, int]
) -> None:
    sink, port = plain_server
    share = prefix / "srv" / "bukti"
    shutil.copytree(EXAMPLE_TREE, share)
    subprocess.run(["chmod", "-R", "a+rX", str(prefix / "srv")], check=True)

    # First run: the user, the directories and the configuration are made; the check
    # stops it, as it should, until the admin has put the SMTP password in place.
    program = _install(prefix)
    first = _setup(prefix, job_user, share, program)
    assert first.returncode != 0 and "password_file" in first.stdout + first.stderr
    state, logs = prefix / "var/lib/zi-audit", prefix / "var/log/zi-audit"
    for folder, mode in ((state, 0o700), (logs, 0o750)):
        info = folder.stat()
        assert (info.st_mode & 0o777, info.st_uid) == (mode, _uid(job_user))

    # The admin edits the configuration (here: the loopback mail server) and the password.
    config = prefix / "etc/zi-audit/zi-audit.yaml"
    text = config.read_text(encoding="utf-8")
    assert f"user: {job_user}" in text and f"root: {share}" in text
    text = re.sub(r"host: \S+", "host: 127.0.0.1", text)
    text = re.sub(r"port: \d+", f"port: {port}", text)
    text = re.sub(r"username: \S+", f"username: {USER}", text)
    config.write_text(re.sub(r"security: \w+", "security: plain", text), encoding="utf-8")
    secret = prefix / "etc/zi-audit/smtp-password"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    os.chown(secret, _uid(job_user), -1)
    secret.chmod(0o600)
    again = _setup(prefix, job_user, share, program)
    assert again.returncode == 0, again.stdout + again.stderr
    assert (state / "history.sqlite3").stat().st_uid == _uid(job_user)

    # The cron line, as cron runs it: that user, an empty environment.
    line = (REPO / "examples/cron/crontab").read_text().strip().splitlines()[-1]
    command = line.split(" * * * ", 1)[1]
    command = command.replace("/opt/zi-audit/.venv/bin/zi-audit", str(program))
    command = command.replace("/etc/zi-audit", str(prefix / "etc/zi-audit"))
    command = command.replace("/var/lib/zi-audit", str(state))
    cron = subprocess.run(
        [
            "runuser",
            "-u",
            job_user,
            "--",
            "env",
            "-i",
            "PATH=/usr/bin:/bin",
            "PYTHONUTF8=1",
            "sh",
            "-c",
            command,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert cron.returncode == 0, cron.stdout + cron.stderr
    assert sink.received and (state / "laporan.html").stat().st_uid == _uid(job_user)
    assert "email: 1 message sent" in (logs / "zi-audit.log").read_text(encoding="utf-8")

    # Root checks what the job's user can do, and is refused the job's state.
    env = {"PATH": "/usr/bin:/bin", "ZI_AUDIT_SYSTEM_CONFIG": str(config)}
    check = subprocess.run(
        [str(program), "config", "check", "--config", str(config)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert check.returncode == 0 and f"pengguna job {job_user}" in check.stdout, check
    root_scan = subprocess.run(
        [str(program), "scan", "--config", str(config), "--quiet"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert root_scan.returncode == 2 and f"sudo -u {job_user}" in root_scan.stderr


def _uid(user: str) -> int:
    import pwd

    return pwd.getpwnam(user).pw_uid
