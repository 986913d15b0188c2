"""The supervisor's review screen and the first page of its PDF report, into
docs/screenshot-review.png and docs/screenshot-report.png.

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python docs/review_screenshot.py

A real database is filled through the store's own API with a realistic afternoon
shift of the demo site (Friday 14 March 2025, 14:00–22:00 Paris): about seventy
alerts, two operators on two stations, acknowledgements, dispatches of the
configured units, outcomes, an escalation, two mutes, a camera down and back, one
still down, and alerts still open at 22:00. The review window opens on it (the
last completed shift), shows the charts, an alert's timeline; then the report is
exported through the window (reason, file, logged) and its page 1 rendered by
``pdftoppm -png -r 80 -f 1 -l 1``.
"""

from __future__ import annotations

import math
import random
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from csu_console.config import load_site
from csu_console.config.schema import SiteConfig
from csu_console.core.accounts import Account
from csu_console.core.alerts import Alert, AlertState, Category, Location, Reporter
from csu_console.core.camera_health import Outage, outage_alert
from csu_console.core.dispatch import (
    Outcome,
    plan_dispatch,
    plan_end,
    plan_on_site,
    unit_statuses,
)
from csu_console.core.protocol import AlertMessage
from csu_console.core.roles import Role
from csu_console.core.states import Actor, plan
from csu_console.mapdata.mapfile import import_osm
from csu_console.storage.store import DB_NAME, Store
from csu_console.storage.writer import StorageWriter
from csu_console.ui.console.session import Session
from csu_console.ui.map.basemap_file import ThreadedMapFile
from csu_console.ui.review.window import ReviewWindow
from csu_console.ui.review.worker import ReviewWorker
from csu_console.ui.theme import STYLESHEET

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
START = datetime(2025, 3, 14, 13, 0, tzinfo=UTC)  # 14:00 Paris (winter time)
NOW = datetime(2025, 3, 14, 22, 30, tzinfo=UTC)  # 23:30 Paris: the afternoon is over
OPERATORS = (Actor("poste-1", "durand"), Actor("poste-2", "roux"))
WEIGHTS = {
    Category.COMPORTEMENT_SUSPECT: 18, Category.CAMBRIOLAGE: 12, Category.DEGRADATION: 12,
    Category.DEMARCHAGE_ABUSIF: 8, Category.ANIMAL_PERDU: 6, Category.RIXE: 6,
    Category.ACCIDENT: 4, Category.INCENDIE: 2, Category.AUTRE: 2,
}  # fmt: skip
TITLES = {
    Category.COMPORTEMENT_SUSPECT: ("Individus qui observent les entrées", "Voiture qui tourne "
                                    "dans le quartier", "Homme qui essaie les poignées"),
    Category.CAMBRIOLAGE: ("Porte fracturée", "Bruit de vitre brisée", "Cave visitée"),
    Category.DEGRADATION: ("Tags sur l'abribus", "Rétroviseurs cassés", "Vitrine rayée"),
    Category.DEMARCHAGE_ABUSIF: ("Faux agents du gaz", "Vente forcée de calendriers"),
    Category.ANIMAL_PERDU: ("Chien errant", "Chat perdu"),
    Category.RIXE: ("Bagarre devant le bar", "Rixe à la sortie du métro"),
    Category.ACCIDENT: ("Collision voiture – vélo", "Piéton renversé"),
    Category.INCENDIE: ("Feu de poubelle", "Fumée dans un hall"),
    Category.AUTRE: ("Bruit suspect", "Objet abandonné"),
}  # fmt: skip
STREETS = ("Aleksanterinkatu", "Mannerheimintie", "Pohjoisesplanadi", "Kaivokatu",
           "Unioninkatu", "Fabianinkatu", "Mikonkatu", "Keskuskatu", "Eteläranta")  # fmt: skip
Step = tuple[datetime, int, Callable[[Store], None]]


def wait_for(app: QApplication, predicate: Callable[[], object], timeout_ms: int = 30_000) -> None:
    """Run the event loop until ``predicate()`` holds (checked every 50 ms)."""
    loop = QEventLoop()
    timer = QTimer()
    timer.timeout.connect(lambda: predicate() and loop.quit())
    timer.start(50)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    timer.stop()
    if not predicate():
        raise SystemExit("condition jamais atteinte")


class Shift:
    """Builds the afternoon as time-ordered steps, then plays them into a store."""

    def __init__(self, site: SiteConfig) -> None:
        self.site, self.rng = site, random.Random(14)
        self.steps: list[Step] = []
        self.pks: dict[str, int] = {}
        self.units = site.dispatch.units
        self.busy_until: dict[str, datetime] = {}

    def at(self, when: datetime, action: Callable[[Store], None]) -> None:
        self.steps.append((when, len(self.steps), action))

    def position(self) -> tuple[float, float]:
        zones = [z for z in self.site.zones if z.zoning == "secteur_pm"]
        while True:
            zone = self.rng.choice(zones)
            lon0, lat0, lon1, lat1 = zone.area.bbox
            lon, lat = self.rng.uniform(lon0, lon1), self.rng.uniform(lat0, lat1)
            if zone.contains(lon, lat):
                return lon, lat

    def alert(self, n: int, received: datetime) -> None:
        category = self.rng.choices(list(WEIGHTS), list(WEIGHTS.values()))[0]
        priority = self.site.priorities.get(category, 3)
        lon, lat = self.position()
        street = f"{self.rng.randint(1, 60)} {self.rng.choice(STREETS)}"
        alert = Alert(
            "voisins-vigilants", f"vv-{n:04d}", received - timedelta(seconds=40), category,
            priority, title=self.rng.choice(TITLES[category]),
            location=Location(lat, lon, street, 15.0), commune="Helsinki (démo)",
            reporter=Reporter(f"voisin-{self.rng.randint(1, 40)}", True),
        )  # fmt: skip
        who = OPERATORS[n % 2]
        key = alert.id

        def receive(store: Store) -> None:
            [out] = store.commit_batch([AlertMessage(n, alert)], who.station, received)
            assert out.stored is not None
            self.pks[key] = out.stored.pk

        self.at(received, receive)
        self.handle(key, priority, received, who)

    def handle(self, key: str, priority: int, received: datetime, who: Actor) -> None:
        rng = self.rng
        late = received > START + timedelta(hours=7, minutes=20)
        if priority == 4 and rng.random() < 0.5:
            self.move(key, who, AlertState.CLOSED, received + timedelta(minutes=rng.randint(3, 9)))
            return
        median = {1: 35, 2: 80, 3: 150, 4: 400}[priority]
        ack = received + timedelta(seconds=max(5, rng.lognormvariate(math.log(median), 0.6)))
        if priority == 1 and rng.random() < 0.25:
            self.at(received + timedelta(seconds=60), lambda s: s.add_event(
                "escalated", self.pks[key], who.station, None, {"to": "chef de salle"},
                received + timedelta(seconds=60)))  # fmt: skip
            ack = max(ack, received + timedelta(seconds=70))
        self.move(key, who, AlertState.ACKNOWLEDGED, ack)
        dispatch = {1: 1.0, 2: 0.5, 3: 0.2, 4: 0.0}[priority] > rng.random()
        free = [u for u in self.units if self.busy_until.get(u.id, START) < ack]
        if dispatch and free:
            unit = rng.choice(free)
            sent = ack + timedelta(seconds=rng.randint(40, 300))
            end = sent + timedelta(minutes=rng.randint(15, 50))
            self.busy_until[unit.id] = end if not late else NOW
            self.engage(key, unit, who, sent, end, late)
            if not late:
                self.move(key, who, AlertState.CLOSED, end + timedelta(minutes=2))
        elif not late or rng.random() < 0.4:
            self.move(key, who, AlertState.CLOSED, ack + timedelta(minutes=rng.randint(4, 25)))

    def move(self, key: str, who: Actor, target: AlertState, when: datetime) -> None:
        self.at(when, lambda s: s.apply_transition(
            self.pks[key], plan(s.claim(self.pks[key]), who, target, when)))  # fmt: skip

    def engage(self, key: str, unit: object, who: Actor, sent: datetime, end: datetime,
               late: bool) -> None:  # fmt: skip
        units = self.units

        def send(s: Store) -> None:
            pk = self.pks[key]
            states = unit_statuses(units, s.unit_events())
            p = plan_dispatch(unit, states, pk, s.claim(pk), who, sent)  # type: ignore[arg-type]
            s.record_dispatch(pk, p, who.station, who.operator)

        def arrive(s: Store) -> None:
            states = unit_statuses(units, s.unit_events())
            details = plan_on_site(unit, states, self.pks[key])  # type: ignore[arg-type]
            s.add_event("on_site", self.pks[key], who.station, who.operator, details, on_site)

        def finish(s: Store) -> None:
            states = unit_statuses(units, s.unit_events())
            outcome = self.rng.choice([*Outcome][:5])
            details = plan_end(unit, states, self.pks[key], outcome, "")  # type: ignore[arg-type]
            s.add_event("dispatch_ended", self.pks[key], who.station, who.operator, details, end)

        on_site = sent + timedelta(minutes=self.rng.randint(4, 10))
        self.at(sent, send)
        self.at(on_site, arrive)
        if not late:
            self.at(end, finish)

    def room(self) -> None:
        """Shifts, logins, mutes, cameras."""
        for i, who in enumerate(OPERATORS):
            when = START + timedelta(minutes=i)
            self.at(when, lambda s, w=who, t=when: s.add_event("login", None, w.station,
                                                              w.operator, {}, t))  # fmt: skip
            self.at(when, lambda s, w=who, t=when: s.open_shift(w.station, w.operator, t))
        for minutes in (196, 341):
            when = START + timedelta(minutes=minutes)
            self.at(when, lambda s, t=when: s.add_event("muted", None, "poste-1", "durand",
                                                        {"seconds": 120}, t))  # fmt: skip
        cameras = {c.id: c for c in self.site.cameras}
        for cam, down, back in (("cam-08", 130, 185), ("cam-04", 400, None)):
            camera = cameras[cam]
            since = START + timedelta(minutes=down)
            raised = since + timedelta(minutes=5)
            alert = outage_alert(Outage(cam, 0.0, since, raised=True), camera.name, camera.lon,
                                 camera.lat, "poste-1", raised)  # fmt: skip
            self.at(raised, lambda s, a=alert, t=raised: s.commit_batch(
                [AlertMessage(None, a)], "poste-1", t))  # fmt: skip
            if back is not None:
                t = START + timedelta(minutes=back)
                self.at(t, lambda s, c=cam, t=t: s.add_event(
                    "camera_online", None, "poste-1", None, {"camera_id": c}, t))  # fmt: skip

    def build(self, store: Store) -> None:
        store.set_timezone(self.site.site.timezone)
        self.room()
        n = 0
        for hour in range(8):
            rate = (5, 6, 8, 11, 12, 10, 8, 6)[hour]
            for _ in range(rate):
                n += 1
                self.alert(n, START + timedelta(hours=hour, seconds=self.rng.randint(0, 3599)))
        for _when, _i, action in sorted(self.steps, key=lambda s: (s[0], s[1])):
            action(store)


def main() -> int:
    app = QApplication(sys.argv[:1])
    app.setStyleSheet(STYLESHEET)
    site = load_site(REPO / "config")
    with tempfile.TemporaryDirectory(prefix="csu-review-") as tmp_name:
        tmp = Path(tmp_name)
        db = tmp / "data" / DB_NAME
        store = Store(db)
        Shift(site).build(store)
        store.close()
        mapfile = ThreadedMapFile(
            import_osm(REPO / "assets/osm/helsinki-centre.osm.pbf", tmp / "demo.csumap").path
        )
        writer = StorageWriter(db)
        writer.start()
        worker = ReviewWorker(db)
        session = Session()
        session.log_in(Account("c.martin", "Claire Martin", Role.SUPERVISEUR))
        window = ReviewWindow(site, session, worker, writer, "poste-1", basemap=mapfile,
                              now=lambda: NOW, choose_path=lambda _k, name: tmp / name)  # fmt: skip
        window.setGeometry(0, 0, 1920, 1080)
        window.show()
        shots(app, window, tmp)
        window.close()
        worker.close()
        writer.close()
    return 0


def shots(app: QApplication, window: ReviewWindow, tmp: Path) -> None:
    loaded: list[object] = []
    window.loaded.connect(loaded.append)
    window.load_default()
    wait_for(app, lambda: loaded and window.chain is not None)
    escalated = next(
        (i for i, r in enumerate(window.model.rows) if r.escalated), 0
    )  # an alert with a story to tell
    window.table.selectRow(window.proxy.mapFromSource(window.model.index(escalated, 0)).row())
    wait_for(app, lambda: window.timeline.table.rowCount() > 0)
    window.tabs.setCurrentWidget(window.charts)
    app.processEvents()
    path = DOCS / "screenshot-review.png"
    app.primaryScreen().grabWindow(0).save(str(path))
    print(f"écrit {path}")

    done: list[object] = []
    window.exports.finished.connect(done.append)
    window.exports.failed.connect(lambda m: sys.exit(f"export en échec : {m}"))
    window.pdf_button.click()
    dialog = window.exports.reason_dialog
    assert dialog is not None
    dialog.setTextValue("Bilan hebdomadaire au maire")
    dialog.accept()
    wait_for(app, lambda: bool(done), 60_000)
    pdf = next(tmp.glob("*.pdf"))
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(pdf),
                    str(tmp / "page")], check=True, timeout=60)  # fmt: skip
    out = DOCS / "screenshot-report.png"
    next(tmp.glob("page*.png")).replace(out)
    print(f"écrit {out}")


if __name__ == "__main__":
    sys.exit(main())
