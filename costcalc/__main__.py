import sys

from costcalc.cli.app import main

sys.exit(main())
