"""Backup during a storm: how long ``make_backup`` takes on a big database and what it
costs the console's writer meanwhile; then the restore.

    .venv/bin/python bench/backup_storm.py [--alerts 50000]

Builds a database of ``--alerts`` alerts (batches of 500 through the real
``StorageWriter``), then backs it up twice: once idle, once while a thread commits
batches of 10 alerts as fast as the writer takes them (a storm). Prints the backup
times, the database size, the writer's commit latency (p50 / max) before and during
the backup, the restore time (manifest, integrity check, chain verified).
Last line: ``backup_s=… storm_backup_s=… commit_p50_ms=… commit_max_ms=… …``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from csu_console.backup.make import make_backup
from csu_console.backup.restore import restore_backup
from csu_console.core.alerts import Alert, Category, Location
from csu_console.core.protocol import AlertMessage
from csu_console.storage.store import DB_NAME
from csu_console.storage.writer import StorageWriter

T0 = datetime(2026, 12, 5, 2, 0, tzinfo=UTC)
CATEGORIES = list(Category)


def message(seq: int) -> AlertMessage:
    alert = Alert(
        source="plateforme",
        id=f"SIG-{seq}",
        sent=T0,
        category=CATEGORIES[seq % len(CATEGORIES)],
        priority=1 + seq % 4,
        location=Location(48.85 + (seq % 100) * 1e-4, 2.35),
        title="Signalement de test",
        description="Deux personnes se battent devant le bar, une troisième filme.",
    )
    return AlertMessage(seq, alert)


def commit(writer: StorageWriter, first: int, n: int) -> float:
    batch = [message(first + i) for i in range(n)]
    start = time.perf_counter()
    writer.submit(lambda s: s.commit_batch(batch, "poste-1")).result(timeout=60)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--alerts", type=int, default=50_000)
    parser.add_argument("--verify", action="store_true",
                        help="vérifier la chaîne pendant la sauvegarde (la commande)")  # fmt: skip
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="csu-backup-bench-"))
    data = root / "data"
    writer = StorageWriter(data / DB_NAME)
    writer.start()
    start = time.perf_counter()
    for first in range(1, args.alerts + 1, 500):
        commit(writer, first, min(500, args.alerts + 1 - first))
    print(f"base : {args.alerts} alertes écrites en {time.perf_counter() - start:.1f} s")

    quiet = [commit(writer, 10_000_000 + i * 10, 10) for i in range(50)]
    start = time.perf_counter()
    idle = make_backup(data, root / "sauv", record=lambda d: None)
    backup_s = time.perf_counter() - start
    size = idle.bytes
    print(f"sauvegarde au repos : {backup_s:.2f} s ({size / 1e6:.1f} Mo)")

    latencies: list[float] = []
    stop = threading.Event()

    def storm() -> None:
        seq = 20_000_000
        while not stop.is_set():
            latencies.append(commit(writer, seq, 10))
            seq += 10

    thread = threading.Thread(target=storm)
    thread.start()
    time.sleep(0.5)  # the storm is under way
    during_from = len(latencies)
    start = time.perf_counter()
    stormy = make_backup(data, root / "sauv", record=lambda d: None, verify=args.verify)
    storm_backup_s = time.perf_counter() - start
    during = latencies[during_from:]
    stop.set()
    thread.join()
    writer.close()
    print(f"sauvegarde pendant la tempête : {storm_backup_s:.2f} s, "
          f"{len(during) * 10} alertes écrites pendant ce temps")  # fmt: skip

    start = time.perf_counter()
    restored = restore_backup(stormy.path, root / "restauree", who="bench")
    restore_s = time.perf_counter() - start
    print(f"restauration (manifeste, intégrité, chaîne de {restored.events} événements) :"
          f" {restore_s:.2f} s")  # fmt: skip

    def ms(values: list[float], q: str) -> float:
        if not values:
            return 0.0
        return 1000 * (statistics.median(values) if q == "p50" else max(values))

    print(
        f"backup_s={backup_s:.2f} storm_backup_s={storm_backup_s:.2f} db_mb={size / 1e6:.1f}"
        f" commit_p50_ms={ms(quiet, 'p50'):.1f} commit_max_ms={ms(quiet, 'max'):.1f}"
        f" storm_commit_p50_ms={ms(during, 'p50'):.1f} storm_commit_max_ms={ms(during, 'max'):.1f}"
        f" restore_s={restore_s:.2f}"
    )


if __name__ == "__main__":
    main()
