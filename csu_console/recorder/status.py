"""Read the recorder's ``status.json`` (Qt-free, read-only), and the console's
« enregistrement interrompu » alert.

The recorder rewrites the file atomically every few seconds; a file older than
:data:`STALE_AFTER_S` means the recorder is not running (it is then reported as
such, not as recording). The console polls it (``ui/wall/recorder_watch.py``) and
raises one priority-4 technical alert per interruption, as it does for a camera
down (:func:`csu_console.core.camera_health.outage_alert`).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from csu_console.core.alerts import Alert, Location
from csu_console.core.camera_health import technical_alert

log = logging.getLogger("csu.recorder")

STATUS_FILE = "status.json"
#: A status not rewritten for this long: the recorder is stopped.
STALE_AFTER_S = 30.0

STATE_LABELS = {
    "starting": "démarrage",
    "recording": "enregistre",
    "down": "caméra hors service",
    "disk_full": "enregistrement interrompu (disque plein)",
    "stopped": "arrêté",
}


class StatusError(Exception):
    """``status.json`` is missing or unreadable (the message says why, in French)."""


@dataclass(frozen=True)
class CameraRecording:
    """One camera in the recorder's status."""

    camera_id: str
    name: str
    state: str  # recording | down | disk_full | starting | stopped
    since: datetime
    detail: str
    last_segment_end: datetime | None
    recorded_24h_s: float
    gap_start: datetime | None
    gap_reason: str | None

    @property
    def interrupted(self) -> bool:
        """Recording interrupted by the recorder itself (a full disk)."""
        return self.state == "disk_full"

    @property
    def label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)


@dataclass(frozen=True)
class RecorderStatus:
    """The whole status file."""

    written_at: datetime
    running: bool
    segment_s: int
    cameras: tuple[CameraRecording, ...]
    disk_used: int
    disk_free: int
    disk_budget: int
    disk_min_free: int
    disk_full: bool
    started_at: datetime | None = None
    pid: int | None = None

    def stale(self, now: datetime | None = None) -> bool:
        age = ((now or datetime.now(UTC)) - self.written_at).total_seconds()
        return not self.running or age > STALE_AFTER_S

    def interrupted(self) -> list[CameraRecording]:
        return [c for c in self.cameras if c.interrupted]


def _when(value: Any) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(float(value), UTC)


def parse_status(data: Any) -> RecorderStatus:
    """A decoded ``status.json``; :class:`StatusError` on any bad shape."""
    try:
        cams = []
        if not isinstance(data, dict) or not isinstance(data["cameras"], dict):
            raise TypeError("objet JSON attendu")
        for cid, c in data["cameras"].items():
            gap = c.get("open_gap")
            cams.append(
                CameraRecording(
                    str(cid),
                    str(c.get("name") or cid),
                    str(c["state"]),
                    _when(c["since"]) or datetime.now(UTC),
                    str(c.get("detail") or ""),
                    _when(c.get("last_segment_end")),
                    float(c.get("recorded_24h_s") or 0.0),
                    _when(gap["start"]) if gap else None,
                    str(gap["reason"]) if gap else None,
                )
            )
        disk = data["disk"]
        return RecorderStatus(
            _when(data["written_at"]) or datetime.now(UTC),
            bool(data.get("running", True)),
            int(data.get("segment_s", 60)),
            tuple(cams),
            int(disk["used"]),
            int(disk["free"]),
            int(disk["budget"]),
            int(disk["min_free"]),
            bool(disk["full"]),
            _when(data.get("started_at")),
            int(data["pid"]) if data.get("pid") is not None else None,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise StatusError(f"état de l'enregistreur illisible : {exc!r}") from exc


def read_status(folder: Path) -> RecorderStatus:
    """``<folder>/status.json``; :class:`StatusError` when absent or unreadable."""
    path = Path(folder) / STATUS_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise StatusError(f"pas d'état d'enregistreur dans {folder}") from exc
    except OSError as exc:
        raise StatusError(f"état de l'enregistreur illisible : {exc}") from exc
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise StatusError(f"état de l'enregistreur illisible : {exc}") from exc
    return parse_status(data)


def recording_alert(
    camera: CameraRecording, lon: float, lat: float, station: str, now_utc: datetime
) -> Alert:
    """The low-priority technical alert « enregistrement interrompu » for one
    camera whose recording stopped (one per interruption: the id holds its start)."""
    since = camera.gap_start or camera.since
    minutes = max(1, round((now_utc - since).total_seconds() / 60))
    why = camera.gap_reason or "disque plein"
    return technical_alert(
        f"recording-interrupted:{camera.camera_id}:{since:%Y%m%dT%H%M%SZ}",
        f"Enregistrement interrompu : {camera.name}",
        f"La caméra {camera.name} ({camera.camera_id}) n'est plus enregistrée depuis "
        f"{minutes} min ({why}). Les segments les plus anciens hors saisie judiciaire "
        "ont déjà été supprimés : libérez de la place sur le disque de l'enregistreur.",
        Location(lat=lat, lon=lon, address=camera.name),
        "enregistrement_interrompu",
        {"camera_id": camera.camera_id, "station": station},
        now_utc,
    )


def recorder_stopped_alert(
    status: RecorderStatus, lon: float, lat: float, station: str, now_utc: datetime
) -> Alert:
    """The technical alert for a recorder that stopped without a clean stop (its
    status no longer rewritten): nothing is recorded any more."""
    minutes = max(1, round((now_utc - status.written_at).total_seconds() / 60))
    return technical_alert(
        f"recorder-stopped:{status.written_at:%Y%m%dT%H%M%SZ}",
        "Enregistrement interrompu : enregistreur arrêté",
        f"L'enregistreur (csu-recorder) ne donne plus signe de vie depuis {minutes} min : "
        f"aucune caméra n'est enregistrée ({len(status.cameras)} attendue(s)). "
        "Vérifiez le service (systemctl status csu-recorder).",
        Location(lat=lat, lon=lon, address="enregistreur"),
        "enregistrement_interrompu",
        {"station": station},
        now_utc,
    )
