"""``csu-hub`` command line (run, status, token): being built, see issue 15."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``csu-hub``."""
    print("csu-hub : en construction", file=sys.stderr)
    return 2
