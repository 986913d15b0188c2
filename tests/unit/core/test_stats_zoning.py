"""Zones of alerts at query time (csu_console.core.review.zoning): the numpy test
agrees with core.geo's point-in-polygon point for point, holes included; the
``[shifts]`` settings; the CSV export and its pseudonyms."""

from __future__ import annotations

import csv
import io
import random
import shutil
from datetime import UTC, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from csu_console.config import check_site, default_config_dir, load_site
from csu_console.core.geo import Area
from csu_console.core.review.export import (
    CSV_HEADER,
    csv_row,
    export_details,
    pseudonymise,
    reporters_key,
    write_csv,
)
from csu_console.core.review.filter import ReviewFilter
from csu_console.core.review.rows import AlertRow
from csu_console.core.review.shifts import DEFAULT_SHIFTS, Shift, ShiftSettings
from csu_console.core.review.zoning import bbox_of, zones_of
from csu_console.core.roles import Role
from csu_console.errors import UserFacingError

PARIS = ZoneInfo("Europe/Paris")
SQUARE = Area.from_geojson(
    {
        "type": "Polygon",
        "coordinates": [
            [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
            [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]],  # a hole
        ],
    }
)
STAR = Area.from_geojson(
    {
        "type": "MultiPolygon",
        "coordinates": [
            [[[5, -3], [7, 3], [13, 3], [8, 6], [10, 12], [5, 8], [0, 12], [2, 6], [-3, 3],
              [3, 3], [5, -3]]],
            [[[20, 20], [21, 20], [21, 21], [20, 20]]],
        ],
    }
)  # fmt: skip


def test_zones_agree_with_geo_point_by_point() -> None:
    rng = random.Random(3)
    points = [(rng.uniform(-5, 22), rng.uniform(-5, 22)) for _ in range(5000)]
    points += [(5, 5), (0, 0), (10, 5), (4, 5), (20.5, 20.2)]  # hole, corners, edges
    zones = [("carre", SQUARE), ("etoile", STAR)]
    found = zones_of(points, zones)
    for (lon, lat), ids in zip(points, found, strict=True):
        expected = tuple(z for z, area in zones if area.contains(lon, lat))
        assert ids == expected, (lon, lat)
    assert found[-5] == ("etoile",)  # in the square's hole, inside the star


def test_zones_of_alerts_without_position_or_zones() -> None:
    assert zones_of([(None, None), (5.0, 1.0)], [("carre", SQUARE)]) == [(), ("carre",)]
    assert zones_of([(1.0, 1.0)], []) == [()]
    assert zones_of([], [("carre", SQUARE)]) == []
    assert bbox_of([("carre", SQUARE), ("etoile", STAR)]) == (-3, -3, 21, 21)
    assert bbox_of([]) is None


def test_more_zones_than_bits() -> None:
    many = [(f"z{i}", SQUARE) for i in range(70)]
    [ids] = zones_of([(1.0, 1.0)], many)
    assert ids == tuple(f"z{i}" for i in range(70))


# --- [shifts] -----------------------------------------------------------------------


def test_the_demo_site_has_the_three_default_shifts() -> None:
    assert load_site(default_config_dir()).shifts == ShiftSettings(DEFAULT_SHIFTS)


def site_with(tmp_path: Path, toml: str) -> tuple[object, list[str]]:
    target = tmp_path / "config"
    if not target.exists():
        shutil.copytree(default_config_dir(), target)
    (target / "site.toml").write_text(toml + "\n", encoding="utf-8")
    site, problems = check_site(target)
    return site, [str(p) for p in problems]


def test_shifts_from_the_file(tmp_path: Path) -> None:
    site, problems = site_with(
        tmp_path,
        '[shifts]\nperiods = [{ id = "jour", name = "Jour", start = "07:30", end = 19:30:00 },'
        ' { id = "nuit", start = "19:30", end = "07:30" }]',
    )
    assert problems == []
    assert site.shifts == ShiftSettings(
        (Shift("jour", "Jour", time(7, 30), time(19, 30)),
         Shift("nuit", "nuit", time(19, 30), time(7, 30)))
    )  # fmt: skip
    _site, none = site_with(tmp_path, "")
    assert none == []


@pytest.mark.parametrize(
    ("periods", "message"),
    [
        ("[]", "liste de vacations { id, name, start, end } attendue"),
        ('"matin"', "liste de vacations"),
        ('[{ id = "m", start = "6h", end = "14:00" }]',
         "vacation 1 (m) : start : heure locale HH:MM attendue (ex. « 06:00 »), reçu \"6h\""),
        ('[{ id = "m", start = "24:00", end = "14:00" }]', "start : heure locale HH:MM"),
        ('[{ start = "06:00", end = "14:00" }]', "vacation 1 : id : texte non vide attendu"),
        ('[{ id = "m", start = "06:00", end = "06:00" }]', "début et fin identiques"),
        ('[{ id = "m", start = "06:00", end = "14:00" }, { id = "m", start = "14:00",'
         ' end = "22:00" }]', "vacation 2 (m) : identifiant en double"),
        ('[{ id = "m", start = "06:00", end = "14:00", debut = "x" }]', "clé « debut » inconnue"),
        ('["matin"]', "vacation 1 : table { id, name, start, end } attendue"),
    ],
)  # fmt: skip
def test_bad_shifts_are_reported(tmp_path: Path, periods: str, message: str) -> None:
    _site, problems = site_with(tmp_path, f"[shifts]\nperiods = {periods}")
    assert len(problems) == 1 and "[shifts]" in problems[0], problems
    assert message in problems[0]


def test_a_misspelt_shifts_section_gets_a_hint(tmp_path: Path) -> None:
    _site, problems = site_with(tmp_path, "[vacations]\nperiods = []")
    assert problems == ["site.toml: [vacations]: section inconnue — vouliez-vous dire « shifts » ?"]


# --- CSV -----------------------------------------------------------------------------

ROW = AlertRow(
    pk=7, received_at="2025-06-02T04:10:00.000+00:00", category="rixe", priority=1,
    title="Rixe ; bagarre", address="1 place de la Gare", commune="Ville", lat=48.7,
    lon=2.25, source="plateforme", alert_id="A7", category_raw=None, reporter="citoyen-42",
    state="closed", ack_at="2025-06-02T04:10:30.000+00:00",
    dispatch_at="2025-06-02T04:12:00.000+00:00", closed_at="2025-06-02T12:30:00.000+00:00",
    ack_s=30.0, dispatch_s=120.4, escalated=True, outcomes=("interpellation", "autre"),
    operators=("durand", "martin"), zones=("nord", "quartier-x"),
)  # fmt: skip
END = datetime(2025, 6, 2, 12, tzinfo=UTC)


def test_csv_row_in_local_time_with_a_pseudonymised_reporter() -> None:
    key = bytes(32)
    cells = dict(zip(CSV_HEADER, csv_row(ROW, PARIS, END.isoformat(), key, {"nord": "Nord"}),
                     strict=True))  # fmt: skip
    assert cells["reçue le"] == "2025-06-02 06:10:00"
    assert cells["zones"] == "Nord / quartier-x"
    assert cells["état en fin de période"] == "Patrouille engagée"
    assert cells["clôturée le"] == ""  # after the end of the period
    assert (cells["délai de prise en compte (s)"], cells["délai d'engagement (s)"]) == ("30", "120")
    assert cells["issues"] == "Interpellation / Autre"
    assert cells["signalant"] == pseudonymise(key, "citoyen-42")
    assert cells["signalant"].startswith("sig-") and len(cells["signalant"]) == 20
    assert pseudonymise(key, "citoyen-42") != pseudonymise(bytes([1] * 32), "citoyen-42")
    assert csv_row(ROW, PARIS, END.isoformat(), None)[-1] == "citoyen-42"


def test_write_csv_reads_back() -> None:
    out = io.StringIO()
    progress: list[int] = []
    rows = [ROW._replace(pk=i) for i in range(1, 2501)]
    n = write_csv(rows, out, tz=PARIS, end=END, key=b"k", progress=progress.append)
    assert n == 2500 and progress == [1000, 2000]
    back = list(csv.reader(io.StringIO(out.getvalue()), delimiter=";"))
    assert back[0] == list(CSV_HEADER) and len(back) == 2501
    assert back[1][6] == "Rixe ; bagarre"  # quoted, not split


def test_export_details_and_reveal() -> None:
    f = ReviewFilter(datetime(2025, 6, 2, 4, tzinfo=UTC), END)
    details = export_details(
        fmt="csv", review_filter=f, rows=3, reason="  réquisition\n n° 12 ", revealed=False,
        sha256="ab", file_name="x.csv",
    )  # fmt: skip
    assert details["reason"] == "réquisition n° 12" and details["filter"]["end"].startswith(
        "2025-06-02T12:00"
    )
    with pytest.raises(UserFacingError, match="motif de l'export est obligatoire"):
        export_details(
            fmt="csv", review_filter=f, rows=3, reason=" ", revealed=False, sha256="",
            file_name="x.csv",
        )  # fmt: skip
    assert reporters_key(Role.SUPERVISEUR, False, b"k") == b"k"
    assert reporters_key(Role.ADMIN, True, b"k") is None
    with pytest.raises(UserFacingError, match="Superviseur"):
        reporters_key(Role.SUPERVISEUR, True, b"k")
