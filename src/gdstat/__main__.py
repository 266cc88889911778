from gdstat.cli import main

main()
