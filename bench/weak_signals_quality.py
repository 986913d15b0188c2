"""Recall of planted weak signals and false signals on pure background, over many
seeds (the tests run 20; this measures the figures of ``docs/weak_signals.md``).

Territories: the demo site (``config/``) and the tests' intercommunal one (two
communes of three secteurs, two quartiers across them). Histories: 26 weeks,
``--per-day`` reports a day (default 12). With plants (one recurrence, one
cross-commune cluster, one recurring term in the last week): how many are found
per kind, and how many other signals come. Pure background: the last
``--weeks-scanned`` weeks of each history scanned one by one; false signals per
week, per family. Last line: ``name=value`` pairs.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from csu_console.config import load_site
from csu_console.core.territory import Territory
from csu_console.core.weak_signals.detector import detect
from csu_console.core.weak_signals.generator import PlantSpec, generate
from csu_console.core.weak_signals.model import SignalKind

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "unit" / "core" / "weak_signals"))
from signals_support import false_signals, found, make_territory  # noqa: E402

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


def measure(
    name: str, territory: Territory, seeds: int, per_day: float, scanned: int
) -> dict[str, float]:
    hits: Counter[str] = Counter()
    extra = 0
    for seed in range(seeds):
        made = generate(territory, NOW, weeks=26, seed=seed, per_day=per_day, plants=PlantSpec())
        signals = detect(made.history, territory, NOW)
        for planted in made.planted:
            hits[planted.kind.value] += found(planted, signals)
        extra += len(false_signals(made.planted, signals))
    false: Counter[str] = Counter()
    weeks = 0
    for seed in range(1000, 1000 + seeds):
        made = generate(territory, NOW, weeks=26, seed=seed, per_day=per_day)
        for back in range(scanned):
            for s in detect(made.history, territory, NOW - timedelta(days=7 * back)):
                false[s.kind.value] += 1
            weeks += 1
    out = {f"{k.value}_recall": hits[k.value] / seeds for k in SignalKind}
    out["others_per_planted_week"] = extra / seeds
    out["false_per_week"] = sum(false.values()) / weeks
    for k in SignalKind:
        out[f"false_{k.value}_per_week"] = false[k.value] / weeks
    print(
        f"{name} ({per_day:g}/jour, {seeds} graines) : rappel "
        + ", ".join(f"{k.value} {hits[k.value]}/{seeds}" for k in SignalKind)
        + f" ; autres signaux avec plantations {extra / seeds:.2f} par semaine"
        + f" ; fond seul : {sum(false.values())} faux signaux en {weeks} semaines"
        + f" ({', '.join(f'{k.value} {false[k.value]}' for k in SignalKind)})"
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=100)
    parser.add_argument("--per-day", type=float, default=12.0)
    parser.add_argument("--weeks-scanned", type=int, default=4)
    args = parser.parse_args()
    t0 = time.perf_counter()
    demo = measure("site de démo", load_site(ROOT / "config").territory, args.seeds,
                   args.per_day, args.weeks_scanned)  # fmt: skip
    inter = measure("territoire intercommunal des tests", make_territory(), args.seeds,
                    args.per_day, args.weeks_scanned)  # fmt: skip
    print(f"durée : {time.perf_counter() - t0:.0f} s")
    pairs = {f"demo_{k}": v for k, v in demo.items()} | {f"inter_{k}": v for k, v in inter.items()}
    print(" ".join(f"{k}={v:.3f}" for k, v in pairs.items()))


if __name__ == "__main__":
    main()
