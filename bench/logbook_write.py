"""Logbook write speed: chained events on a real file, WAL and synchronous=FULL as
the Store opens it.

- ``single``: one event per transaction through ``Store.add_event`` (the GUI's
  case: BEGIN IMMEDIATE, read the last hash, insert, COMMIT with fsync) —
  events per second and the latency of one event (p50, p99, max);
- ``writer``: the same through the StorageWriter thread (submit, wait the result);
- ``bulk``: the alert link's case, ``commit_batch`` of 500 alerts, each with its
  chained "received" event — events per second;
- ``verify``: events checked per second by ``verify_chain``.

    .venv/bin/python bench/logbook_write.py [--events 5000] [--dir DIR]

Goal: single_eps >= 2000 and single_p99_ms <= 10. Last line: name=value pairs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from csu_console.core.alerts import Alert, Category
from csu_console.core.protocol import AlertMessage
from csu_console.storage.store import DB_NAME, Store
from csu_console.storage.writer import StorageWriter

GOAL_EPS = 2000
GOAL_P99_MS = 10.0


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def bench_single(path: Path, count: int) -> tuple[float, list[float]]:
    """Events per second and per-event latencies (ms), one transaction each."""
    store = Store(path)
    latencies: list[float] = []
    try:
        start = time.perf_counter()
        for n in range(count):
            t = time.perf_counter()
            details = {"unit": "pm-a1", "outcome": "verbalisation", "comment": f"note {n}"}
            store.add_event("dispatch_ended", None, "poste-1", "durand", details)
            latencies.append((time.perf_counter() - t) * 1000)
        elapsed = time.perf_counter() - start
    finally:
        store.close()
    return count / elapsed, latencies


def bench_writer(path: Path, count: int) -> tuple[float, list[float]]:
    """The same through the storage thread, waiting for each result."""
    writer = StorageWriter(path)
    writer.start()
    latencies: list[float] = []
    try:
        start = time.perf_counter()
        for n in range(count):
            t = time.perf_counter()
            details = {"seconds": 60, "n": n}
            writer.submit(lambda s, d=details: s.add_event("muted", None, "p", "o", d)).result()
            latencies.append((time.perf_counter() - t) * 1000)
        elapsed = time.perf_counter() - start
    finally:
        writer.close()
    return count / elapsed, latencies


def bench_bulk(path: Path, count: int, batch: int = 500) -> float:
    """Chained "received" events per second through ``commit_batch``."""
    now = datetime.now(UTC)
    messages = [
        AlertMessage(i + 1, Alert("bench", f"B{i}", now, Category.RIXE, 1, title="Rixe"))
        for i in range(count)
    ]
    store = Store(path)
    try:
        start = time.perf_counter()
        for i in range(0, count, batch):
            store.commit_batch(messages[i : i + batch], "poste-1")
        return count / (time.perf_counter() - start)
    finally:
        store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000, help="événements par mesure")
    parser.add_argument("--dir", type=Path, default=None, help="dossier de la base (défaut : tmp)")
    args = parser.parse_args()
    n = args.events
    with tempfile.TemporaryDirectory(prefix="csu-logbook-", dir=args.dir) as tmp:
        path = Path(tmp) / DB_NAME
        single_eps, single = bench_single(path, n)
        writer_eps, via_writer = bench_writer(path, n)
        bulk_eps = bench_bulk(path, 4 * n)
        store = Store(path, readonly=True)
        try:
            start = time.perf_counter()
            report = store.verify_chain()
            verify_eps = report.count / (time.perf_counter() - start)
        finally:
            store.close()
    print(f"{n} événements un par un : {single_eps:.0f}/s, "
          f"p50 {statistics.median(single):.2f} ms, p99 {_percentile(single, 0.99):.2f} ms, "
          f"max {max(single):.1f} ms")  # fmt: skip
    print(
        f"par le fil de stockage : {writer_eps:.0f}/s, p99 {_percentile(via_writer, 0.99):.2f} ms"
    )
    print(f"par lots de 500 (commit_batch) : {bulk_eps:.0f}/s")
    print(f"vérification : {report.count} événements, {verify_eps:.0f}/s, intacte={report.ok}")
    ok = single_eps >= GOAL_EPS and _percentile(single, 0.99) <= GOAL_P99_MS and report.ok
    print(
        f"events={n} single_eps={single_eps:.0f} single_p50_ms={statistics.median(single):.3f}"
        f" single_p99_ms={_percentile(single, 0.99):.3f} single_max_ms={max(single):.1f}"
        f" writer_eps={writer_eps:.0f} writer_p99_ms={_percentile(via_writer, 0.99):.3f}"
        f" bulk_eps={bulk_eps:.0f} verify_eps={verify_eps:.0f} chain_ok={int(report.ok)}"
        f" goal_met={int(ok)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
