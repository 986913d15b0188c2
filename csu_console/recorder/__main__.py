"""``python -m csu_console.recorder``: the same as ``csu-recorder``."""

from __future__ import annotations

import sys

from csu_console.recorder.cli import main

sys.exit(main())
