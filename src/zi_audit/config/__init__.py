"""The configuration file (`zi-audit.yaml`) of a unit's nightly run.

It says where the share is, where zi-audit keeps its state, who receives the gap report,
who owns each component, and how to reach the mail server. model.py holds the values and
their defaults, parse.py the checks, find.py where a configuration is looked for,
password.py the SMTP password.
"""

from zi_audit.config.find import config_candidates, find_config, load_config
from zi_audit.config.model import (
    CONFIG_NAME,
    LOCAL_HOSTS,
    SECURITY,
    Config,
    EmailSettings,
    Owner,
    Smtp,
    Unit,
)
from zi_audit.config.parse import parse_config
from zi_audit.config.password import read_password

__all__ = [
    "CONFIG_NAME",
    "LOCAL_HOSTS",
    "SECURITY",
    "Config",
    "EmailSettings",
    "Owner",
    "Smtp",
    "Unit",
    "config_candidates",
    "find_config",
    "load_config",
    "parse_config",
    "read_password",
]
