"""Supervisor review on a month of a busy centre: 1,000,000 alerts, ~5,000,000 events.

- ``shift``: one shift's filter and every indicator and the end-of-shift digest
  (:func:`~csu_console.storage.review_load.load_summary`, read-only connection) on
  the busiest shift (14–22) of a mid-month day and of the month's last day; p50 of
  runs. Also the alert list of the shift (``list``), both at once (``review``), and
  two filters (an operator, a zone);
- ``csv_day``: the CSV export of one local day (every alert, reporters pseudonymised,
  the ``export`` event logged through a read-write store); p50 of runs;
- ``month``: the whole month's summary: time, first progress report, longest gap
  between two reports (what the screen's progress bar would show);
- ``verify``: the shift's hash chain checked (:func:`verify_period`);
- ``migrate``: migration 4 of the generated base (first run only);
- the query plans (EXPLAIN QUERY PLAN) of every statement: no full scan.

The base is generated once by ``bench/review_data.py`` (about 5 minutes) at schema
version 3 and kept in ``var/bench/``; the first run migrates it (timed), reruns
reuse it (``--regenerate`` to start again).

    .venv/bin/python bench/review_query.py [--alerts 1000000] [--runs 9] [--postgres]

With ``--postgres``, the same base is also copied into a throwaway PostgreSQL
(``bench/review_postgres.py``: kept in /tmp between runs) and the shift
indicators, the lists, the CSV of a day, the month and the chain are read from
it too, with their ratio to SQLite's (``pg_…`` pairs on the last line).

Goal: shift_p50_ms <= 200, csv_day_p50_ms <= 1000. Last line: name=value pairs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

from review_data import TZ, generate

from csu_console.config import default_config_dir, load_site
from csu_console.core.review.filter import ReviewFilter
from csu_console.core.review.period import day_period
from csu_console.core.review.shifts import shift_period
from csu_console.paths import REPO_DIR
from csu_console.storage import review_sql as q
from csu_console.storage.review import ReviewReader
from csu_console.storage.review_export import ensure_pseudonym_key, export_csv, record_export
from csu_console.storage.review_load import list_alerts, load_review, load_summary, verify_period
from csu_console.storage.schema import SCHEMA_VERSION
from csu_console.storage.store import Store

GOAL_SHIFT_MS = 200.0
GOAL_CSV_MS = 1000.0


def timed(fn: Callable[[], Any], runs: int) -> tuple[list[float], Any]:
    """Milliseconds of each run, and the last result."""
    out, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        out.append((time.perf_counter() - start) * 1000)
    return out, result


def _ms(values: list[float]) -> str:
    return (
        f"p50 {statistics.median(values):.0f} ms (1re {values[0]:.0f}, "
        f"min {min(values):.0f}, max {max(values):.0f})"
    )


def plans(conn: Any, f: ReviewFilter) -> list[tuple[str, list[str]]]:
    """Every statement of a review, and its query plan."""
    bounds = {"start": f.start.isoformat(), "end": f.end.isoformat()}
    statements: list[tuple[str, str, dict[str, Any]]] = [
        ("alertes (liste)", *q.alerts_query(f, None)),
        ("alertes (indicateurs)", *q.alerts_query(f, None, facts=True)),
        ("alertes ouvertes en fin de période", *q.alerts_query(f, None, open_at_end=True)),
        ("alertes d'une catégorie", *q.alerts_query(f.narrowed(categories={"incendie"}), None)),
        ("alertes d'un opérateur", *q.alerts_query(f.narrowed(operators={"op-a1"}), None)),
        ("corrections d'issue", q.CORRECTED_OUTCOMES, {}),
        ("charge par opérateur", q.OPERATOR_LOAD.format(extra="", only=""), bounds),
        ("sourdines", q.MUTES.format(extra=""), {**bounds, "since": bounds["start"]}),
        ("alertes « caméra hors service »", q.OUTAGE_ALERTS, {"end": bounds["end"]}),
        ("retours de caméras", q.CAMERA_BACKS, {"since": bounds["start"]}),
        ("étapes des unités", q.UNIT_STEPS, {"pks": "[1, 2]", "end": bounds["end"]}),
        ("engagement suivant d'une unité", q.LATER_DISPATCH, {**bounds, "since": bounds["start"],
                                                              "unit": "pm-bravo"}),
        ("main courante", q.LOGBOOK.format(extra=""), bounds),
        ("bornes de la chaîne", q.PK_RANGE, bounds),
    ]  # fmt: skip
    return [
        (name, [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, p)])
        for name, sql, p in statements
    ]


def _full_scan(detail: str) -> bool:
    words = detail.split()
    return len(words) >= 2 and words[0] == "SCAN" and words[1] in ("alerts", "events", "a", "e")


def _base(alerts: int, regenerate: bool) -> tuple[Path, float]:
    """The cached base (generated when missing), migrated; the migration's seconds."""
    path = REPO_DIR / "var" / "bench" / f"review-{alerts}.sqlite3"
    if regenerate or not path.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        tmp = path.with_name(path.name + ".part")
        tmp.unlink(missing_ok=True)
        start = time.perf_counter()
        for line in generate(tmp, alerts):
            print(f"  {time.perf_counter() - start:6.0f} s  {line}", flush=True)
        tmp.rename(path)
        print(f"base générée en {time.perf_counter() - start:.0f} s : {path}")
    probe = Store(path, readonly=True)
    version = int(probe.conn.execute("PRAGMA user_version").fetchone()[0])
    probe.close()
    start = time.perf_counter()
    Store(path).close()
    migrate_s = time.perf_counter() - start if version < SCHEMA_VERSION else 0.0
    if migrate_s:
        print(f"migration {version} -> {SCHEMA_VERSION} : {migrate_s:.1f} s")
    return path, migrate_s


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--postgres", action="store_true", help="the central review too")
    args = parser.parse_args()
    path, migrate_s = _base(args.alerts, args.regenerate)
    site = load_site(default_config_dir())
    zones = [(z.id, z.area) for z in site.zones]
    names = {z.id: z.name for z in site.zones}
    ro = Store(path, readonly=True)
    reader = ReviewReader(ro.conn)
    n_alerts, n_events = ro.count("alerts"), ro.count("events")
    print(f"base : {n_alerts} alertes, {n_events} événements, "
          f"{path.stat().st_size / 1e9:.2f} Go ; charge {os.getloadavg()[0]:.2f}")  # fmt: skip
    out: dict[str, float] = {"migrate_s": migrate_s}
    afternoon = site.shifts.shift("apres-midi")
    assert afternoon is not None
    shifts = {"mid": date(2025, 3, 20), "last": date(2025, 3, 30)}
    for label, day in shifts.items():
        f = ReviewFilter.for_period(shift_period(afternoon, day, TZ))
        ms, summary = timed(lambda f=f: load_summary(reader, f, zones), args.runs)
        ind = summary.indicators
        out[f"shift_{label}_p50_ms"] = statistics.median(ms)
        out[f"shift_{label}_alerts"] = ind.alerts.count
        print(f"vacation {day} 14–22 : {ind.alerts.count} alertes, {ind.open_at_end} ouvertes "
              f"à la fin, {sum(sum(k.values()) for k in ind.load.values())} événements "
              f"d'opérateurs ; indicateurs {_ms(ms)}")  # fmt: skip
        ms, (rows, _more) = timed(lambda f=f: list_alerts(reader, f, zones), args.runs)
        out[f"list_{label}_p50_ms"] = statistics.median(ms)
        print(f"  liste des {len(rows)} alertes : {_ms(ms)}")
        ms, _review = timed(lambda f=f: load_review(reader, f, zones), max(3, args.runs // 2))
        out[f"review_{label}_p50_ms"] = statistics.median(ms)
        print(f"  les deux en un passage : {_ms(ms)}")
    mid = ReviewFilter.for_period(shift_period(afternoon, shifts["mid"], TZ))
    for name, extra in (
        ("opérateur", {"operators": {"op-a1"}}),
        ("zone", {"zones": {"secteur-gare"}}),
    ):
        ms, summary = timed(
            lambda extra=extra: load_summary(reader, mid.narrowed(**extra), zones), 5
        )
        print(f"  filtre {name} : {summary.indicators.alerts.count} alertes, {_ms(ms)}")

    day_f = ReviewFilter.for_period(day_period(shifts["mid"], None, TZ))
    rw = Store(path)
    key = ensure_pseudonym_key(rw)
    with tempfile.TemporaryDirectory(prefix="csu-review-") as tmp:
        target = Path(tmp) / "jour.csv"

        def record(rows: int, sha: str) -> int:
            details = {"format": "csv", "rows": rows, "sha256": sha, "reason": "banc d'essai"}
            return record_export(rw, "bench", "bench", details)

        def export() -> int:
            result = export_csv(reader, day_f, target, zones=zones, tz=TZ, key=key,
                                record=record, zone_names=names)  # fmt: skip
            return result.rows

        ms, rows = timed(export, max(3, args.runs // 2))
        size = target.stat().st_size
    rw.close()
    out["csv_day_p50_ms"], out["csv_day_rows"] = statistics.median(ms), rows
    print(f"export CSV du {shifts['mid']} : {rows} alertes, {size / 1e6:.1f} Mo, {_ms(ms)}")

    month = ReviewFilter.for_period(day_period(date(2025, 3, 1), date(2025, 3, 30), TZ))
    stamps: list[float] = []
    start = time.perf_counter()
    summary = load_summary(
        reader, month, zones, progress=lambda _done: stamps.append(time.perf_counter() - start)
    )
    out["month_s"] = time.perf_counter() - start
    out["month_first_progress_s"] = stamps[0]
    out["month_max_gap_s"] = max((b - a for a, b in pairwise(stamps)), default=0.0)
    print(f"mois entier : {summary.indicators.alerts.count} alertes, indicateurs en "
          f"{out['month_s']:.1f} s ; 1er avancement à {out['month_first_progress_s']:.2f} s, "
          f"{len(stamps)} avancements, écart max {out['month_max_gap_s']:.2f} s")  # fmt: skip

    start = time.perf_counter()
    chain = verify_period(reader, mid.period)
    out["verify_shift_s"] = time.perf_counter() - start
    print(f"chaîne de la vacation : {chain.count} événements vérifiés en "
          f"{out['verify_shift_s']:.1f} s, intacte={chain.ok}")  # fmt: skip

    scans = 0
    print("plans d'exécution (EXPLAIN QUERY PLAN) :")
    for name, details in plans(ro.conn, mid):
        print(f"  {name} :")
        for detail in details:
            scans += _full_scan(detail)
            print(f"    {detail}")
    ro.close()
    if args.postgres:
        import review_postgres

        out.update(review_postgres.run(args.alerts, path, args.runs, site, TZ, timed, _ms, out))
    goal_shift = max(out["shift_mid_p50_ms"], out["shift_last_p50_ms"]) <= GOAL_SHIFT_MS
    goal_csv = out["csv_day_p50_ms"] <= GOAL_CSV_MS
    pairs = [f"alerts={n_alerts}", f"events={n_events}"]
    pairs += [f"{k}={v:.0f}" if k.endswith(("_ms", "_alerts", "_rows")) else f"{k}={v:.2f}"
              for k, v in out.items()]  # fmt: skip
    pairs += [f"load_avg={os.getloadavg()[0]:.2f}", f"full_scans={scans}"]
    pairs += [f"goal_shift={int(goal_shift)}", f"goal_csv={int(goal_csv)}"]
    if args.postgres:
        pg_shift = max(out["pg_shift_mid_p50_ms"], out["pg_shift_last_p50_ms"]) <= GOAL_SHIFT_MS
        pairs += [f"pg_goal_shift={int(pg_shift)}",
                  f"pg_goal_csv={int(out['pg_csv_day_p50_ms'] <= GOAL_CSV_MS)}"]  # fmt: skip
    print(" ".join(pairs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
