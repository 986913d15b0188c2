"""The ``[backup]`` section of site.toml: the console's nightly backup.

* ``dir``: where the backups go (one ``sauvegarde-AAAAMMJJ-HHMMSS`` folder each);
  empty: no nightly backup. Relative to the configuration folder. Prefer another
  disk or a network share: a backup on the data disk dies with it.
* ``at``: the local time of the backup (« 03:00 », the site's time zone).
* ``keep``: how many backups are kept in ``dir`` (the oldest go first).

The nightly backup never includes the stream credentials (no passphrase is stored
anywhere): back them up by hand with ``csu-console backup --with-secrets``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Any

from csu_console.config.checks import Invalid

_CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class BackupConfig:
    """``[backup]``: the nightly backup run by the console (off when ``dir`` is None)."""

    dir: Path | None = None
    at: time = time(3, 0)
    keep: int = 7


def clock(value: Any) -> time:
    """« HH:MM », 24-hour clock."""
    match = _CLOCK.match(value) if isinstance(value, str) else None
    if match is None:
        raise Invalid("heure « HH:MM » attendue (ex. « 03:00 »)")
    return time(int(match.group(1)), int(match.group(2)))
