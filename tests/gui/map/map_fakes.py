"""Stand-ins for a map file, for the map tests (a module of its own: ``conftest`` is a
name every test directory has, so importing from it depends on collection order)."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from csu_console.mapdata.mercator import lonlat_to_mercator


@dataclass(frozen=True)
class FakeFeature:
    """A basemap feature with the shape of ``csu_console.mapdata.mapfile.Feature``."""

    layer: str
    cls: str
    name: str | None
    kind: str
    coords: tuple[tuple[float, float], ...]
    rings: tuple[int, ...] | None = None


class SpyBasemap:
    """A stand-in for a real ``MapFile`` that records every query.

    The tests that check *which* rectangle and zoom the map asks for need to see the
    calls; the real file cannot tell. It serves a handful of streets, a building, a
    pond and a park around the demo site, from any thread.
    """

    def __init__(self, fail: bool = False) -> None:
        self.queries: list[tuple[tuple[float, float, float, float], float]] = []
        self.threads: set[str] = set()
        self._lock = threading.Lock()
        self._fail = fail
        x, y = lonlat_to_mercator(24.9433, 60.1706)
        self._bbox = (x - 2000, y - 2000, x + 2000, y + 2000)
        self._features = [
            FakeFeature(
                "water",
                "water",
                None,
                "polygon",
                ((x - 900, y - 900), (x - 600, y - 900), (x - 600, y - 600), (x - 900, y - 900)),
                (4,),
            ),
            FakeFeature(
                "park",
                "park",
                "Puisto",
                "polygon",
                ((x + 300, y + 300), (x + 600, y + 300), (x + 600, y + 600), (x + 300, y + 300)),
                (4,),
            ),
            FakeFeature(
                "building",
                "building",
                None,
                "polygon",
                ((x + 20, y + 20), (x + 60, y + 20), (x + 60, y + 60), (x + 20, y + 20)),
                (4,),
            ),
            FakeFeature(
                "road", "primary", "Mannerheimintie", "line", ((x - 1500, y), (x + 1500, y))
            ),
            FakeFeature("road", "residential", "Kaivokatu", "line", ((x, y - 1500), (x, y + 1500))),
            FakeFeature("road", "footway", None, "line", ((x - 100, y - 100), (x + 100, y + 100))),
        ]

    @property
    def bbox_mercator(self) -> tuple[float, float, float, float]:
        return self._bbox

    def query(
        self, minx: float, miny: float, maxx: float, maxy: float, zoom: float
    ) -> list[FakeFeature]:
        with self._lock:
            self.queries.append(((minx, miny, maxx, maxy), zoom))
            self.threads.add(threading.current_thread().name)
        if self._fail:
            raise OSError("disque illisible")
        return list(self._features)

    def last_query(self) -> tuple[tuple[float, float, float, float], float]:
        with self._lock:
            return self.queries[-1]


class GatedBasemap(SpyBasemap):
    """A :class:`SpyBasemap` whose first query waits until the test opens the gate,
    so that later requests queue behind a job known to be running."""

    def __init__(self) -> None:
        super().__init__()
        self.first_started = threading.Event()
        self.gate = threading.Event()

    def query(
        self, minx: float, miny: float, maxx: float, maxy: float, zoom: float
    ) -> list[FakeFeature]:
        if not self.first_started.is_set():
            self.first_started.set()
            assert self.gate.wait(10), "the test never opened the gate"
        return super().query(minx, miny, maxx, maxy, zoom)
