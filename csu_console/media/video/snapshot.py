"""Snapshots: a tile's picture saved as evidence, with its SHA-256 (Qt-free).

The file is written whole under a temporary name, flushed to disk, then renamed:
a crash never leaves a half-written image under the final name. The digest is of
the bytes on disk, so anyone can check the file later with ``sha256sum``.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import cv2
import numpy as np

from csu_console.errors import StorageError
from csu_console.media.video.source import Frame, PixelFormat


@dataclass(frozen=True)
class SnapshotFile:
    path: Path
    sha256: str
    width: int
    height: int


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text)[:60] or "camera"


def save_snapshot(
    frame: Frame, folder: Path, camera_id: str, at: datetime, alert_pk: int | None = None
) -> SnapshotFile:
    """Write ``frame`` as PNG under ``folder/YYYY-MM-DD/``; raises StorageError (French)."""
    image: np.ndarray = frame.image
    if frame.fmt is PixelFormat.BGRA32:
        image = image[:, :, :3]
    ok, encoded = cv2.imencode(".png", np.ascontiguousarray(image))
    if not ok:
        raise StorageError(f"cliché de {camera_id} : encodage PNG impossible")
    data = encoded.tobytes()
    day = folder / at.strftime("%Y-%m-%d")
    suffix = f"_alerte{alert_pk}" if alert_pk is not None else ""
    name = f"{at:%Y%m%dT%H%M%S_%f}Z_{_safe(camera_id)}{suffix}.png"
    path = day / name
    tmp = day / (name + ".part")
    try:
        day.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        raise StorageError(f"cliché non enregistré dans {day} : {exc.strerror or exc}") from exc
    return SnapshotFile(path, hashlib.sha256(data).hexdigest(), frame.width, frame.height)
