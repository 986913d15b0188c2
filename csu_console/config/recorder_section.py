"""The ``[recorder]`` section of site.toml: where recordings are and how they are kept.

* ``dir``: the recording folder (segments and ``index.sqlite``); empty: the data
  folder's ``recordings``. A console on another machine reads the recorder's folder
  over a share (read-only but for the holds of an extraction).
* ``segment_s``: the length of one segment (60: one file a minute per camera).
* ``disk_budget_gb``: the most the recordings may take (0: no budget, only
  ``min_free_gb``); past it the oldest segments not under a legal hold go first.
* ``min_free_gb``: below this much free disk, recording is « interrompu » and the
  oldest unheld segments are rotated.
* ``stream``: which stream of each camera is recorded (``main`` or ``sub``).
* ``record``: the cameras recorded (empty: all the site's cameras).

The retention is ``[retention] video_days`` (30 at most, CNIL). A camera whose
recordings are on an NVR has a ``replay_url`` in ``cameras.geojson`` instead (see
:mod:`csu_console.media.replay`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class RecorderConfig:
    """``[recorder]``: the project's recorder (``csu-recorder``) and its folder."""

    dir: Path | None = None
    segment_s: int = 60
    disk_budget_gb: float = 0.0
    min_free_gb: float = 1.0
    stream: str = "main"
    record: tuple[str, ...] = ()

    def folder(self, data_dir: Path) -> Path:
        """The recording folder: ``dir``, or ``<data_dir>/recordings``."""
        return self.dir if self.dir is not None else data_dir / "recordings"
