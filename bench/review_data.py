"""A month of a busy centre for ``bench/review_query.py``: a generated database.

Alerts arrive over 30 days (March 2025, Europe/Paris: the spring clock change is
in it) with a daily rhythm; each gets the events a console would log (received,
displayed, acknowledged, escalated, dispatched, on site, ended, closed) by the
operators of the shift on duty; mutes, camera outages and returns, notes come on
top. About 5 events per alert.

Shortcuts, documented: alerts are inserted with ``executemany`` (not
``commit_batch``: no gateway frames, no dedup), their final state written at once.
The events go through the real :func:`~csu_console.storage.logbook.append_events`,
so the hash chain is valid and the bench can time :func:`verify_period` too. The
base is written at schema version 3 (as a console of before the review would have
it) and left there: the bench then times migration 4 on it (indexes, the review's
columns filled from the events).
"""

from __future__ import annotations

import math
import random
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from csu_console.storage import schema
from csu_console.storage.logbook import NewEvent, append_events
from csu_console.storage.store import ALERT_COLUMNS

TZ = ZoneInfo("Europe/Paris")
START = datetime(2025, 3, 1, tzinfo=TZ).astimezone(UTC)
DAYS = 30
CATEGORIES = (
    ("comportement_suspect", 3, 30), ("degradation", 3, 18), ("cambriolage", 2, 12),
    ("demarchage_abusif", 3, 8), ("animal_perdu", 4, 8), ("rixe", 1, 8),
    ("accident", 1, 8), ("incendie", 1, 3), ("autre", 3, 5),
)  # fmt: skip
WEIGHTS = [c[2] for c in CATEGORIES]
COMMUNES = ("Helsinki (démo)", "Espoo (démo)", "Vantaa (démo)")
STATIONS = ("poste-1", "poste-2", "poste-3", "poste-4")
UNITS = ("pm-alpha-1", "pm-alpha-2", "pm-bravo", "pm-cyno", "asvp-1", "asvp-2")
OUTCOMES = ("rien_a_signaler", "verbalisation", "interpellation", "fausse_alerte", "autre")
CAMERAS = tuple(f"cam-{i:02d}" for i in range(1, 25))
# Relative arrivals per local hour: quiet nights, busy evenings.
HOURLY = (3, 2, 2, 1, 1, 1, 2, 4, 5, 6, 6, 6, 7, 6, 6, 6, 7, 8, 9, 9, 8, 7, 5, 4)


def _operator(at: datetime, station: str) -> str:
    """The operator of ``station`` on duty at ``at`` (three shifts, four stations)."""
    hour = at.astimezone(TZ).hour
    shift = "m" if 6 <= hour < 14 else "a" if 14 <= hour < 22 else "n"
    return f"op-{shift}{station[-1]}"


def _lognormal(rng: random.Random, median: float, sigma: float) -> timedelta:
    return timedelta(seconds=median * math.exp(rng.gauss(0, sigma)))


def _arrivals(rng: random.Random, count: int) -> list[datetime]:
    hours = [START + timedelta(hours=h) for h in range(DAYS * 24)]
    weights = [HOURLY[h.astimezone(TZ).hour] for h in hours]
    picked = rng.choices(hours, weights, k=count)
    return sorted(h + timedelta(seconds=rng.random() * 3600) for h in picked)


def _alert_events(
    rng: random.Random, pk: int, at: datetime, priority: int
) -> tuple[list[NewEvent], tuple[str, str | None, str | None, datetime]]:
    """The events of one alert and its final (state, station, operator, state_at)."""
    station = rng.choice(STATIONS)
    op = _operator(at, station)
    ev = [NewEvent("received", at, pk, station, None, {"seq": pk, "fmt": "json"})]
    if rng.random() < 0.72:
        ev.append(NewEvent("displayed", at + timedelta(seconds=1), pk, station, op, {}))
    ack = at + _lognormal(rng, 40 if priority > 1 else 15, 0.8)
    if priority == 1 and ack - at > timedelta(seconds=60):
        ev.append(NewEvent("escalated", at + timedelta(seconds=60), pk, station, None, {}))
    state: tuple[str, str | None, str | None, datetime] = ("new", None, None, at)
    roll = rng.random()
    if roll < 0.0005:
        return ev, state  # never touched: still open
    if roll < 0.03:  # a duplicate closed unread
        closed = ack + timedelta(seconds=5)
        ev.append(NewEvent("closed", closed, pk, station, op, {"from_state": "new"}))
        return ev, ("closed", station, op, closed)
    ev.append(NewEvent("acknowledged", ack, pk, station, op, {"from_state": "new"}))
    last, state = ack, ("acknowledged", station, op, ack)
    if rng.random() < (0.7 if priority <= 2 else 0.35):
        unit = rng.choice(UNITS)
        sent = ack + _lognormal(rng, 90, 0.9)
        details = {"unit": unit, "unit_name": unit, "unit_kind": "vehicule"}
        ev.append(NewEvent("dispatched", sent, pk, station, op, details))
        state = ("dispatched", station, op, sent)
        on_site = sent + _lognormal(rng, 480, 0.5)
        ended = on_site + _lognormal(rng, 900, 0.6)
        ev.append(NewEvent("on_site", on_site, pk, station, op, {"unit": unit}))
        outcome = rng.choice(OUTCOMES)
        end_details = {"unit": unit, "outcome": outcome, "comment": "RAS" if outcome else ""}
        ev.append(NewEvent("dispatch_ended", ended, pk, station, op, end_details))
        last = ended
    if rng.random() < 0.002:
        return ev, state  # left open
    closed = last + _lognormal(rng, 60, 0.7)
    if rng.random() < 0.001:
        closed += timedelta(days=rng.uniform(1, 3))  # forgotten, closed days later
    ev.append(NewEvent("closed", closed, pk, station, _operator(closed, station), {}))
    return ev, ("closed", station, _operator(closed, station), closed)


def _room_events(rng: random.Random, day: datetime) -> list[NewEvent]:
    """Mutes, camera outages' returns and notes of one day."""
    out: list[NewEvent] = []
    for station in STATIONS:
        for _ in range(rng.randint(3, 10)):
            at = day + timedelta(seconds=rng.random() * 86400)
            op = _operator(at, station)
            out.append(NewEvent("muted", at, None, station, op, {"seconds": rng.choice((60, 120))}))
            out.append(NewEvent("note", at, None, station, op, {"text": "ronde caméra"}))
    return out


def _alert_row(
    pk: int,
    at: datetime,
    rng: random.Random,
    category: str,
    priority: int,
    final: tuple[object, ...],
) -> list[object]:
    lon, lat = 24.930 + rng.random() * 0.03, 60.160 + rng.random() * 0.022
    iso = at.isoformat(timespec="milliseconds")
    row: list[object] = [
        "plateforme", f"A{pk}", pk, "json", iso, iso, category, None, priority, 1,
        f"Alerte {category}", "", lat, lon, f"{pk % 300} rue de la Démo", 15.0,
        rng.choice(COMMUNES), f"citoyen-{rng.randrange(200_000)}", rng.random() < 0.6,
        "[]", "{}",
    ]  # fmt: skip
    state, station, op, state_at = final
    assert isinstance(state_at, datetime)
    return [*row, state, station, op, state_at.isoformat(timespec="milliseconds")]


_INSERT = (
    f"INSERT INTO alerts ({', '.join(ALERT_COLUMNS)}, state, state_station, state_operator,"
    f" state_at) VALUES ({', '.join('?' * (len(ALERT_COLUMNS) + 4))})"
)


def _outage_alert(pk: int, camera: str, down: datetime, raised: datetime) -> list[object]:
    iso = raised.isoformat(timespec="milliseconds")
    alert_id = f"camera-offline:{camera}:{down:%Y%m%dT%H%M%SZ}"
    return [
        "csu-console", alert_id, None, "json", iso, iso, "autre", "camera_hors_service", 4, 0,
        f"Caméra hors service : {camera}", "", 60.17, 24.94, camera, None, None, None, None,
        "[]", f'{{"camera_id": "{camera}"}}', "closed", "poste-1", "op", iso,
    ]  # fmt: skip


def generate(path: Path, alerts: int, seed: int = 7) -> Iterator[str]:
    """Write the database at ``path``; yields a progress line per day."""
    rng = random.Random(seed)
    arrivals = _arrivals(rng, alerts)
    conn = _version_3(path)
    cur = conn.cursor()
    pending: list[NewEvent] = []
    pk, i = 0, 0
    for d in range(DAYS + 4):  # 4 days more: flush what was left pending
        day_end = START + timedelta(days=d + 1)
        rows, events = [], []
        while i < len(arrivals) and arrivals[i] < day_end:
            pk += 1
            at = arrivals[i]
            category, priority, _w = rng.choices(CATEGORIES, WEIGHTS)[0]
            ev, final = _alert_events(rng, pk, at, priority)
            rows.append(_alert_row(pk, at, rng, category, priority, final))
            events += ev
            i += 1
        if d < DAYS:
            events += _room_events(rng, day_end - timedelta(days=1))
            for _ in range(rng.randint(0, 3)):
                pk += 1
                camera = rng.choice(CAMERAS)
                down = day_end - timedelta(seconds=rng.random() * 86400)
                raised = down + timedelta(minutes=5)
                rows.append(_outage_alert(pk, camera, down, raised))
                events.append(NewEvent("received", raised, pk, "poste-1", None, {}))
                back = raised + _lognormal(rng, 3600, 1.0)
                events.append(
                    NewEvent("camera_online", back, None, "poste-1", None, {"camera_id": camera})
                )
        pending += events
        pending.sort(key=lambda e: e.at)
        cut = len(pending) if d >= DAYS + 3 else _first_at_or_after(pending, day_end)
        cur.execute("BEGIN")
        cur.executemany(_INSERT, rows)
        append_events(cur, pending[:cut], TZ)
        cur.execute("COMMIT")
        pending = pending[cut:]
        yield f"jour {d + 1} : {len(rows)} alertes, {cut} événements"
    conn.close()


def _version_3(path: Path) -> sqlite3.Connection:
    """A new database at schema version 3 (what migrate() does, stopped there)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")  # a bench file: speed over safety
    for version, migration in enumerate(schema.MIGRATIONS[:3]):
        if isinstance(migration, str):
            conn.executescript(f"BEGIN;{migration};PRAGMA user_version={version + 1};COMMIT;")
        else:
            schema._run_steps(conn, migration, version + 1)
    return conn


def _first_at_or_after(events: list[NewEvent], at: datetime) -> int:
    lo, hi = 0, len(events)
    while lo < hi:
        mid = (lo + hi) // 2
        if events[mid].at < at:
            lo = mid + 1
        else:
            hi = mid
    return lo
