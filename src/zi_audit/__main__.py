from zi_audit.cli.main import run

run()
