"""The review bench's PostgreSQL part (``bench/review_query.py --postgres``): the
same base copied into the central schema (``COPY``, once: the cluster is kept in
``/tmp/csu-bench-pg-<alerts>``), then the same figures read through
:class:`~csu_console.central.reader.PgReviewReader`, with their ratio to SQLite's."""

from __future__ import annotations

import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import psycopg

from csu_console.central.cluster import start_cluster
from csu_console.central.load import bulk_copy
from csu_console.central.reader import PgReviewReader, connect
from csu_console.core.review.filter import ReviewFilter
from csu_console.core.review.period import day_period
from csu_console.core.review.shifts import shift_period
from csu_console.storage.review_export import export_csv
from csu_console.storage.review_load import list_alerts, load_summary, verify_period

Timed = Callable[[Callable[[], Any], int], tuple[list[float], Any]]
SETTINGS = "-c shared_buffers=2GB -c work_mem=64MB -c maintenance_work_mem=1GB -c max_wal_size=8GB"


def _ensure_loaded(dsn: str, sqlite_path: Path) -> float:
    """The base copied into ``dsn`` unless already there; the copy's seconds (0: kept).
    (The SQLite bench adds its export events to the base: not a new base.)"""
    src = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    stamp = f"{sqlite_path}:{src.execute('SELECT max(pk) FROM alerts').fetchone()[0]}"
    src.close()
    with psycopg.connect(dsn, autocommit=True) as conn:
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'bench_base'").fetchone()
        except psycopg.errors.UndefinedTable:
            row = None
        if row is not None and row[0] == stamp:
            return 0.0
        conn.execute("DROP TABLE IF EXISTS alerts, events, meta, rejected CASCADE")
        start = time.perf_counter()
        src = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
        bulk_copy(
            src, conn, "poste-1",
            progress=lambda text: print(f"  {time.perf_counter() - start:6.0f} s  {text}",
                                        flush=True),
        )  # fmt: skip
        src.close()
        conn.execute("INSERT INTO meta (key, value) VALUES ('bench_base', %s)", (stamp,))
        return time.perf_counter() - start


def run(
    alerts: int,
    sqlite_path: Path,
    runs: int,
    site: Any,
    tz: Any,
    timed: Timed,
    ms: Callable[[list[float]], str],
    sqlite_out: dict[str, float],
) -> dict[str, float]:
    """The PostgreSQL figures (and ratios to SQLite's), printed and returned."""
    zones = [(z.id, z.area) for z in site.zones]
    names = {z.id: z.name for z in site.zones}
    cluster = start_cluster(Path(f"/tmp/csu-bench-pg-{alerts}"), SETTINGS)
    if isinstance(cluster, str):
        raise SystemExit(f"PostgreSQL : {cluster}")
    out: dict[str, float] = {}
    try:
        out["pg_load_s"] = _ensure_loaded(cluster.dsn, sqlite_path)
        if out["pg_load_s"]:
            print(f"PostgreSQL : base copiée en {out['pg_load_s']:.0f} s")
        reader = PgReviewReader(connect(cluster.dsn))
        n = reader.execute("SELECT (SELECT count(*) FROM alerts), (SELECT count(*) FROM events)")
        n_alerts, n_events = n.fetchone()
        print(f"PostgreSQL : {n_alerts} alertes, {n_events} événements")
        afternoon = site.shifts.shift("apres-midi")
        for label, day in {"mid": date(2025, 3, 20), "last": date(2025, 3, 30)}.items():
            f = ReviewFilter.for_period(shift_period(afternoon, day, tz))
            times, summary = timed(lambda f=f: load_summary(reader, f, zones), runs)
            out[f"pg_shift_{label}_p50_ms"] = statistics.median(times)
            ratio = out[f"pg_shift_{label}_p50_ms"] / sqlite_out[f"shift_{label}_p50_ms"]
            print(f"PostgreSQL vacation {day} 14–22 : {summary.indicators.alerts.count} alertes ;"
                  f" indicateurs {ms(times)} ; × {ratio:.2f} de SQLite")  # fmt: skip
            times, (rows, _more) = timed(lambda f=f: list_alerts(reader, f, zones), runs)
            out[f"pg_list_{label}_p50_ms"] = statistics.median(times)
            print(f"  liste des {len(rows)} alertes : {ms(times)}")
        day_f = ReviewFilter.for_period(day_period(date(2025, 3, 20), None, tz))
        with tempfile.TemporaryDirectory(prefix="csu-review-pg-") as tmp:
            target = Path(tmp) / "jour.csv"

            def export() -> int:
                result = export_csv(reader, day_f, target, zones=zones, tz=tz, key=b"k" * 32,
                                    record=lambda _r, _s: 0, zone_names=names)  # fmt: skip
                return result.rows

            times, rows = timed(export, max(3, runs // 2))
        out["pg_csv_day_p50_ms"], out["pg_csv_day_rows"] = statistics.median(times), rows
        ratio = out["pg_csv_day_p50_ms"] / sqlite_out["csv_day_p50_ms"]
        print(f"PostgreSQL export CSV du 2025-03-20 : {rows} alertes, {ms(times)} ;"
              f" × {ratio:.2f} de SQLite")  # fmt: skip
        month = ReviewFilter.for_period(day_period(date(2025, 3, 1), date(2025, 3, 30), tz))
        start = time.perf_counter()
        summary = load_summary(reader, month, zones)
        out["pg_month_s"] = time.perf_counter() - start
        print(f"PostgreSQL mois entier : {summary.indicators.alerts.count} alertes en "
              f"{out['pg_month_s']:.1f} s")  # fmt: skip
        mid = ReviewFilter.for_period(shift_period(afternoon, date(2025, 3, 20), tz))
        start = time.perf_counter()
        chain = verify_period(reader, mid.period)
        out["pg_verify_shift_s"] = time.perf_counter() - start
        print(f"PostgreSQL chaîne de la vacation : {chain.count} événements en "
              f"{out['pg_verify_shift_s']:.1f} s, intacte={chain.ok}")  # fmt: skip
        reader.conn.close()
    finally:
        cluster.stop(keep=True)
    return out
