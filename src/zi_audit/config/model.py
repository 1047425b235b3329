"""What a unit's configuration says, as frozen values; each default is written here once.

The parser (parse.py) passes only the keys a file gives, so an absent key takes the
default below and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from zi_audit.lke.answers import Hasil

CONFIG_NAME = "zi-audit.yaml"
SECURITY = ("starttls", "tls", "plain")
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "plain": 25}
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


class Smtp(NamedTuple):
    host: str
    port: int
    security: str = "starttls"
    username: str | None = None
    password_env: str | None = None
    password_file: Path | None = None
    ca_file: Path | None = None
    timeout: float = 30.0


class EmailSettings(NamedTuple):
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
    # Who runs the server: told when a nightly run stops early or the share is out.
    admin: tuple[str, ...] = ()


class Owner(NamedTuple):
    component: str
    name: str
    email: str


class Unit(NamedTuple):
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
    links_base_url: str | None = None  # the share published on the web: links go there
    user: str | None = None  # the account the nightly job runs as (root is refused its state)
