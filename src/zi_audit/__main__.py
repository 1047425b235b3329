from zi_audit.cli import main

main()
