"""The weak-signal scan end to end on a real SQLite file: a history generated on the
demo site with planted signals (helper B's generator, written as stored alerts),
scanned by the real detector through the console's runner; the planted recurrence
is found, saved and logged, and a supervisor's decision survives the next scan."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from signals_ui_support import demo_site

from csu_console.config.schema import SignalsConfig
from csu_console.core.weak_signals.generator import PlantSpec, generate
from csu_console.core.weak_signals.model import SignalKind, SignalStatus
from csu_console.storage.signal_history import store_history
from csu_console.storage.signal_scan import default_engine, run_scan
from csu_console.storage.store import Store
from csu_console.storage.weak_signals import list_signals, set_signal_status, signal_alerts

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def test_a_planted_recurrence_is_found_saved_and_keeps_its_status(tmp_path: Path) -> None:
    site = demo_site()
    generated = generate(site.territory, NOW, weeks=10, seed=5, plants=PlantSpec(1, 0, 1))
    store = Store(tmp_path / "csu.sqlite3")
    try:
        assert store_history(store, generated.history, "poste-1") == len(generated.history)
        result = run_scan(store, site.territory, SignalsConfig(), NOW, "poste-1", default_engine())
        assert result.found >= 1 and result.new_ids == [s.id for s in result.findings.signals]
        stored = list_signals(store)
        assert len(stored) == result.found
        [planted] = [p for p in generated.planted if p.kind is SignalKind.RECURRENCE]
        hits = [
            s for s in stored
            if s.signal.kind is SignalKind.RECURRENCE
            and len(set(planted.keys) & set(s.signal.alerts)) * 2 >= len(planted.keys)
        ]  # fmt: skip
        assert hits, [s.signal.title for s in stored]
        hit = hits[0]
        assert hit.signal.places and hit.signal.zone_ids
        assert len(signal_alerts(store, hit.signal.alerts)) == len(hit.signal.alerts)
        events = store.conn.execute(
            "SELECT count(*) FROM events WHERE kind = 'signal_detected'"
        ).fetchone()[0]
        assert events == result.found
        set_signal_status(store, hit.id, SignalStatus.DISMISSED, "poste-2", "chef1", "connu")

        again = run_scan(store, site.territory, SignalsConfig(), NOW + timedelta(hours=1),
                         "poste-1", default_engine())  # fmt: skip
        assert hit.id in {s.id for s in again.findings.signals}  # the same finding, same id
        assert hit.id not in again.new_ids
        kept = next(s for s in list_signals(store) if s.id == hit.id)
        assert kept.status is SignalStatus.DISMISSED and kept.comment == "connu"
        assert store.verify_chain().ok
    finally:
        store.close()
