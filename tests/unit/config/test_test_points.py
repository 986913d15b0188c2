"""The installer's saved "alerte test ici" checks: file, re-ranking, failures in French."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from csu_console.config import default_config_dir, load_site
from csu_console.config.test_points import (
    POINTS_FILE,
    TestPoint,
    check_points,
    load_points,
    make_point,
    ranked_ids,
    run_checks,
    save_points,
)
from csu_console.core.alerts import Alert, Category, Location
from csu_console.core.ranking import cameras_for_alert

SITE = load_site(default_config_dir())
GARE = (24.9410, 60.1712)  # in front of the central station
SENAT = (24.9520, 60.1693)  # Senate square


def test_ranking_is_the_one_of_a_real_alert() -> None:
    for lon, lat in (GARE, SENAT):
        alert = Alert(
            source="plateforme",
            id="A1",
            sent=datetime(2025, 1, 1, tzinfo=UTC),
            category=Category.RIXE,
            priority=1,
            location=Location(lat, lon),
        )
        wall = [r.camera.id for r in cameras_for_alert(alert, SITE.cameras, SITE.zones)]
        assert ranked_ids(SITE.cameras, SITE.zones, lon, lat, 4) == tuple(wall[:4])
        assert len(wall) >= 2


def test_saved_points_hold_until_a_camera_moves() -> None:
    gare = make_point("Gare", *GARE, SITE.cameras, SITE.zones)
    senat = make_point("Sénat", *SENAT, SITE.cameras, SITE.zones)
    assert gare.expected and senat.expected
    assert run_checks([gare, senat], SITE.cameras, SITE.zones) == []

    # Turn the Senate square's first camera away and out of range of its point.
    first = senat.expected[0]
    cams = [replace(c, lon=c.lon + 0.02, zones=()) if c.id == first else c for c in SITE.cameras]
    [failure] = run_checks([gare, senat], cams, SITE.zones)
    assert failure.point == senat
    assert first not in failure.now
    assert not failure.ok
    assert failure.expected == senat.expected and failure.actual == failure.now
    assert failure.message.startswith("point test « Sénat » (60.169300, 24.952000) : attendu ")
    assert f"(absentes : {first})" in failure.message


def test_order_change_is_a_failure() -> None:
    point = TestPoint("inversé", *GARE, ranked_ids(SITE.cameras, SITE.zones, *GARE, 4)[::-1])
    [failure] = run_checks([point], SITE.cameras, SITE.zones)
    assert "(ordre changé)" in failure.message


def test_check_points_gives_every_result_in_order() -> None:
    good = make_point("Gare", *GARE, SITE.cameras, SITE.zones)
    bad = TestPoint("faux", *SENAT, ("cam-08",))
    results = check_points([good, bad], SITE.cameras, SITE.zones)
    assert [(r.point.name, r.ok) for r in results] == [("Gare", True), ("faux", False)]
    assert "conforme" in results[0].message


def test_top_limits_the_comparison() -> None:
    point = make_point("Gare", *GARE, SITE.cameras, SITE.zones, top=9)
    assert run_checks([point], SITE.cameras, SITE.zones, top=2) == []


def test_save_and_load(tmp_path: Path) -> None:
    points = [TestPoint("Gare", 24.941, 60.1712, ("cam-07", "cam-02")), TestPoint("Vide", 0, 0, ())]
    save_points(tmp_path, points)
    assert load_points(tmp_path) == (points, [])
    assert load_points(tmp_path / "absent") == ([], [])


def test_every_problem_of_the_file(tmp_path: Path) -> None:
    (tmp_path / POINTS_FILE).write_text(
        json.dumps(
            {
                "points": [
                    {"name": "ok", "lon": 24.9, "lat": 60.1, "expected": ["cam-01"]},
                    {"name": "", "lon": 200, "lat": 60.1, "expected": "cam-01"},
                    {"name": "ok", "lon": 24.9, "lat": 60.1, "expected": []},
                    {"name": "x", "lon": 24.9, "lat": 60.1, "expected": [], "zoom": 3},
                    7,
                ]
            }
        ),
        encoding="utf-8",
    )
    points, problems = load_points(tmp_path)
    assert [p.name for p in points] == ["ok"]
    assert [(p.where, p.field) for p in problems] == [
        ("point 2", "name"),
        ("point 2", "lon"),
        ("point 2", "expected"),
        ("point 3 (ok)", "name"),
        ("point 4 (x)", "zoom"),
        ("point 5", ""),
    ]
    assert problems[1].message == "nombre -180–180 attendu, reçu 200"
    assert problems[3].message == "nom en double"


@pytest.mark.parametrize("content", ["{", "[]", '{"points": 3}'])
def test_unusable_file(tmp_path: Path, content: str) -> None:
    (tmp_path / POINTS_FILE).write_text(content, encoding="utf-8")
    points, problems = load_points(tmp_path)
    assert points == [] and len(problems) == 1
    assert problems[0].file == POINTS_FILE
