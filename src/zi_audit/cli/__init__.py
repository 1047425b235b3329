"""The command line: one module per command, each a few lines over one library call."""

from zi_audit.cli.main import cli, main

__all__ = ["cli", "main"]
