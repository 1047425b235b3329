"""The SMTP password, from the environment or an owner-only file; never printed or logged."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from zi_audit.config.model import CONFIG_NAME, Smtp
from zi_audit.core.errors import ConfigError


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
            # The path is not shown: a password written there by mistake would be.
            raise ConfigError(
                where,
                None,
                "password_file",
                f"the file it names cannot be read ({exc.strerror}); it must be the path of a "
                "file holding the password, not the password",
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
