"""Where things live: the demo site, the default data directory, assets."""

from __future__ import annotations

from pathlib import Path

import platformdirs

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent


def default_data_dir() -> Path:
    """The platform's user data directory (``~/.local/share/csu-console`` on Linux)."""
    return Path(platformdirs.user_data_dir("csu-console", appauthor=False))


def assets_dir() -> Path:
    """The repository's ``assets/`` folder."""
    return REPO_DIR / "assets"
