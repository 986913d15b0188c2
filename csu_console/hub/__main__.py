"""``python -m csu_console.hub``: the same as ``csu-hub``."""

from __future__ import annotations

import sys

from csu_console.hub.cli import main

sys.exit(main())
