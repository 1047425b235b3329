"""Where zi-audit keeps its own files (cache, later history and locks): never on the share.

The user's data directory by default (`$XDG_DATA_HOME/zi-audit`, `~/.local/share/zi-audit`,
`%LOCALAPPDATA%\\zi-audit`), or `--state DIR`. Locks and SQLite need a local disk: an NFS
share would lock on one machine only.
"""

from __future__ import annotations

import os
from pathlib import Path

from zi_audit.errors import ZiAuditError


def default_state_dir() -> Path:
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "zi-audit"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "zi-audit"


def prepare_state_dir(state: Path | None, scanned_root: Path) -> Path:
    """Create the state directory (owner-only) and refuse one inside the scanned tree."""
    path = (state or default_state_dir()).expanduser().absolute()
    root = scanned_root.resolve()
    resolved = path.resolve()
    if resolved == root or root in resolved.parents:
        raise ZiAuditError(
            f"the state directory {path} is inside the scanned folder; choose another --state"
        )
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise ZiAuditError(f"cannot create the state directory {path}: {exc.strerror}") from None
    return path
