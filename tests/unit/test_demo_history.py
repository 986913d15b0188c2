"""The demo's first start writes 26 weeks of simulated history, once per data folder."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from csu_console.config import default_config_dir
from csu_console.core.weak_signals.generator_texts import PLANTED_TERMS
from csu_console.demo_run import HISTORY_MARKER, _seed_demo_history
from csu_console.storage.store import DB_NAME, Store


def _alerts(db: Path) -> tuple[int, int]:
    store = Store(db, readonly=True)
    try:
        total = store.conn.execute("SELECT count(*) FROM alerts").fetchone()[0]
        open_ = store.conn.execute(
            "SELECT count(*) FROM alerts WHERE state != 'closed'"
        ).fetchone()[0]
    finally:
        store.close()
    return int(total), int(open_)


def test_history_is_written_once_closed_with_its_planted_signals(tmp_path: Path) -> None:
    opts = SimpleNamespace(config_dir=default_config_dir(), data_dir=tmp_path)
    _seed_demo_history(opts)
    marker = tmp_path / HISTORY_MARKER
    assert marker.exists()
    # The planted term is drawn among those the background did not use (which
    # depends on the day): whichever it is, the reports carry it.
    text = marker.read_text(encoding="utf-8")
    terms = [t for t in PLANTED_TERMS if t in text]
    assert len(terms) == 1, text
    store = Store(tmp_path / DB_NAME, readonly=True)
    try:
        carrying = store.conn.execute(
            "SELECT count(*) FROM alerts WHERE description LIKE ?", (f"%{terms[0]}%",)
        ).fetchone()[0]
    finally:
        store.close()
    assert carrying >= 3
    total, still_open = _alerts(tmp_path / DB_NAME)
    assert total > 26 * 7 * 5  # weeks of background, not a handful
    assert still_open == 0  # the past never rings in the queue
    _seed_demo_history(opts)
    assert _alerts(tmp_path / DB_NAME)[0] == total  # not twice
