"""What the console knows of every camera's picture, watched or not (Qt-free).

Two kinds of witnesses report: the background prober (every camera, now and
then) and the wall's decoders (the cameras on screen, all the time).
:class:`CameraHealthBook` merges them — the latest report wins, except that a
decoder saying « ça joue » does not clear a black or frozen picture the prober
saw (a decoder cannot tell black from night, nor a still picture re-encoded with
codec noise from a live one) — and keeps, per camera, the state, since
when and the last check. Outages go through :class:`OutageWatch`, so a camera
without a usable picture longer than ``offline_after_s`` raises the priority-4
« caméra hors service » alert whether or not anyone watches it.

Thread-safe: the prober reports from its own threads; the GUI calls
:meth:`CameraHealthBook.tick` once a second and applies what it returns.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from csu_console.core.camera_health import Outage, OutageWatch


class CameraState(StrEnum):
    """A camera's picture; values are the French words shown to operators."""

    OK = "en service"
    OFFLINE = "hors service"
    BLACK = "image noire"
    FROZEN = "image figée"
    UNKNOWN = "inconnu"

    @property
    def down(self) -> bool:
        """No usable picture: counts as an outage."""
        return self in (CameraState.OFFLINE, CameraState.BLACK, CameraState.FROZEN)


class Witness(StrEnum):
    """Who reported."""

    PROBER = "prober"
    WALL = "wall"


@dataclass(frozen=True, slots=True)
class Report:
    """One observation of one camera."""

    camera_id: str
    state: CameraState
    witness: Witness
    at: datetime  # UTC
    mono: float
    detail: str = ""  # precise, free of credentials
    picture: bool = False  # a decode looked at the picture itself (black, frozen)


@dataclass(frozen=True, slots=True)
class CameraStatus:
    """A camera's merged state; ``since`` is when it entered it (None: never seen)."""

    camera_id: str
    state: CameraState = CameraState.UNKNOWN
    since: datetime | None = None
    last_check: datetime | None = None
    detail: str = ""
    witness: Witness | None = None


@dataclass(frozen=True, slots=True)
class HealthChanges:
    """What one :meth:`CameraHealthBook.tick` found: to apply on the GUI thread."""

    changed: tuple[CameraStatus, ...] = ()
    due: tuple[Outage, ...] = ()  # outages that just crossed offline_after_s: alert
    ended: tuple[Outage, ...] = ()  # raised outages whose camera is back: log it


@dataclass
class CameraHealthBook:
    """Merged health of every camera of the site; see the module docstring."""

    camera_ids: Iterable[str]
    offline_after_s: float = 300.0
    watch: OutageWatch = field(init=False)
    _status: dict[str, CameraStatus] = field(init=False)
    _pending: dict[str, CameraStatus] = field(init=False)
    _ended: list[Outage] = field(init=False)
    _lock: threading.Lock = field(init=False)

    def __post_init__(self) -> None:
        self.watch = OutageWatch(self.offline_after_s)
        self._status = {cid: CameraStatus(cid) for cid in self.camera_ids}
        self._pending = {}
        self._ended = []
        self._lock = threading.Lock()

    def status(self, camera_id: str) -> CameraStatus:
        with self._lock:
            return self._status.get(camera_id, CameraStatus(camera_id))

    def all(self) -> list[CameraStatus]:
        with self._lock:
            return list(self._status.values())

    def report(self, r: Report) -> None:
        """Take one observation (any thread); unknown cameras are ignored."""
        with self._lock:
            old = self._status.get(r.camera_id)
            if old is None:
                return
            state = r.state
            if (
                r.witness is Witness.WALL
                and state is CameraState.OK
                and old.state in (CameraState.BLACK, CameraState.FROZEN)
                and old.witness is Witness.PROBER
            ):
                # a decoder « playing » cannot see a covered lens, nor a still picture
                # re-encoded with codec noise: the prober's next decode says when it ends
                state = old.state
            if state is old.state:
                new = replace(old, last_check=r.at, detail=r.detail or old.detail)
                if r.witness is not old.witness:
                    new = replace(new, witness=r.witness)
            else:
                new = CameraStatus(r.camera_id, state, r.at, r.at, r.detail, r.witness)
                self._pending[r.camera_id] = new
            self._status[r.camera_id] = new
            if state.down:
                why = f"{state.value} : {r.detail}" if r.detail else state.value
                self.watch.down(r.camera_id, r.mono, r.at, why)
            elif state is CameraState.OK:
                back = self.watch.up(r.camera_id)
                if back is not None:
                    self._ended.append(back)

    def tick(self, now: float) -> HealthChanges:
        """What changed since the last tick, and the outages due (GUI thread)."""
        with self._lock:
            changed = tuple(self._pending.values())
            self._pending.clear()
            ended = tuple(self._ended)
            self._ended.clear()
            due = tuple(self.watch.due(now))
        return HealthChanges(changed, due, ended)

    def counts(self) -> dict[CameraState, int]:
        """How many cameras in each state (the list's title)."""
        out = dict.fromkeys(CameraState, 0)
        for s in self.all():
            out[s.state] += 1
        return out
