from zonedesk.cli import main

main()
