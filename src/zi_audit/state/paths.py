"""Where zi-audit keeps its own files, and what they are called: never on the share.

The user's data directory by default (`$XDG_DATA_HOME/zi-audit`, `~/.local/share/zi-audit`,
`%LOCALAPPDATA%\\zi-audit`), or `--state DIR`. Locks and SQLite need a local disk: an NFS
share would lock on one machine only. Every file name in the state directory is defined
here and nowhere else; docs/state.md describes each.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import NamedTuple

from zi_audit.core.errors import ZiAuditError
from zi_audit.i18n import t

CACHE_FILE = "facts.sqlite3"
HISTORY_FILE = "history.sqlite3"
LOCK_FILE = "zi-audit.lock"
LAST_REPORT = "last-report.json"
LAST_ROLLUP = "last-rollup.json"
SUGGESTIONS = "suggestions.json"
LISTING = "folders.sqlite3"
RESULTS = "results.sqlite3"
OUTBOX = "outbox"
UNSENT = "unsent"


def default_state_dir() -> Path:
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "zi-audit"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "zi-audit"


class StateDir(NamedTuple):
    """The state directory and the paths of what lives in it."""

    path: Path

    @property
    def cache(self) -> Path:
        return self.path / CACHE_FILE

    @property
    def history(self) -> Path:
        return self.path / HISTORY_FILE

    @property
    def lock(self) -> Path:
        return self.path / LOCK_FILE

    @property
    def last_report(self) -> Path:
        return self.path / LAST_REPORT

    @property
    def last_rollup(self) -> Path:
        """The roll-up of the last `scan --units`, for `report --units` to show again."""
        return self.path / LAST_ROLLUP

    @property
    def suggestions(self) -> Path:
        return self.path / SUGGESTIONS

    @property
    def listing(self) -> Path:
        return self.path / LISTING

    @property
    def results(self) -> Path:
        return self.path / RESULTS

    def outbox(self, now: dt.datetime | None = None) -> Path:
        """A fresh folder for the .eml files of one dry run."""
        return self.path / OUTBOX / _stamp(now)

    def unsent(self, now: dt.datetime | None = None) -> Path:
        """A fresh folder for the messages of one delivery that did not go through."""
        return self.path / UNSENT / _stamp(now)


def _stamp(now: dt.datetime | None) -> str:
    return (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")


def resolve_state_dir(state: Path | None) -> Path:
    """The state directory a command uses: --state, else the configuration's, else the default."""
    return (state or default_state_dir()).expanduser().absolute()


def prepare_state_dir(
    state: Path | None, scanned_root: Path | None = None, lang: str = "id"
) -> StateDir:
    """Create the state directory (owner-only) and refuse one inside the scanned tree."""
    path = resolve_state_dir(state)
    if scanned_root is not None:
        root = scanned_root.resolve()
        resolved = path.resolve()
        if resolved == root or root in resolved.parents:
            raise ZiAuditError(t("state.inside", lang, path=path))
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise ZiAuditError(t("state.cannot_create", lang, path=path, why=exc.strerror)) from None
    if hasattr(os, "getuid") and path.stat().st_uid != os.getuid():
        # Another user's directory could hold links planted for us to write through.
        raise ZiAuditError(t("state.other_user", lang, path=path))
    return StateDir(path)
