"""Where every command starts: its configuration, language, plan, root and state directory,
each resolved one way for all commands, with the same checks.

The command line only says what was typed (cli/session.py); the rules for what wins
(--rules over the configuration's over the bundled plan, a typed root over the configured
one, the state directory's owner and place) live here.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from zi_audit.app.plan import load_plan
from zi_audit.config import Config, find_config
from zi_audit.core.errors import ZiAuditError
from zi_audit.i18n import t
from zi_audit.pipeline import Pipeline, ScanOptions
from zi_audit.rules.model import RuleSet
from zi_audit.state.paths import StateDir, prepare_state_dir, resolve_state_dir
from zi_audit.util.textnorm import display


class Session(NamedTuple):
    """A command's settings: the configuration found and the language it speaks."""

    config: Config
    lang: str

    def plan(self, rules_path: Path | None, year: int | None = None) -> RuleSet:
        """--rules, else the rules the configuration names, else the bundled ones."""
        return load_plan(rules_path, self.config, year)

    def root(self, root: Path | None) -> tuple[Path, bool]:
        """The evidence folder, and whether it came from the configuration (the known share)."""
        if root is not None:
            return root, False
        if self.config.root is not None:
            return self.config.root, True
        raise ZiAuditError(t("error.no_root", self.lang))

    def typed_root(self, root: Path | None) -> None:
        """A folder typed on the command line that does not exist, or is a file, is a typo:
        a usage error (exit 2), for watch as for scan. The configured share is watched for."""
        if root is None:
            return
        if not root.exists():
            raise ZiAuditError(t("error.missing", self.lang, path=display(str(root))))
        if not root.is_dir():
            raise ZiAuditError(t("error.not_folder", self.lang, path=display(str(root))))

    def state_dir(self, state: Path | None, root: Path | None = None) -> StateDir:
        """The state directory, made if need be: owner-only, never inside the share.
        Where the configuration names the job's `user`, nobody else (root least of all)
        makes or writes its state: root would own it, and every nightly run of the job's
        user would then find it another user's."""
        user = self.config.user
        if state is None and self.config.state is not None and user and user != _whoami():
            path = resolve_state_dir(self.config.state)
            raise ZiAuditError(t("state.root_refused", self.lang, path=path, user=user))
        return prepare_state_dir(state or self.config.state, root, self.lang)

    def state_path(self, state: Path | None) -> StateDir:
        """The state directory to read from, as it is (history, report)."""
        return StateDir(resolve_state_dir(state or self.config.state))


def _whoami() -> str:
    try:
        import pwd  # POSIX only

        return pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError):
        return ""


def start(config_path: Path | None, lang: str | None, *, read_config: bool = True) -> Session:
    """`lang`: the language typed on the command line, else None for the configuration's.
    `read_config=False` (--no-config): no file is read, the built-in defaults stand."""
    config = find_config(config_path) if read_config else Config()
    return Session(config, lang or config.lang)


class ScanSession(NamedTuple):
    """What a command that scans starts from: settings, the state and one pipeline."""

    config: Config
    lang: str
    state: StateDir
    pipeline: Pipeline
    root_from_config: bool


def open_scan(
    session: Session,
    root: Path | None,
    rules_path: Path | None,
    state: Path | None,
    scan: ScanOptions,
    *,
    keep_results: bool = True,
) -> ScanSession:
    """`keep_results`: whether unchanged indicators come from the last scan's fragments
    (state/results.py); watch reads every result's facts, so it asks for none."""
    root, from_config = session.root(root)
    rules = session.plan(rules_path, scan.as_of.year if scan.as_of else None)
    state_dir = session.state_dir(state, root)
    options = scan._replace(lang=session.lang)
    pipeline = Pipeline(root, rules, options, state=state_dir, keep_results=keep_results)
    return ScanSession(session.config, session.lang, state_dir, pipeline, from_config)
