"""A per-commune report of the demo site (issue 19), pages 1 and 2 rendered into
docs/screenshots/issue19-commune-report.png and issue19-commune-report-map.png.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/commune_report_screenshot.py

A real database is filled through the store's own API with two months of the
intercommunal demo site (config/: three demo communes drawn as zones of the
« commune » zoning, their secteurs and quartiers): citizen alerts placed at random
inside the communes (one in ten says another commune than where it lies), most
acknowledged after a few tens of seconds, the urgent ones handled by a police
municipale unit with an outcome. The reports of October 2025 (compared with the
31 days before) are read as the review's worker reads them
(:func:`~csu_console.storage.review_communes.load_commune_reports`), painted
(:mod:`csu_console.report.commune_pdf`), and ``pdftoppm -png -r 80`` renders a page.
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtGui import QGuiApplication

from csu_console.config import load_site
from csu_console.core.alerts import Alert, AlertState, Category, Location, Reporter
from csu_console.core.dispatch import Outcome, Unit, plan_dispatch, plan_end, unit_statuses
from csu_console.core.protocol import AlertMessage
from csu_console.core.review.period import day_period
from csu_console.core.review.places import ReviewZones
from csu_console.core.states import Actor, plan
from csu_console.report.commune_pdf import write_commune_report
from csu_console.storage.review import ReviewReader
from csu_console.storage.review_communes import load_commune_reports
from csu_console.storage.store import DB_NAME, Store

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "screenshots"
PARIS = ZoneInfo("Europe/Paris")
ME = Actor("poste-1", "durand")
UNITS = (Unit("pm-alpha", "PM Alpha"), Unit("pm-bravo", "PM Bravo"))
WEIGHTS = {
    Category.COMPORTEMENT_SUSPECT: 16, Category.DEGRADATION: 14, Category.CAMBRIOLAGE: 9,
    Category.DEMARCHAGE_ABUSIF: 6, Category.RIXE: 5, Category.ANIMAL_PERDU: 6,
    Category.ACCIDENT: 4, Category.INCENDIE: 2, Category.AUTRE: 5,
}  # fmt: skip
PRIORITY = {Category.RIXE: 1, Category.ACCIDENT: 1, Category.INCENDIE: 1,
            Category.CAMBRIOLAGE: 2, Category.ANIMAL_PERDU: 4}  # fmt: skip
OUTCOMES = (Outcome.INTERPELLATION, Outcome.VERBALISATION, Outcome.RIEN_A_SIGNALER,
            Outcome.RIEN_A_SIGNALER, Outcome.AUTRE)  # fmt: skip


def fill(store: Store, zones: ReviewZones, rng: random.Random) -> None:
    """Two months (September and October 2025) of the demo site's communes."""
    store.set_timezone("Europe/Paris")
    place = random.Random(rng.random())  # how many and where; rng: how they are handled
    outlines = {zid: area for zid, area in zones if zid.startswith("commune-")}
    names = [c.name for c in zones.communes]
    rate = {"commune-bourg-centre": 7.0, "commune-port-kaisan": 4.5, "commune-val-de-gare": 3.0}
    day = datetime(2025, 8, 31, tzinfo=UTC)
    seq = 0
    while day < datetime(2025, 11, 1, tzinfo=UTC):
        october = day.month == 10
        for zid, area in outlines.items():
            per_day = rate.get(zid, 3.0) * (1.25 if october and "bourg" in zid else 1.0)
            for _ in range(max(0, round(place.gauss(per_day, per_day**0.5)))):
                seq += 1
                at = day + timedelta(seconds=place.uniform(6 * 3600, 23.5 * 3600))
                x0, y0, x1, y1 = area.bbox
                while True:
                    lon, lat = place.uniform(x0, x1), place.uniform(y0, y1)
                    if area.contains(lon, lat):
                        break
                lies_in = zones.commune_of(tuple(z for z, a in zones if a.contains(lon, lat)))
                typed = rng.choice(names) if rng.random() < 0.1 else lies_in.name  # type: ignore[union-attr]
                category = rng.choices(list(WEIGHTS), list(WEIGHTS.values()))[0]
                add(store, seq, category, at, lon, lat, typed, rng)
        day += timedelta(days=1)


def add(store: Store, seq: int, category: Category, at: datetime, lon: float, lat: float,
        typed: str, rng: random.Random) -> None:  # fmt: skip
    priority = PRIORITY.get(category, 3)
    alert = Alert(
        "plateforme", f"D{seq}", at, category, priority, title="Signalement",
        location=Location(lat, lon, "rue de la démo"), commune=typed,
        reporter=Reporter(f"citoyen-{rng.randint(1, 300)}", True),
    )  # fmt: skip
    [out] = store.commit_batch([AlertMessage(seq, alert)], ME.station, at)
    assert out.stored is not None
    pk = out.stored.pk
    if rng.random() < 0.04:
        return  # never acknowledged (closed by another station, later)
    ack = at + timedelta(seconds=rng.lognormvariate(3.6, 0.7))
    assert store.apply_transition(pk, plan(store.claim(pk), ME, AlertState.ACKNOWLEDGED, ack))
    if priority <= 2 and rng.random() < 0.8:
        unit = UNITS[seq % 2]
        sent = ack + timedelta(seconds=rng.uniform(40, 400))
        states = unit_statuses(UNITS, store.unit_events())
        p = plan_dispatch(unit, states, pk, store.claim(pk), ME, sent)
        if p.allowed and store.record_dispatch(pk, p, ME.station, ME.operator):
            states = unit_statuses(UNITS, store.unit_events())
            outcome = rng.choice(OUTCOMES)
            comment = "orienté vers le 17" if outcome is Outcome.AUTRE else ""
            ended = plan_end(unit, states, pk, outcome, comment)
            store.add_event("dispatch_ended", pk, ME.station, ME.operator, ended,
                            sent + timedelta(minutes=rng.uniform(10, 50)))  # fmt: skip
    closed = ack + timedelta(minutes=rng.uniform(15, 90))
    assert store.apply_transition(pk, plan(store.claim(pk), ME, AlertState.CLOSED, closed))


def main() -> int:
    app = QGuiApplication(sys.argv)
    site = load_site(REPO / "config")
    zones = ReviewZones(site.zones, site.zonings)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / DB_NAME)
        fill(store, zones, random.Random(19))
        period = day_period(date(2025, 10, 1), date(2025, 10, 31), PARIS)
        [report] = load_commune_reports(
            ReviewReader(store.conn), period, zones, ["30901"], centre=site.site.name,
            tz=PARIS, author="Claire Chef (Superviseur)",
            printed_at=datetime(2025, 11, 3, 8, 30, tzinfo=UTC), retention=site.retention,
        )  # fmt: skip
        store.close()
        pdf = Path(tmp) / f"{report.file_stem}.pdf"
        pages = write_commune_report(pdf, report)
        for page, name in ((1, "issue19-commune-report"), (2, "issue19-commune-report-map")):
            subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", str(page), "-l", str(page),
                            "-singlefile", str(pdf), str(OUT / name)], check=True)  # fmt: skip
        print(f"{report.commune.label} : {report.current.count} alertes, {pages} pages")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
