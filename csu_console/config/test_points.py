"""The installer's saved "alerte test ici" checks (``<config>/test_points.json``).

A test point is a place and the cameras an alert there opened, in rank order, when
the installer saved it. :func:`run_checks` ranks each point again exactly as for a
real alert (:func:`~csu_console.core.ranking.cameras_for_alert`, the call behind the
camera wall) and reports the points that no longer hold — after a camera was moved,
a zone redrawn or the mapping changed. ``csu-console config check`` runs them, and
so does the console at start.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from csu_console.config.atomic import write_atomic
from csu_console.config.checks import Invalid, describe, id_list, number, text
from csu_console.config.fields import load_json
from csu_console.config.schema import Camera, ConfigProblem, Zone
from csu_console.core.alerts import Alert, Category, Location
from csu_console.core.ranking import cameras_for_alert

POINTS_FILE = "test_points.json"
DEFAULT_TOP = 4
_FORMAT = 1


@dataclass(frozen=True)
class TestPoint:
    """A saved check: an alert at (lon, lat) opens ``expected`` (camera ids, in rank order)."""

    __test__: ClassVar[bool] = False  # not a pytest test class

    name: str
    lon: float
    lat: float
    expected: tuple[str, ...]


@dataclass(frozen=True)
class PointCheck:
    """A test point ranked again: ``now`` are the cameras an alert there opens today.

    ``expected`` and ``actual`` are the first ``top`` camera ids saved and found;
    ``ok`` when they are the same, in the same order.
    """

    point: TestPoint
    now: tuple[str, ...]
    top: int = DEFAULT_TOP

    @property
    def expected(self) -> tuple[str, ...]:
        return self.point.expected[: self.top]

    @property
    def actual(self) -> tuple[str, ...]:
        return self.now

    @property
    def ok(self) -> bool:
        return self.now == self.expected

    @property
    def message(self) -> str:
        """French, for the installer: « Gare » : attendu cam-01, cam-02 ; maintenant …"""
        where = f"point test « {self.point.name} » ({self.point.lat:.6f}, {self.point.lon:.6f})"
        if self.ok:
            return f"{where} : conforme ({_ids(self.now)})"
        missing = [c for c in self.expected if c not in self.now]
        detail = f" (absentes : {', '.join(missing)})" if missing else " (ordre changé)"
        return f"{where} : attendu {_ids(self.expected)} ; maintenant {_ids(self.now)}{detail}"

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class PointFailure(PointCheck):
    """A test point that no longer holds (what :func:`run_checks` returns)."""


def _ids(ids: Sequence[str]) -> str:
    return ", ".join(ids) if ids else "aucune caméra"


def ranked_ids(
    cameras: Sequence[Camera], zones: Sequence[Zone], lon: float, lat: float, top: int
) -> tuple[str, ...]:
    """The first ``top`` cameras an alert at (lon, lat) would open, in rank order."""
    alert = Alert(
        source="test",
        id="alerte-test",
        sent=datetime.now(UTC),
        category=Category.AUTRE,
        priority=4,
        location=Location(lat=lat, lon=lon),
    )
    return tuple(r.camera.id for r in cameras_for_alert(alert, cameras, zones, limit=top))


def make_point(
    name: str,
    lon: float,
    lat: float,
    cameras: Sequence[Camera],
    zones: Sequence[Zone],
    top: int = DEFAULT_TOP,
) -> TestPoint:
    """A test point expecting what the ranking gives now (the installer's "save this")."""
    return TestPoint(name, lon, lat, ranked_ids(cameras, zones, lon, lat, top))


def check_points(
    points: Sequence[TestPoint],
    cameras: Sequence[Camera],
    zones: Sequence[Zone],
    top: int = DEFAULT_TOP,
) -> list[PointCheck]:
    """Every point ranked again, in order, whether it holds or not (for a list on screen)."""
    return [PointCheck(p, ranked_ids(cameras, zones, p.lon, p.lat, top), top) for p in points]


def run_checks(
    points: Sequence[TestPoint],
    cameras: Sequence[Camera],
    zones: Sequence[Zone],
    top: int = DEFAULT_TOP,
) -> list[PointFailure]:
    """The points whose first ``top`` cameras differ from ``expected`` (order matters)."""
    return [
        PointFailure(c.point, c.now, c.top)
        for c in check_points(points, cameras, zones, top)
        if not c.ok
    ]


# -- the file ------------------------------------------------------------------------

_LON = number(-180, 180)
_LAT = number(-90, 90)
_NAME = text(non_empty=True)


def _point(item: Any, where: str, problems: list[ConfigProblem]) -> TestPoint | None:
    if not isinstance(item, dict):
        problems.append(
            ConfigProblem(POINTS_FILE, where, "", f"objet attendu, reçu {describe(item)}")
        )
        return None
    values: dict[str, Any] = {}
    before = len(problems)
    checks = {"name": _NAME, "lon": _LON, "lat": _LAT, "expected": id_list}
    for key, check in checks.items():
        try:
            values[key] = check(item.get(key))
        except Invalid as exc:
            found = describe(item[key]) if key in item else "rien"
            message = f"{exc.expected}, reçu {found}"
            problems.append(ConfigProblem(POINTS_FILE, where, key, message))
    for key in item.keys() - checks.keys():
        problems.append(ConfigProblem(POINTS_FILE, where, key, "clé inconnue"))
    if len(problems) > before:
        return None
    return TestPoint(**values)


def load_points(config_dir: Path) -> tuple[list[TestPoint], list[ConfigProblem]]:
    """The saved test points and every problem of the file (none when it is absent)."""
    path = Path(config_dir) / POINTS_FILE
    if not path.exists():
        return [], []
    problems: list[ConfigProblem] = []
    data = load_json(path, problems)
    if problems:
        return [], problems
    items = data.get("points") if isinstance(data, dict) else None
    if not isinstance(items, list):
        got = describe(data)
        message = f'objet {{"points": [...]}} attendu, reçu {got}'
        return [], [ConfigProblem(POINTS_FILE, "", "points", message)]
    points: list[TestPoint] = []
    seen: set[str] = set()
    for number_, item in enumerate(items, start=1):
        name = item.get("name") if isinstance(item, dict) else None
        where = f"point {number_}" + (f" ({name})" if isinstance(name, str) and name else "")
        point = _point(item, where, problems)
        if point is None:
            continue
        if point.name in seen:
            problems.append(ConfigProblem(POINTS_FILE, where, "name", "nom en double"))
            continue
        seen.add(point.name)
        points.append(point)
    return points, problems


def save_points(config_dir: Path, points: Sequence[TestPoint]) -> None:
    """Write the test points to ``<config>/test_points.json`` atomically."""
    document = {
        "format": _FORMAT,
        "points": [
            {"name": p.name, "lon": p.lon, "lat": p.lat, "expected": list(p.expected)}
            for p in points
        ],
    }
    text_ = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    write_atomic(Path(config_dir) / POINTS_FILE, text_.encode("utf-8"))


def point_problems(config_dir: Path, cameras: Sequence[Camera], zones: Sequence[Zone]) -> list[str]:
    """Every problem of the saved test points: unreadable entries, and the points
    where an alert would no longer open the cameras saved (for the start screen and
    ``config check``)."""
    points, problems = load_points(config_dir)
    failures = run_checks(points, cameras, zones)
    return [str(p) for p in problems] + [f"{POINTS_FILE}: {f}" for f in failures]
