"""The configuration file (`zi-audit.yaml`) of a unit's nightly run.

It says where the share is, where zi-audit keeps its state, who receives the gap
report, who owns each component, and how to reach the mail server. Checked as
strictly as the rule file: unknown keys, bad addresses and unsafe mail settings
are refused with file, line and key. Relative paths are relative to the file.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from zi_audit.core.errors import ConfigError
from zi_audit.i18n import LANGS
from zi_audit.lke.answers import Hasil, parse_hasil
from zi_audit.util.timezones import plan_zone
from zi_audit.util.yamlread import Reader

CONFIG_NAME = "zi-audit.yaml"
SECURITY = ("starttls", "tls", "plain")
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
_EMAIL = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")

_TOP = {
    "root": False,
    "rules": False,
    "state": False,
    "lang": False,
    "timezone": False,
    "grace_days": False,
    "recurring_grace_days": False,
    "log_file": False,
    "shrink_threshold": False,
    "email": False,
    "owners": False,
    "lke": False,
    "unit_kind": False,
    "pics": False,
    "units": False,
}
_UNIT = {"folder": True, "name": False, "kind": False, "recipients": False}
_LKE = {"ipak": False, "ipkp": False, "capaian_kinerja": False, "answers": False}
_EMAIL_KEYS = {
    "smtp": True,
    "sender": True,
    "recipients": True,
    "retries": False,
    "subject_prefix": False,
    "owners_after_plan_end": False,
    "deadline": False,
}
_SMTP = {
    "host": True,
    "port": False,
    "security": False,
    "username": False,
    "password_env": False,
    "password_file": False,
    "ca_file": False,
    "timeout": False,
}
_OWNER = {"name": False, "email": True}


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int
    security: str = "starttls"
    username: str | None = None
    password_env: str | None = None
    password_file: Path | None = None
    ca_file: Path | None = None
    timeout: float = 30.0


@dataclass(frozen=True)
class EmailSettings:
    smtp: Smtp
    sender: str
    recipients: tuple[str, ...]
    retries: int = 4
    subject_prefix: str = "[zi-audit]"
    # After the plan year, every item is overdue: owners get no nightly gap mail about
    # last year's plan unless this is set (the Tim ZI always does, told the plan ended).
    owners_after_plan_end: bool = False
    # Seconds the whole delivery may take, retries included; then the messages are kept.
    deadline: float = 180.0


@dataclass(frozen=True)
class Owner:
    component: str
    name: str
    email: str


@dataclass(frozen=True)
class Unit:
    """One unit of a share that holds several (a Kanwil's UPTs): a top-level folder."""

    folder: str
    name: str
    kind: str | None = None  # its kind, for applies_to; else the configuration's unit_kind
    recipients: tuple[str, ...] = ()  # its own Tim ZI; else the configuration's


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    root: Path | None = None
    rules: Path | None = None
    state: Path | None = None
    lang: str = "id"
    timezone: str | None = None  # None: the rule file's plan.timezone
    grace_days: int | None = None  # None: the rule file's defaults
    recurring_grace_days: int | None = None
    log_file: Path | None = None
    shrink_threshold: float = 1 / 3
    email: EmailSettings | None = None
    owners: tuple[Owner, ...] = field(default_factory=tuple)
    hasil: Hasil = field(default_factory=Hasil)  # the LKE's Hasil the team enters
    answers: Path | None = None  # the team's own LKE answers (lke/answers.py)
    unit_kind: str | None = None  # for items that apply to some kinds of unit only
    pics: dict[str, str] = field(default_factory=dict)  # a rule file's PIC name -> address
    # None: the share is one unit; () : every top-level folder is one; else the units listed
    units: tuple[Unit, ...] | None = None


def config_candidates() -> list[Path]:
    """Where a configuration is looked for when --config is not given, first found wins."""
    out = []
    if os.environ.get("ZI_AUDIT_CONFIG"):
        out.append(Path(os.environ["ZI_AUDIT_CONFIG"]))
    out.append(Path.cwd() / CONFIG_NAME)
    config_home = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    out.append(Path(config_home) / "zi-audit" / CONFIG_NAME)
    out.append(Path("/etc/zi-audit") / CONFIG_NAME)
    return out


def find_config(explicit: Path | None) -> Config:
    if explicit is not None:
        return load_config(explicit)
    for candidate in config_candidates():
        if candidate.is_file():
            return load_config(candidate)
    return Config()


def load_config(path: Path) -> Config:
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise ConfigError(shown, None, None, f"cannot read the configuration: {reason}") from None
    return parse_config(text, path)


def parse_config(text: str, path: Path) -> Config:
    r = Reader(str(path), ConfigError)
    top = r.mapping(r.compose(text, "the configuration"), "the configuration", _TOP)
    base = path.parent

    def a_path(key: str) -> Path | None:
        if key not in top:
            return None
        return (base / r.text(top[key], key)).expanduser()

    lang = r.text(top["lang"], "lang") if "lang" in top else "id"
    if lang not in LANGS:
        raise r.fail(top["lang"], "lang", f"must be one of {', '.join(LANGS)}")
    shrink = 1 / 3
    if "shrink_threshold" in top:
        raw = r.text(top["shrink_threshold"], "shrink_threshold")
        try:
            shrink = float(raw)
        except ValueError:
            shrink = -1.0
        if not 0 < shrink < 1:
            raise r.fail(
                top["shrink_threshold"],
                "shrink_threshold",
                "must be a fraction between 0 and 1, e.g. 0.33",
            )
    timezone = r.text(top["timezone"], "timezone") if "timezone" in top else None
    if timezone is not None:
        try:
            plan_zone(timezone)
        except ValueError as exc:
            raise r.fail(top["timezone"], "timezone", str(exc)) from None
    grace = {
        key: r.integer(top[key], key, 0, 366) if key in top else None
        for key in ("grace_days", "recurring_grace_days")
    }
    return Config(
        path=path,
        timezone=timezone,
        grace_days=grace["grace_days"],
        recurring_grace_days=grace["recurring_grace_days"],
        root=a_path("root"),
        rules=a_path("rules"),
        state=a_path("state"),
        lang=lang,
        log_file=a_path("log_file"),
        shrink_threshold=shrink,
        email=_email(r, top["email"], base) if "email" in top else None,
        owners=_owners(r, top["owners"]) if "owners" in top else (),
        hasil=_hasil(r, top["lke"]) if "lke" in top else Hasil(),
        answers=_answers_path(r, top["lke"], base) if "lke" in top else None,
        unit_kind=r.text(top["unit_kind"], "unit_kind").lower() if "unit_kind" in top else None,
        pics=_pics(r, top["pics"]) if "pics" in top else {},
        units=_units(r, top["units"]) if "units" in top else None,
    )


def _units(r: Reader, node: yaml.Node) -> tuple[Unit, ...]:
    """`units: all` (every top-level folder is a unit) or a list of {folder, name, kind,
    recipients}."""
    if isinstance(node, yaml.ScalarNode) and str(node.value).lower() == "all":
        return ()
    out = []
    for item in r.sequence(node, "units"):
        u = r.mapping(item, "a unit", _UNIT)
        folder = r.text(u["folder"], "folder")
        if "/" in folder or folder in (".", ".."):
            raise r.fail(u["folder"], "folder", "must be one top-level folder of the share")
        recipients = (
            tuple(
                _address(r, n, "recipients", v) for v, n in r.texts(u["recipients"], "recipients")
            )
            if "recipients" in u
            else ()
        )
        out.append(
            Unit(
                folder,
                r.text(u["name"], "name") if "name" in u else folder,
                r.text(u["kind"], "kind").lower() if "kind" in u else None,
                recipients,
            )
        )
    return tuple(out)


def _pics(r: Reader, node: yaml.Node) -> dict[str, str]:
    if not isinstance(node, yaml.MappingNode):
        raise r.fail(
            node, "pics", 'must map PIC names to addresses, e.g. "Kasubbag Umum": a@b.go.id'
        )
    out = {}
    for key_node, value in node.value:
        name = r.text(key_node, "pics")
        out[name] = _address(r, value, name, r.text(value, name))
    return out


def _answers_path(r: Reader, node: yaml.Node, base: Path) -> Path | None:
    m = r.mapping(node, "lke", _LKE)
    return (base / r.text(m["answers"], "answers")) if "answers" in m else None


def _hasil(r: Reader, node: yaml.Node) -> Hasil:
    """The LKE's Hasil figures the team enters: survey results 0-4, Capaian Kinerja A-E."""
    return parse_hasil(r, node, "lke", ("answers",))


def _address(r: Reader, node: yaml.Node, key: str, value: str) -> str:
    bare = value.rsplit("<", 1)[-1].rstrip(">").strip()
    if not _EMAIL.match(bare) or "\n" in value or "\r" in value:
        raise r.fail(node, key, f"'{value}' is not an email address")
    return value


def _email(r: Reader, node: yaml.Node, base: Path) -> EmailSettings:
    e = r.mapping(node, "email", _EMAIL_KEYS)
    s = r.mapping(e["smtp"], "email.smtp", _SMTP)
    host = r.text(s["host"], "host")
    security = r.text(s["security"], "security") if "security" in s else "starttls"
    if security not in SECURITY:
        raise r.fail(s["security"], "security", f"must be one of {', '.join(SECURITY)}")
    if security == "plain" and host not in LOCAL_HOSTS:
        raise r.fail(
            s["security"],
            "security",
            "plain (unencrypted) mail is only allowed to a server on this machine",
        )
    default_port = {"starttls": 587, "tls": 465, "plain": 25}[security]
    port = r.integer(s["port"], "port", 1, 65535) if "port" in s else default_port
    if "password_env" in s and "password_file" in s:
        raise r.fail(
            s["password_file"], "password_file", "give password_env or password_file, not both"
        )
    password_file = (
        (base / r.text(s["password_file"], "password_file")) if "password_file" in s else None
    )
    smtp = Smtp(
        host=host,
        port=port,
        security=security,
        username=r.text(s["username"], "username") if "username" in s else None,
        password_env=r.text(s["password_env"], "password_env") if "password_env" in s else None,
        password_file=password_file,
        ca_file=(base / r.text(s["ca_file"], "ca_file")) if "ca_file" in s else None,
        timeout=float(r.integer(s["timeout"], "timeout", 1, 600)) if "timeout" in s else 30.0,
    )
    recipients = tuple(
        _address(r, n, "recipients", v) for v, n in r.texts(e["recipients"], "recipients")
    )
    if not recipients:
        raise r.fail(e["recipients"], "recipients", "must name at least one address")
    return EmailSettings(
        smtp=smtp,
        sender=_address(r, e["sender"], "sender", r.text(e["sender"], "sender")),
        recipients=recipients,
        retries=r.integer(e["retries"], "retries", 0, 10) if "retries" in e else 4,
        subject_prefix=r.text(e["subject_prefix"], "subject_prefix")
        if "subject_prefix" in e
        else "[zi-audit]",
        owners_after_plan_end=r.boolean(e["owners_after_plan_end"], "owners_after_plan_end")
        if "owners_after_plan_end" in e
        else False,
        deadline=float(r.integer(e["deadline"], "deadline", 5, 3600)) if "deadline" in e else 180.0,
    )


def _owners(r: Reader, node: yaml.Node) -> tuple[Owner, ...]:
    if not isinstance(node, yaml.MappingNode):
        raise r.fail(
            node, "owners", 'must map component ids to owners, e.g. "1": {name: …, email: …}'
        )
    out = []
    seen: set[str] = set()
    for key_node, value in node.value:
        component = str(key_node.value)
        if component in seen:
            raise r.fail(key_node, component, "appears twice in owners")
        seen.add(component)
        o = r.mapping(value, f"the owner of component {component}", _OWNER)
        name = r.text(o["name"], "name") if "name" in o else ""
        out.append(
            Owner(component, name, _address(r, o["email"], "email", r.text(o["email"], "email")))
        )
    return tuple(out)


def read_password(smtp: Smtp, config_path: Path | None) -> str | None:
    """The SMTP password from the environment or an owner-only file; never logged."""
    where = str(config_path or CONFIG_NAME)
    if smtp.password_env:
        value = os.environ.get(smtp.password_env)
        if not value:
            raise ConfigError(
                where,
                None,
                "password_env",
                f"the environment variable {smtp.password_env} is not set",
            )
        return value
    if smtp.password_file:
        try:
            st = smtp.password_file.stat()
        except OSError as exc:
            raise ConfigError(
                where, None, "password_file", f"cannot read {smtp.password_file}: {exc.strerror}"
            ) from None
        if st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise ConfigError(
                where,
                None,
                "password_file",
                f"{smtp.password_file} can be read by others; run: chmod 600 {smtp.password_file}",
            )
        if hasattr(os, "getuid") and st.st_uid != os.getuid():
            raise ConfigError(
                where, None, "password_file", f"{smtp.password_file} belongs to another user"
            )
        try:
            return smtp.password_file.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
            raise ConfigError(
                where, None, "password_file", f"cannot read {smtp.password_file}: {reason}"
            ) from None
    return None
