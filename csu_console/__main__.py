"""``python -m csu_console``."""

import sys

from csu_console.cli import main

sys.exit(main())
