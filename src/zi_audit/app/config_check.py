"""`zi-audit config check`: fail now, not at 1 a.m.

Everything the nightly run will need is tried without side effects: the share is there
and readable, the state directory and the log file can be written, the SMTP password can
be read, and with `--connect` the SMTP server answers and accepts the login. What was not
tried is said, so an OK means what it says.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from zi_audit.config import Config, read_password
from zi_audit.core.errors import ZiAuditError
from zi_audit.deliver import smtp
from zi_audit.i18n import t
from zi_audit.rules.model import RuleSet


@dataclass
class Preflight:
    lang: str = "id"
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def ok(self, key: str, **values: object) -> None:
        self.lines.append(t("cc.line_ok", self.lang, what=t(key, self.lang, **values)))

    def bad(self, what: str) -> None:
        self.lines.append(t("cc.line_problem", self.lang, what=what))
        self.problems.append(what)

    def bad_key(self, key: str, **values: object) -> None:
        self.bad(t(key, self.lang, **values))

    def skipped(self, key: str) -> None:
        self.lines.append(t("cc.line_skipped", self.lang, what=t(key, self.lang)))


def _writable(path: Path) -> bool:
    """Could a file be created or appended here, without trying it?"""
    if path.exists():
        return os.access(path, os.W_OK)
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    return os.access(parent, os.W_OK | os.X_OK)


def check(
    config: Config, rules: RuleSet, state: Path, *, connect: bool = False, lang: str = "id"
) -> Preflight:
    out = Preflight(lang, [f"{config.path}:"])
    out.ok("cc.rules", path=rules.path, n=len(rules.indicators))
    root = config.root
    if root is None:
        out.skipped("cc.root_unset")
    elif not root.is_dir():
        out.bad_key("cc.root_missing", root=root)
    elif not os.access(root, os.R_OK | os.X_OK):
        out.bad_key("cc.root_unreadable", root=root)
    else:
        out.ok("cc.root_ok", root=root)
    if _writable(state):
        out.ok("cc.state_ok", state=state)
    else:
        out.bad_key("cc.state_bad", state=state)
    if config.log_file is None:
        out.skipped("cc.log_unset")
    elif _writable(config.log_file):
        out.ok("cc.log_ok", path=config.log_file)
    else:
        out.bad_key("cc.log_bad", path=config.log_file)
    _mail(config, out, connect)
    for owner in config.owners:
        out.ok("cc.owner", component=owner.component, name=owner.name, email=owner.email)
    return out


def _mail(config: Config, out: Preflight, connect: bool) -> None:
    if config.email is None:
        out.skipped("cc.mail_unset")
        return
    s, lang = config.email.smtp, out.lang
    if s.password_env:
        source = t("cc.password_env", lang, name=s.password_env)
    elif s.password_file:
        source = t("cc.password_file", lang, path=s.password_file)
    else:
        source = t("cc.password_none", lang)
    password = None
    try:
        password = read_password(s, config.path) if s.username else None
    except ZiAuditError as exc:
        out.bad(str(exc))
        return
    user = s.username or "-"
    out.ok("cc.mail", security=s.security, host=s.host, port=s.port, user=user, source=source)
    out.ok("cc.recipients", addresses=", ".join(config.email.recipients))
    if not connect:
        out.skipped("cc.smtp_untried")
        return
    try:
        conn = smtp.connect(s, password)
    except Exception as exc:  # every failure is a finding here, worded by smtp.describe
        out.bad(f"SMTP: {smtp.describe(exc, s)}")
        return
    with contextlib.suppress(Exception):
        conn.quit()
    out.ok("cc.smtp_login" if s.username else "cc.smtp_answered", host=s.host, port=s.port)


def as_job_user(config: Config, *, connect: bool, lang: str) -> tuple[int, str] | None:
    """Run as root for a configuration whose job runs as `user`: the check is made again as
    that user (its groups, cron's empty environment), since what root can read and write
    says nothing about what the nightly run can. None: no other user to check as."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or not config.user or config.path is None:
        return None
    import pwd  # POSIX only, as root is

    try:
        account = pwd.getpwnam(config.user)
    except KeyError:
        return 2, t("cc.no_user", lang, user=config.user)
    cmd = [sys.executable, "-m", "zi_audit", "config", "check", "--config", str(config.path)]
    cmd += ["--lang", lang, *(["--connect"] if connect else [])]
    env = {"PATH": "/usr/bin:/bin", "PYTHONUTF8": "1"}
    if os.environ.get("ZI_AUDIT_SYSTEM_CONFIG"):
        env["ZI_AUDIT_SYSTEM_CONFIG"] = os.environ["ZI_AUDIT_SYSTEM_CONFIG"]
    done = subprocess.run(
        cmd,
        user=account.pw_uid,
        group=account.pw_gid,
        extra_groups=os.getgrouplist(account.pw_name, account.pw_gid),
        env=env,
        cwd="/",
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    said = t("cc.as_user", lang, user=config.user)
    return done.returncode, "\n".join(
        x for x in (said, done.stdout.rstrip(), done.stderr.rstrip()) if x
    )
