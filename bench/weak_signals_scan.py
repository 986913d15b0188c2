"""A full weak-signal scan over a million alerts (generated in memory), and the
history read back from a station database.

The history: 26 weeks of reports on the demo site's zones (``config/``) with the
three kinds of plants, about 5,500 a day so that the whole history is a million
alerts (the scan itself reads the 9 weeks it needs: window + baseline). The scan
is timed 3 times (median): placement in the zones, recurrences, clusters, terms.

``load_history`` is timed on a real SQLite file holding ``--stored`` rows
(default 1,000,000; written by a plain ``INSERT`` of the columns it reads, not
through ``commit_batch``: writing a million alerts with their chained events
would take minutes and is not what is measured), over the 9 weeks a scan reads.

Last line: ``name=value`` pairs.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from csu_console.config import load_site
from csu_console.core.weak_signals.detector import DetectorParams, detect
from csu_console.core.weak_signals.generator import PlantSpec, generate
from csu_console.core.weak_signals.model import AlertHistory
from csu_console.storage.codec import iso
from csu_console.storage.signal_history import load_history
from csu_console.storage.store import DB_NAME, Store

CONFIG = Path(__file__).resolve().parents[1] / "config"
NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


def _write_rows(db: Path, history: AlertHistory, rows: int) -> None:
    """``rows`` alerts (the history's, repeated with new ids if needed) in a new base."""
    store = Store(db)
    store.close()
    conn = sqlite3.connect(db)
    n = len(history)
    sent = [iso(datetime.fromtimestamp(float(t), UTC)) for t in history.t]
    cats = [history.categories[int(c)] for c in history.category]
    batch = []
    with conn:
        for i in range(rows):
            j = i % n
            text = history.text[j]
            batch.append((
                "bench", f"b{i:08d}", i + 1, "json", sent[j], sent[j], cats[j], 3,
                text[:40], text, float(history.lat[j]), float(history.lon[j]),
            ))  # fmt: skip
            if len(batch) == 50_000:
                conn.executemany(
                    "INSERT INTO alerts (source, alert_id, seq, fmt, sent, received_at,"
                    " category, priority, title, description, lat, lon)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    batch,
                )
                batch = []
        if batch:
            conn.executemany(
                "INSERT INTO alerts (source, alert_id, seq, fmt, sent, received_at,"
                " category, priority, title, description, lat, lon)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                batch,
            )
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=1_000_000)
    parser.add_argument("--stored", type=int, default=1_000_000, help="0: skip the load")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    site = load_site(CONFIG)
    territory = site.territory
    weeks = 26
    t0 = time.perf_counter()
    made = generate(
        territory, NOW, weeks=weeks, per_day=args.alerts / (weeks * 7), seed=1,
        plants=PlantSpec(1, 1, 1),
    )  # fmt: skip
    gen_s = time.perf_counter() - t0
    history = made.history
    print(f"historique : {len(history)} alertes sur {weeks} semaines, généré en {gen_s:.1f} s")
    params = DetectorParams()
    times = []
    signals = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        signals = detect(history, territory, NOW, params)
        times.append(time.perf_counter() - t0)
    scan_s = statistics.median(times)
    scanned = int(np.count_nonzero(history.t >= (NOW - timedelta(weeks=9)).timestamp()))
    runs = ", ".join(f"{t:.2f}" for t in times)
    print(
        f"analyse : {scanned} alertes dans la fenêtre et la référence, {len(signals)} signaux,"
        f" {scan_s:.2f} s (médiane de {args.runs} : {runs})"
    )
    for s in signals[:5]:
        print(f"  - {s.title}")
    load_s = float("nan")
    loaded = 0
    if args.stored:
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / DB_NAME
            t0 = time.perf_counter()
            _write_rows(db, history, args.stored)
            print(f"base : {args.stored} alertes écrites en {time.perf_counter() - t0:.1f} s")
            store = Store(db, readonly=True)
            try:
                t0 = time.perf_counter()
                back = load_history(store, NOW - timedelta(weeks=9), NOW)
                load_s = time.perf_counter() - t0
                loaded = len(back)
            finally:
                store.close()
        print(f"load_history : {loaded} alertes lues (9 semaines) en {load_s:.2f} s")
    print(
        f"alerts={len(history)} scanned={scanned} signals={len(signals)} scan_1m_s={scan_s:.2f}"
        f" load_rows={loaded} load_history_s={load_s:.2f}"
    )


if __name__ == "__main__":
    main()
