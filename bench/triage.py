"""How long the assisted triage takes over a busy queue (the GUI thread runs it).

Builds N open reports over the demo site within two hours, in a square of
``--km`` km (a share of them with urgency words, tests, duplicates across
sources), then times
:meth:`TriageEngine.suggest` — cold (every text read for the first time) and warm
(texts cached, as on each later pass). Last line: ``name=value`` pairs.

    python bench/triage.py --alerts 2000 --runs 5
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta

from csu_console.core.alerts import Alert, Category, Location, StoredAlert
from csu_console.core.triage_engine import TriageEngine

TEXTS = (
    "Bruit de vitre brisée, deux silhouettes avec des lampes",
    "Tag sur le mur de l'école",
    "Un homme armé d'un couteau menace des passants",
    "Poubelles en feu, fumée noire",
    "Accident léger, pas de blessé",
    "Chien perdu, collier rouge",
    "Démarcheurs insistants porte à porte",
    "test",
    "Voiture garée sur le passage piéton",
    "Bagarre devant le bar, un blessé",
)


def reports(n: int, km: float = 3.0, seed: int = 7) -> list[StoredAlert]:
    rng = random.Random(seed)
    t0 = datetime(2026, 12, 5, 20, 0, tzinfo=UTC)
    cats = list(Category)
    out = []
    for pk in range(1, n + 1):
        at = t0 + timedelta(seconds=rng.uniform(0, 7200))
        lat = 60.16 + rng.uniform(0, km / 111.32)
        lon = 24.92 + rng.uniform(0, km / 55.5)
        cap = rng.random() < 0.1
        alert = Alert(
            "sdis@p" if cap else "voisins-vigilants", f"B{pk}", at, rng.choice(cats),
            rng.randint(2, 4), title="", description=rng.choice(TEXTS),
            location=Location(lat, lon, accuracy_m=rng.choice((5.0, 15.0, 50.0))),
            fmt="cap" if cap else "json",
        )  # fmt: skip
        out.append(StoredAlert(pk=pk, alert=alert, received_at=at, seq=None if cap else pk))
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--alerts", type=int, default=2000)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--km", type=float, default=3.0, help="side of the square they fall in")
    args = p.parse_args()
    items = reports(args.alerts, args.km)
    engine = TriageEngine()
    t = time.perf_counter()
    found = engine.suggest(items, lambda a: a.alert.key)
    cold = time.perf_counter() - t
    warm = []
    for _ in range(args.runs):
        t = time.perf_counter()
        engine.suggest(items, lambda a: a.alert.key)
        warm.append(time.perf_counter() - t)
    kinds: dict[str, int] = {}
    for s in found:
        kinds[s.kind.value] = kinds.get(s.kind.value, 0) + 1
    print(
        f"{args.alerts} signalements ouverts sur {args.km:g} km, {len(found)} suggestions : {kinds}"
    )
    print(
        f"triage_alerts={args.alerts} triage_cold_ms={cold * 1000:.1f} "
        f"triage_warm_ms={statistics.median(warm) * 1000:.1f} triage_suggestions={len(found)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
