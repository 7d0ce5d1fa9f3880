"""`python -m frivillighet`: the command line."""

import sys

from frivillighet.cli import main

sys.exit(main())
