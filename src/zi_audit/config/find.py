"""Where the configuration is found when --config is not given, and reading it."""

from __future__ import annotations

import os
from pathlib import Path

from zi_audit.config.model import CONFIG_NAME, Config
from zi_audit.config.parse import parse_config
from zi_audit.core.errors import ConfigError
from zi_audit.util.yamlread import read_text


def config_candidates() -> list[Path]:
    """Where a configuration is looked for when --config is not given, first found wins."""
    out = []
    if os.environ.get("ZI_AUDIT_CONFIG"):
        out.append(Path(os.environ["ZI_AUDIT_CONFIG"]))
    out.append(Path.cwd() / CONFIG_NAME)
    config_home = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    out.append(Path(config_home) / "zi-audit" / CONFIG_NAME)
    out.append(system_config())
    return out


def system_config() -> Path:
    """The server's configuration: /etc/zi-audit/zi-audit.yaml, or where
    $ZI_AUDIT_SYSTEM_CONFIG says (a test, a second instance, a throwaway prefix)."""
    return Path(os.environ.get("ZI_AUDIT_SYSTEM_CONFIG") or f"/etc/zi-audit/{CONFIG_NAME}")


def find_config(explicit: Path | None) -> Config:
    if explicit is not None:
        return load_config(explicit)
    for candidate in config_candidates():
        if candidate.is_file():
            return load_config(candidate)
    return Config()


def load_config(path: Path) -> Config:
    return parse_config(read_text(path, ConfigError, "the configuration"), path)
