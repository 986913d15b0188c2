"""The weak signals' history in a real database: a generated history written as
stored alerts (through ``commit_batch``) and read back by ``load_history``."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "core" / "weak_signals"))
from signals_support import NOW, make_territory

from csu_console.core.weak_signals.detector import detect
from csu_console.core.weak_signals.generator import PlantSpec, generate
from csu_console.storage.signal_history import load_history, store_history
from csu_console.storage.store import Store

WEEKS = 9


@pytest.fixture
def written(store: Store) -> tuple[Store, object]:
    made = generate(make_territory(), NOW, weeks=WEEKS, seed=11, plants=PlantSpec(1, 1, 1))
    store.add_event("muted", station="poste-1")  # something before, as in a real base
    stored = store_history(store, made.history, "poste-1")
    assert stored == len(made.history)
    return store, made


def test_a_generated_history_reads_back_as_generated(written: tuple[Store, object]) -> None:
    store, made = written
    h = made.history  # type: ignore[attr-defined]
    ro = Store(store.path, readonly=True)
    try:
        back = load_history(ro, NOW - timedelta(weeks=WEEKS + 1), NOW)
    finally:
        ro.close()
    assert len(back) == len(h)
    order = {k: i for i, k in enumerate(h.keys)}
    rows = np.array([order[k] for k in back.keys])
    assert back.t == pytest.approx(h.t[rows], abs=2e-3)  # milliseconds in the base
    assert back.lon == pytest.approx(h.lon[rows])
    assert [back.categories[c] for c in back.category] == [
        h.categories[c] for c in h.category[rows]
    ]
    assert back.text == [h.text[i] for i in rows]
    # The same signals either way.
    territory = make_territory()
    assert [s.id for s in detect(back, territory, NOW)] == [s.id for s in detect(h, territory, NOW)]


def test_writing_twice_stores_nothing_new_and_keeps_the_link_position(
    written: tuple[Store, object],
) -> None:
    store, made = written
    assert store.last_seq() is None  # these reports never came through the gateway
    assert store_history(store, made.history, "poste-1") == 0  # type: ignore[attr-defined]
    assert store.count("events") == 1 + len(made.history)  # type: ignore[attr-defined]


def test_only_the_period_is_read_and_seals_read_as_empty(written: tuple[Store, object]) -> None:
    store, made = written
    since = NOW - timedelta(days=7)
    h = made.history  # type: ignore[attr-defined]
    expected = int(np.count_nonzero(h.t >= since.timestamp()))
    store.conn.execute(
        "UPDATE alerts SET title = 'sha256:aa', description = 'sha256:bb', lat = NULL, lon = NULL"
        " WHERE pk IN (SELECT pk FROM alerts ORDER BY sent DESC LIMIT 3)"
    )
    back = load_history(store, since, NOW)
    assert len(back) == expected
    newest = np.argsort(back.t)[-3:]
    assert [back.text[i] for i in newest] == ["", "", ""]
    assert np.isnan(back.lon[newest]).all()
    assert all(back.text[i] for i in np.argsort(back.t)[:-3])


def test_an_empty_base_gives_an_empty_history(store: Store) -> None:
    back = load_history(store, NOW - timedelta(days=63), NOW)
    assert len(back) == 0 and back.categories == ()
    assert detect(back, make_territory(), NOW) == []
