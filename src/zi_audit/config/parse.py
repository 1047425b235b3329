"""Parsing zi-audit.yaml as strictly as a rule file: unknown keys, bad addresses and unsafe
mail settings are refused with file, line and key.

Relative paths are relative to the file, and `~` is expanded in every path the same way
(`_path`). Only the keys a file gives are passed on: defaults live in model.py alone.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from zi_audit.config.model import (
    DEFAULT_PORTS,
    LOCAL_HOSTS,
    SECURITY,
    Config,
    EmailSettings,
    Owner,
    Smtp,
    Unit,
)
from zi_audit.core.errors import ConfigError
from zi_audit.i18n import LANGS
from zi_audit.lke.answers import Hasil, parse_hasil
from zi_audit.util.timezones import plan_zone
from zi_audit.util.yamlread import Reader

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
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
    "links": False,
    "unit_kind": False,
    "user": False,
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
    "admin": False,
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


def _path(r: Reader, node: yaml.Node, key: str, base: Path) -> Path:
    """A path the file gives: `~` expanded, relative to the file's folder."""
    return base / Path(r.text(node, key)).expanduser()


def parse_config(text: str, path: Path) -> Config:
    r = Reader(str(path), ConfigError)
    top = r.mapping(r.compose(text, "the configuration"), "the configuration", _TOP)
    base = path.parent
    given: dict[str, Any] = {
        key: _path(r, top[key], key, base)
        for key in ("root", "rules", "state", "log_file")
        if key in top
    }
    if "lang" in top:
        given["lang"] = r.text(top["lang"], "lang")
        if given["lang"] not in LANGS:
            raise r.fail(top["lang"], "lang", f"must be one of {', '.join(LANGS)}")
    if "shrink_threshold" in top:
        given["shrink_threshold"] = _fraction(r, top["shrink_threshold"])
    if "timezone" in top:
        given["timezone"] = r.text(top["timezone"], "timezone")
        try:
            plan_zone(given["timezone"])
        except ValueError as exc:
            raise r.fail(top["timezone"], "timezone", str(exc)) from None
    for key in ("grace_days", "recurring_grace_days"):
        if key in top:
            given[key] = r.integer(top[key], key, 0, 366)
    if "unit_kind" in top:
        given["unit_kind"] = r.text(top["unit_kind"], "unit_kind").lower()
    if "user" in top:
        given["user"] = r.text(top["user"], "user")
    parsers = {"email": _email, "owners": _owners, "pics": _pics, "units": _units}
    for key, parser in parsers.items():
        if key in top:
            given[key] = parser(r, top[key], base)
    if "links" in top:
        given["links_base_url"] = _base_url(r, top["links"])
    if "lke" in top:
        given["hasil"] = _hasil(r, top["lke"])
        given["answers"] = _answers_path(r, top["lke"], base)
    return Config(path=path, **given)


def _base_url(r: Reader, node: yaml.Node) -> str:
    """links.base_url: where the share is published on the web (Drive, NAS, SharePoint);
    a report's link to a document is this plus the document's path under the root."""
    links = r.mapping(node, "links", {"base_url": True})
    url = r.text(links["base_url"], "base_url")
    if not url.startswith(("https://", "http://", "file://")):
        raise r.fail(links["base_url"], "base_url", "must start with https://, http:// or file://")
    return url if url.endswith("/") else url + "/"


def _fraction(r: Reader, node: yaml.Node) -> float:
    raw = r.text(node, "shrink_threshold")
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value < 1:
        raise r.fail(node, "shrink_threshold", "must be a fraction between 0 and 1, e.g. 0.33")
    return value


def _units(r: Reader, node: yaml.Node, base: Path) -> tuple[Unit, ...]:
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


def _pics(r: Reader, node: yaml.Node, base: Path) -> dict[str, str]:
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
    return _path(r, m["answers"], "answers", base) if "answers" in m else None


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
    recipients = tuple(
        _address(r, n, "recipients", v) for v, n in r.texts(e["recipients"], "recipients")
    )
    if not recipients:
        raise r.fail(e["recipients"], "recipients", "must name at least one address")
    given: dict[str, Any] = {}
    if "retries" in e:
        given["retries"] = r.integer(e["retries"], "retries", 0, 10)
    if "subject_prefix" in e:
        given["subject_prefix"] = r.text(e["subject_prefix"], "subject_prefix")
    if "owners_after_plan_end" in e:
        flag = r.boolean(e["owners_after_plan_end"], "owners_after_plan_end")
        given["owners_after_plan_end"] = flag
    if "deadline" in e:
        given["deadline"] = float(r.integer(e["deadline"], "deadline", 5, 3600))
    if "admin" in e:
        given["admin"] = tuple(_address(r, n, "admin", v) for v, n in r.texts(e["admin"], "admin"))
    return EmailSettings(
        smtp=_smtp(r, e["smtp"], base),
        sender=_address(r, e["sender"], "sender", r.text(e["sender"], "sender")),
        recipients=recipients,
        **given,
    )


def _smtp(r: Reader, node: yaml.Node, base: Path) -> Smtp:
    s = r.mapping(node, "email.smtp", _SMTP)
    host = r.text(s["host"], "host")
    security = r.text(s["security"], "security") if "security" in s else SECURITY[0]
    if security not in SECURITY:
        raise r.fail(s["security"], "security", f"must be one of {', '.join(SECURITY)}")
    if security == "plain" and host not in LOCAL_HOSTS:
        raise r.fail(
            s["security"],
            "security",
            "plain (unencrypted) mail is only allowed to a server on this machine",
        )
    if "password_env" in s and "password_file" in s:
        raise r.fail(
            s["password_file"], "password_file", "give password_env or password_file, not both"
        )
    given: dict[str, Any] = {
        key: r.text(s[key], key) for key in ("username", "password_env") if key in s
    }
    if "password_env" in s and not _ENV_NAME.match(given["password_env"]):
        # Never echoed: a password written here by mistake must not reach a terminal or a log.
        raise r.fail(
            s["password_env"],
            "password_env",
            "must name an environment variable (such as ZI_SMTP_PASSWORD), not hold the "
            "password itself; the value is not shown",
        )
    given |= {key: _path(r, s[key], key, base) for key in ("password_file", "ca_file") if key in s}
    if "timeout" in s:
        given["timeout"] = float(r.integer(s["timeout"], "timeout", 1, 600))
    port = r.integer(s["port"], "port", 1, 65535) if "port" in s else DEFAULT_PORTS[security]
    return Smtp(host=host, port=port, security=security, **given)


def _owners(r: Reader, node: yaml.Node, base: Path) -> tuple[Owner, ...]:
    if not isinstance(node, yaml.MappingNode):
        raise r.fail(
            node, "owners", 'must map component ids to owners, e.g. "1": {name: …, email: …}'
        )
    out = []
    seen: set[str] = set()
    for key_node, value in node.value:
        component = r.text(key_node, "owners")  # a key, never an alias to a tree
        if component in seen:
            raise r.fail(key_node, component, "appears twice in owners")
        seen.add(component)
        o = r.mapping(value, f"the owner of component {component}", _OWNER)
        name = r.text(o["name"], "name") if "name" in o else ""
        out.append(
            Owner(component, name, _address(r, o["email"], "email", r.text(o["email"], "email")))
        )
    return tuple(out)
