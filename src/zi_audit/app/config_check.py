"""`zi-audit config check`: fail now, not at 1 a.m.

Everything the nightly run will need is tried without side effects: the share is there
and readable, the state directory and the log file can be written, the SMTP password can
be read, and with `--connect` the SMTP server answers and accepts the login. What was not
tried is said, so an OK means what it says.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from zi_audit.config import Config, read_password
from zi_audit.core.errors import ZiAuditError
from zi_audit.deliver import smtp
from zi_audit.rules.model import RuleSet


@dataclass
class Preflight:
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def ok(self, what: str) -> None:
        self.lines.append(f"  ok       {what}")

    def bad(self, what: str) -> None:
        self.lines.append(f"  PROBLEM  {what}")
        self.problems.append(what)

    def skipped(self, what: str) -> None:
        self.lines.append(f"  not checked: {what}")


def _writable(path: Path) -> bool:
    """Could a file be created or appended here, without trying it?"""
    if path.exists():
        return os.access(path, os.W_OK)
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    return os.access(parent, os.W_OK | os.X_OK)


def check(config: Config, rules: RuleSet, state: Path, *, connect: bool = False) -> Preflight:
    out = Preflight([f"{config.path}:"])
    out.ok(f"rules {rules.path} ({len(rules.indicators)} indicators)")
    root = config.root
    if root is None:
        out.skipped("root (not set: the nightly run needs ROOT on its command line)")
    elif not root.is_dir():
        out.bad(f"root {root} is not there or not a folder (is the share mounted?)")
    elif not os.access(root, os.R_OK | os.X_OK):
        out.bad(f"root {root} cannot be read by this user")
    else:
        out.ok(f"root {root} is there and readable")
    if _writable(state):
        out.ok(f"state {state} can be written")
    else:
        out.bad(f"state {state} cannot be created or written by this user")
    if config.log_file is None:
        out.skipped("log_file (not set: no log is kept)")
    elif _writable(config.log_file):
        out.ok(f"log_file {config.log_file} can be written")
    else:
        out.bad(f"log_file {config.log_file} cannot be written by this user")
    _mail(config, out, connect)
    for owner in config.owners:
        out.ok(f"owner of component {owner.component}: {owner.name} <{owner.email}>")
    return out


def _mail(config: Config, out: Preflight, connect: bool) -> None:
    if config.email is None:
        out.skipped("email (no 'email' section: nothing will be sent)")
        return
    s = config.email.smtp
    source = (
        f"from ${s.password_env}"
        if s.password_env
        else (f"from {s.password_file}" if s.password_file else "none")
    )
    password = None
    try:
        password = read_password(s, config.path) if s.username else None
        out.ok(f"mail {s.security} {s.host}:{s.port}, login {s.username or '-'}, password {source}")
    except ZiAuditError as exc:
        out.bad(str(exc))
        return
    out.ok(f"recipients {', '.join(config.email.recipients)}")
    if not connect:
        out.skipped("the SMTP server and login (run with --connect to try them; sends nothing)")
        return
    try:
        conn = smtp.connect(s, password)
    except Exception as exc:  # every failure is a finding here, worded by smtp.describe
        out.bad(f"SMTP: {smtp.describe(exc, s)}")
        return
    with contextlib.suppress(Exception):
        conn.quit()
    out.ok(f"SMTP {s.host}:{s.port} answered and accepted the login")
