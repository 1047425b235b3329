"""The `zi-audit` command group. Each command lives in its own module, imported only when
that command runs (or help lists them all): `zi-audit scan` does not pay for the mail,
watch or import machinery it never uses."""

from __future__ import annotations

import atexit
import gc
import importlib
import os
import sys
import threading
from typing import NoReturn

import click

from zi_audit import __version__

# name -> "module:attribute", in the order help lists them
COMMANDS = {
    "scan": "zi_audit.cli.scan:scan",
    "watch": "zi_audit.cli.watch:watch",
    "report": "zi_audit.cli.report:report",
    "email": "zi_audit.cli.email:email",
    "history": "zi_audit.cli.history:history",
    "config": "zi_audit.cli.config:config_group",
    "init": "zi_audit.cli.init:init",
    "explain": "zi_audit.cli.explain:explain",
    "rules": "zi_audit.cli.rules:rules_group",
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, _, attr = target.partition(":")
        command = getattr(importlib.import_module(module), attr)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="zi-audit")
def cli() -> None:
    """Audit a Zona Integritas evidence share (bukti fisik) against the Rencana Aksi."""


def commands() -> dict[str, click.Command]:
    """Every command, loaded (help, the documentation test)."""
    ctx = click.Context(cli)
    return {name: c for name in cli.list_commands(ctx) if (c := cli.get_command(ctx, name))}


def main() -> None:
    # A scan holds some 100,000 small objects until it ends (the folder memo's names, the
    # matched files' stat results) and makes few cycles: at the default thresholds the
    # collector walked them again every 700 allocations, 15% of an unchanged rescan; at
    # 50,000 it still walked them twice (30 ms). At 200,000 a rescan of the 100k share
    # never collects, with the same peak memory.
    gc.set_threshold(200_000, 20, 100)
    cli(prog_name="zi-audit")


def run() -> NoReturn:
    """The `zi-audit` program (console script, `python -m zi_audit`): main(), then the
    process ends without the interpreter's teardown. Freeing a scan's objects one by one
    (the folder memo's names, the matched files' stamps) took 25-30 ms after a scan of the
    100,000-file share (4% of a changed night, a tenth of an unchanged one); the kernel
    frees the memory at once. Exit handlers still run and the standard streams are
    flushed; a thread still at work (none after any command) gets the usual ending."""
    try:
        main()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    if not isinstance(code, int):  # sys.exit("message"), as Python ends it
        if code is not None:
            print(code, file=sys.stderr)
        code = 0 if code is None else 1
    main_thread = threading.main_thread()
    if any(t is not main_thread and t.is_alive() and not t.daemon for t in threading.enumerate()):
        sys.exit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`| head`): its reader has gone
            code = code or 1
    os._exit(code)
