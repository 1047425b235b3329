"""Fixtures: every test runs with a private $HOME; real trees live in tmp_path."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.helpers import EXAMPLE_TREE, Files, smtp_server, write_tree
from tests.helpers.smtp_server import Sink
from zi_audit.rules.loader import load_rules
from zi_audit.rules.model import RuleSet, bundled_rules_path


@pytest.fixture(autouse=True)
def _no_home_writes(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test may write to the real $HOME or the user's data directory, nor read the
    machine's /etc/zi-audit/zi-audit.yaml (a server's own configuration and log)."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("ZI_AUDIT_SYSTEM_CONFIG", str(home / "etc" / "zi-audit.yaml"))
    monkeypatch.delenv("ZI_AUDIT_CONFIG", raising=False)
    # OCR takes seconds a page: only the tests about it ask for it (--ocr-budget).
    monkeypatch.setenv("ZI_AUDIT_OCR_BUDGET", "0")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))


@pytest.fixture(scope="session")
def rules() -> RuleSet:
    return load_rules(bundled_rules_path())


@pytest.fixture
def tree(tmp_path: Path) -> Callable[[Files], Path]:
    def make(files: Files) -> Path:
        return write_tree(tmp_path / "share", files)

    return make


@pytest.fixture
def example_tree(tmp_path: Path) -> Path:
    """A private copy of the bundled example, so no test can alter the committed one."""
    dest = tmp_path / "evidence_tree"
    shutil.copytree(EXAMPLE_TREE, dest)
    return dest


@pytest.fixture
def plain_server() -> Iterator[tuple[Sink, int]]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1, without TLS, for delivery tests."""
    sink = Sink()
    controller = smtp_server.start(sink, tls=None)
    try:
        yield sink, controller.port
    finally:
        controller.stop()
