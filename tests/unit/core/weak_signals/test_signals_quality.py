"""The detector on generated histories: planted signals are found (recall ≥ 90 %
for each kind), pure background gives at most one false signal per week.

Bounded: 20 seeds of 26 weeks with plants, 8 seeds of 12 weeks of background scanned on
their last 3 weeks. ``bench/weak_signals_quality.py`` measures over more seeds."""

from __future__ import annotations

from datetime import timedelta

import pytest
from signals_support import NOW, false_signals, found, make_territory

from csu_console.core.weak_signals.detector import detect
from csu_console.core.weak_signals.generator import PlantSpec, generate
from csu_console.core.weak_signals.model import SignalKind

SEEDS = range(20)


@pytest.fixture(scope="module")
def planted_runs() -> list[tuple[int, int, int]]:
    """Per seed: how many plants, how many found, how many false signals."""
    territory = make_territory()
    runs = []
    for seed in SEEDS:
        made = generate(territory, NOW, weeks=26, seed=seed, plants=PlantSpec(1, 1, 1))
        signals = detect(made.history, territory, NOW)
        for planted in made.planted:
            runs.append((seed, planted.kind, found(planted, signals)))
        runs.append((seed, "false", len(false_signals(made.planted, signals))))
    return runs


@pytest.mark.parametrize("kind", list(SignalKind))
def test_planted_signals_are_found(planted_runs: list, kind: SignalKind) -> None:  # type: ignore[type-arg]
    hits = [ok for _seed, k, ok in planted_runs if k == kind]
    assert len(hits) == len(SEEDS)
    assert sum(hits) / len(hits) >= 0.9, f"{kind}: {sum(hits)}/{len(hits)}"


def test_plants_do_not_bring_false_signals(planted_runs: list) -> None:  # type: ignore[type-arg]
    false = [n for _seed, k, n in planted_runs if k == "false"]
    assert sum(false) / len(false) <= 1.0


def test_pure_background_gives_at_most_one_false_signal_per_week() -> None:
    territory = make_territory()
    weeks, total = 0, 0
    for seed in range(100, 108):
        made = generate(territory, NOW, weeks=12, seed=seed)
        assert made.planted == []
        for back in range(3):
            signals = detect(made.history, territory, NOW - timedelta(days=7 * back))
            weeks += 1
            total += len(signals)
    assert total / weeks <= 1.0, f"{total} faux signaux en {weeks} semaines"
