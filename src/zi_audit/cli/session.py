"""Where a command starts: its configuration, language, state directory and pipeline."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import click

from zi_audit.app.plan import load_plan
from zi_audit.cli.errors import UserError
from zi_audit.cli.options import resolve_lang
from zi_audit.config import Config, find_config
from zi_audit.pipeline import Pipeline, ScanOptions
from zi_audit.rules.model import RuleSet
from zi_audit.state.paths import StateDir, prepare_state_dir


def load_config(ctx: click.Context, config_path: Path | None, lang: str) -> tuple[Config, str]:
    config = find_config(config_path)
    return config, resolve_lang(ctx, lang, config)


def plan_of(
    ctx: click.Context, config_path: Path | None, rules_path: Path | None, lang: str
) -> tuple[RuleSet, Config, str]:
    """The plan a command works on, as every command finds it: --rules, else the rules the
    configuration names, else the bundled ones; and the language it speaks."""
    config, lang = load_config(ctx, config_path, lang)
    return load_plan(rules_path, config), config, lang


def root_of(root: Path | None, config: Config) -> tuple[Path, bool]:
    """The evidence folder, and whether it came from the configuration (the known share)."""
    if root is not None:
        return root, False
    if config.root is not None:
        return config.root, True
    raise UserError("no evidence folder: give ROOT or set 'root' in the configuration")


@dataclass(frozen=True)
class Session:
    """What a command that scans starts from: settings, language, the state and one pipeline."""

    config: Config
    lang: str
    state: StateDir
    pipeline: Pipeline
    root_from_config: bool


def open_session(
    ctx: click.Context,
    root: Path | None,
    config_path: Path | None,
    rules_path: Path | None,
    lang: str,
    state: Path | None,
    scan: ScanOptions,
) -> Session:
    config, lang = load_config(ctx, config_path, lang)
    root, from_config = root_of(root, config)
    rules = load_plan(rules_path, config, scan.as_of.year if scan.as_of else None)
    state_dir = prepare_state_dir(state or config.state, root, lang)
    options = ScanOptions(scan.as_of, scan.ignore_file, lang, scan.jobs, scan.timeout)
    return Session(
        config, lang, state_dir, Pipeline(root, rules, options, state=state_dir), from_config
    )
