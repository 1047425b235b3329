"""The plan a run uses: the rule file as the configuration shapes it.

--rules, else the configuration's, else the bundled rules (or `lke-2021`, made from the LKE
tables); the configuration's grace days, time zone and unit kind folded in; its owners and
PICs checked against the plan.
"""

from __future__ import annotations

from pathlib import Path

from zi_audit.config import Config
from zi_audit.core.errors import ConfigError
from zi_audit.lke.rulefile import NAME as LKE_RULES
from zi_audit.lke.rulefile import lke_rules_yaml
from zi_audit.rules.loader import Overrides, load_rules, parse_rules
from zi_audit.rules.model import RuleSet, bundled_rules_path
from zi_audit.util.timezones import WIB, today


def load_plan(
    rules_path: Path | None, config: Config | None = None, year: int | None = None
) -> RuleSet:
    """The rule file (--rules, else the configuration's, else the bundled one) with the
    configuration's grace days and time zone folded in, and its owners checked against it.
    `lke-2021` names the bundled LKE rule file, for plan year `year` (default: this year)."""
    config = config or Config()
    overrides = Overrides(
        config.grace_days, config.recurring_grace_days, config.timezone, config.unit_kind
    )
    chosen = rules_path or config.rules
    # The configuration's owners and PICs are written for its own plan: another plan typed
    # with --rules (a what-if, a draft being tried) is not held to them.
    own = rules_path is None or (config.rules is not None and _same(rules_path, config.rules))
    if chosen is not None and str(chosen) == LKE_RULES and not Path(chosen).exists():
        plan_year = year or today(WIB).year
        rules = parse_rules(lke_rules_yaml(plan_year), LKE_RULES, overrides)
        if own:
            check_owners(config, {c.id for c in rules.components})
        return rules
    rules = load_rules(chosen or bundled_rules_path(), overrides)
    if own:
        check_owners(config, {c.id for c in rules.components})
        check_pics(config, rules)
    return rules


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return str(a) == str(b)


def check_pics(config: Config, rules: RuleSet) -> None:
    """Every PIC a rule file names has an address, where mail is sent."""
    if config.email is None:
        return
    for item in rules.evidence():
        if item.pic and item.pic not in config.pics:
            raise ConfigError(
                rules.path,
                item.line,
                "pic",
                f"PIC '{item.pic}' of {item.key} has no address: add it under 'pics' in "
                f"{config.path or 'zi-audit.yaml'}",
            )


def check_owners(config: Config, component_ids: set[str]) -> None:
    """Owners must name components that exist in the rules in use."""
    for owner in config.owners:
        if owner.component not in component_ids:
            known = ", ".join(sorted(component_ids))
            raise ConfigError(
                str(config.path),
                None,
                "owners",
                f"component '{owner.component}' is not in the rules ({known})",
            )
