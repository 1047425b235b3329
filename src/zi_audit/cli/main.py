"""The `zi-audit` command group: every command registered here, each in its own module."""

from __future__ import annotations

import click

from zi_audit import __version__
from zi_audit.cli.config import config_group
from zi_audit.cli.email import email
from zi_audit.cli.explain import explain
from zi_audit.cli.history import history
from zi_audit.cli.init import init
from zi_audit.cli.report import report
from zi_audit.cli.rules import rules_group
from zi_audit.cli.scan import scan
from zi_audit.cli.watch import watch


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="zi-audit")
def cli() -> None:
    """Audit a Zona Integritas evidence share (bukti fisik) against the Rencana Aksi."""


for _command in (scan, watch, report, email, history, config_group, init, explain, rules_group):
    cli.add_command(_command)


def main() -> None:
    cli(prog_name="zi-audit")
