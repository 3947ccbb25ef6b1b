from bulkops.cli import main

main()
