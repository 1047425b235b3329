"""The command line: one module per command, each a few lines over one library call.

The entry point is `zi_audit.cli.main:run`; this file imports nothing, so that a command
module importing `zi_audit.cli.options` never pulls the whole group in a circle.
"""
