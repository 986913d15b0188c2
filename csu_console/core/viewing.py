"""Free viewing outside an alert (Qt-free): the camera browser's search, saved wall
layouts, and tours — a named list of cameras shown in turn, each for a dwell time,
in one tile or on the whole wall (pages of cameras).

A tour is a small state machine (:class:`TourPlayer`) driven by a monotonic clock:
:meth:`TourPlayer.due` says when the next step is due, :meth:`TourPlayer.advance`
moves to it. An alert **interrupts** a tour (:meth:`TourPlayer.interrupt`); the
tour **resumes** (:meth:`TourPlayer.resume`) on the step it was showing, with a
whole dwell, once nothing calls for the wall any more.

The rule the console follows (``ui/wall/viewing.py``): the tour yields as soon as
the operator selects an alert or a new alert rings on the banner (one that was not
already ringing when the tour started); it resumes by itself when no alert is
selected (Échap in the queue, or the alert closed) and no new alert rings any more
(every new alert acknowledged) — or at once with « Reprendre la ronde » when the
operator is done with the alert. What an operator expects of a control room's
wall: the alarm wins, and the routine comes back once the alarm is dealt with.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

GRIDS = (1, 2, 3, 4)  # columns of the wall: 1, 2×2, 3×3, 4×4
MIN_DWELL_S = 3.0  # below this a picture is not even decoded before it goes
MAX_DWELL_S = 3600.0
MAX_NAME = 60
MAX_TOUR_CAMERAS = 200
WHOLE_WALL = -1  # a tour's target: every tile, a page of cameras at a time


class ViewingError(ValueError):
    """A layout or tour that cannot be kept, with its reason in French."""


def clean_name(name: str) -> str:
    """A layout's or tour's name: spaces folded, 1 to :data:`MAX_NAME` characters."""
    text = " ".join(name.split())
    if not text:
        raise ViewingError("le nom est obligatoire")
    if len(text) > MAX_NAME:
        raise ViewingError(f"nom trop long ({len(text)} caractères, {MAX_NAME} au plus)")
    return text


@dataclass(frozen=True)
class WallLayout:
    """A named wall: the grid (1 to 4 columns) and the camera of each tile (None:
    an empty tile), in tile order."""

    name: str
    columns: int
    cameras: tuple[str | None, ...]

    def __post_init__(self) -> None:
        if self.columns not in GRIDS:
            raise ViewingError(f"disposition {self.columns} inconnue (1, 2, 3 ou 4 colonnes)")
        if len(self.cameras) > self.columns**2:
            raise ViewingError(f"{len(self.cameras)} caméras pour {self.columns**2} tuiles")


@dataclass(frozen=True)
class Tour:
    """A named tour: cameras shown in turn, each for ``dwell_s`` seconds; on the
    whole wall, ``columns`` gives the grid (a page is ``columns²`` cameras)."""

    name: str
    cameras: tuple[str, ...]
    dwell_s: float = 10.0
    columns: int = 2

    def __post_init__(self) -> None:
        if not self.cameras:
            raise ViewingError("une ronde compte au moins une caméra")
        if len(self.cameras) > MAX_TOUR_CAMERAS:
            raise ViewingError(f"{len(self.cameras)} caméras ({MAX_TOUR_CAMERAS} au plus)")
        if not MIN_DWELL_S <= self.dwell_s <= MAX_DWELL_S:
            raise ViewingError(
                f"durée d'affichage {self.dwell_s:g} s hors limites "
                f"({MIN_DWELL_S:g} à {MAX_DWELL_S:g} s)"
            )
        if self.columns not in GRIDS:
            raise ViewingError(f"disposition {self.columns} inconnue (1, 2, 3 ou 4 colonnes)")

    def pages(self, target: int) -> list[tuple[str, ...]]:
        """The steps of the tour: one camera each in a tile, or pages of
        ``columns²`` cameras on the whole wall."""
        size = self.columns**2 if target == WHOLE_WALL else 1
        return [self.cameras[i : i + size] for i in range(0, len(self.cameras), size)]


class TourState(StrEnum):
    PLAYING = "playing"
    INTERRUPTED = "interrupted"  # an alert has the wall
    STOPPED = "stopped"


@dataclass
class TourPlayer:
    """Where a tour is: its step, when the next one is due, whether an alert has
    interrupted it. Times are ``time.monotonic()`` seconds given by the caller."""

    tour: Tour
    target: int  # a tile index (0-based), or WHOLE_WALL
    started_at: float
    step: int = 0
    state: TourState = TourState.PLAYING
    next_at: float = 0.0
    shown: int = 0  # steps shown so far (resumes count again: they are shown again)
    interruptions: int = 0
    _pages: list[tuple[str, ...]] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._pages = self.tour.pages(self.target)
        self.next_at = self.started_at + self.tour.dwell_s
        self.shown = 1

    @property
    def pages(self) -> list[tuple[str, ...]]:
        return list(self._pages)

    @property
    def page(self) -> tuple[str, ...]:
        """The cameras of the current step."""
        return self._pages[self.step]

    def due(self, now: float) -> bool:
        """True when the current step's dwell is over (only while playing)."""
        return self.state is TourState.PLAYING and now >= self.next_at

    def advance(self, now: float) -> tuple[str, ...]:
        """The next step (after the last, the first again); its cameras."""
        if self.state is not TourState.PLAYING:
            raise ViewingError("la ronde n'est pas en cours")
        self.step = (self.step + 1) % len(self._pages)
        self.next_at = now + self.tour.dwell_s
        self.shown += 1
        return self.page

    def interrupt(self) -> bool:
        """An alert takes the wall; False when it was not playing."""
        if self.state is not TourState.PLAYING:
            return False
        self.state = TourState.INTERRUPTED
        self.interruptions += 1
        return True

    def resume(self, now: float) -> tuple[str, ...] | None:
        """Back to the step that was interrupted, with a whole dwell; its cameras
        (None when it was not interrupted)."""
        if self.state is not TourState.INTERRUPTED:
            return None
        self.state = TourState.PLAYING
        self.next_at = now + self.tour.dwell_s
        self.shown += 1
        return self.page

    def stop(self) -> bool:
        if self.state is TourState.STOPPED:
            return False
        self.state = TourState.STOPPED
        return True


class CameraLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def zones(self) -> tuple[str, ...]: ...


class ZoneLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def commune(self) -> str: ...


def fold(text: str) -> str:
    """Lower case without accents: « Hôtel de Ville » matches « hotel ville »."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class CameraRow:
    """A camera as the browser lists it: its zones' names and its communes."""

    id: str
    name: str
    zones: tuple[str, ...]
    communes: tuple[str, ...]
    haystack: str  # folded, what the search looks in


def camera_rows(cameras: Iterable[CameraLike], zones: Iterable[ZoneLike]) -> list[CameraRow]:
    """Each camera with the names of its zones and communes (the site's zones)."""
    by_id = {z.id: z for z in zones}
    rows = []
    for cam in cameras:
        found = [by_id[z] for z in cam.zones if z in by_id]
        names = tuple(dict.fromkeys(z.name for z in found))
        communes = tuple(dict.fromkeys(z.commune for z in found if z.commune))
        haystack = fold(" ".join((cam.id, cam.name, *names, *communes)))
        rows.append(CameraRow(cam.id, cam.name, names, communes, haystack))
    return rows


def search(
    rows: Sequence[CameraRow],
    query: str,
    *,
    favourites: frozenset[str] = frozenset(),
    favourites_only: bool = False,
) -> list[CameraRow]:
    """Rows whose name, id, zones or communes hold every word of ``query`` (accents
    and case ignored); favourites first, then by name."""
    words = fold(query).split()
    hits = [
        r
        for r in rows
        if all(w in r.haystack for w in words) and (not favourites_only or r.id in favourites)
    ]
    return sorted(hits, key=lambda r: (r.id not in favourites, fold(r.name), r.id))
