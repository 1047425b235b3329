from zi_audit.cli.main import main

main()
