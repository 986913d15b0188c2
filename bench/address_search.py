"""How long the map's address search takes per keystroke, on the demo map and on a
town-sized synthetic index (the GUI thread runs it after a 120 ms typing pause).

Times :meth:`AddressIndex.search` over typical queries (number first or last,
abbreviations, a typo, a missing number, a street only) and the index build from
the map file's rows, then :meth:`AddressIndex.nearest` (a right click on the map).
Last line: ``name=value`` pairs.

    python bench/address_search.py --streets 3000 --numbers 40
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from csu_console.core.address_search import AddressIndex
from csu_console.mapdata.mapfile import MapFile, import_osm
from csu_console.paths import assets_dir

DEMO_QUERIES = (
    "13 aleksanterinkatu",
    "mannerheimintie 22",
    "16 etelaranta",
    "12 esplanadi",
    "unionikatu 28",
    "kaivokatu",
)
WORDS = (
    "Victor Hugo", "Jean Jaurès", "de la République", "Pasteur", "Gambetta", "Voltaire",
    "du Général de Gaulle", "des Écoles", "de la Gare", "Jules Ferry", "Carnot", "de Verdun",
)  # fmt: skip
TYPES = ("Rue", "Avenue", "Boulevard", "Place", "Chemin", "Impasse", "Allée")


def synthetic(
    streets: int, numbers: int, seed: int = 3
) -> list[tuple[str, str | None, float, float]]:
    rng = random.Random(seed)
    rows: list[tuple[str, str | None, float, float]] = []
    for i in range(streets):
        name = f"{rng.choice(TYPES)} {rng.choice(WORDS)} {i}"
        lon, lat = 2.0 + rng.random() * 0.2, 48.0 + rng.random() * 0.2
        rows.append((name, None, lon, lat))
        for n in range(1, numbers + 1):
            rows.append((name, str(n), lon + n * 1e-5, lat))
    return rows


def timed(index: AddressIndex, queries: tuple[str, ...], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        for q in queries:
            start = time.perf_counter()
            index.search(q)
            out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--streets", type=int, default=3000)
    parser.add_argument("--numbers", type=int, default=40)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.csumap"
        start = time.perf_counter()
        report = import_osm(assets_dir() / "osm" / "helsinki-centre.osm.pbf", path)
        import_s = time.perf_counter() - start
        with MapFile(path) as mapfile:
            start = time.perf_counter()
            rows = [(a.street, a.number, a.lon, a.lat) for a in mapfile.addresses()]
            demo = AddressIndex(rows)
            demo_load_ms = (time.perf_counter() - start) * 1000
    demo_ms = timed(demo, DEMO_QUERIES, args.runs)
    print(
        f"démo : import {import_s:.2f} s ({report.addresses} adresses et rues), index lu en "
        f"{demo_load_ms:.1f} ms, recherche médiane {statistics.median(demo_ms):.2f} ms, "
        f"max {max(demo_ms):.2f} ms"
    )

    rows = synthetic(args.streets, args.numbers)
    start = time.perf_counter()
    big = AddressIndex(rows)
    build_ms = (time.perf_counter() - start) * 1000
    queries = ("12 bd victor hugo 7", "av jean jaures", "12 rue de la republik 40",
               "pasteur 3", "impasse gambetta 999", "allee des ecoles 5")  # fmt: skip
    big_ms = timed(big, queries, args.runs)
    start = time.perf_counter()
    for _ in range(20):
        big.nearest(2.1, 48.1)
    nearest_ms = (time.perf_counter() - start) * 1000 / 20
    print(
        f"ville : {args.streets} rues × {args.numbers} numéros ({len(rows)} lignes), index "
        f"construit en {build_ms:.0f} ms, recherche médiane {statistics.median(big_ms):.1f} ms, "
        f"max {max(big_ms):.1f} ms, clic droit (plus proche) {nearest_ms:.1f} ms"
    )
    print(
        f"demo_search_median_ms={statistics.median(demo_ms):.2f} "
        f"demo_search_max_ms={max(demo_ms):.2f} town_rows={len(rows)} "
        f"town_build_ms={build_ms:.0f} town_search_median_ms={statistics.median(big_ms):.1f} "
        f"town_search_max_ms={max(big_ms):.1f} town_nearest_ms={nearest_ms:.1f}"
    )


if __name__ == "__main__":
    main()
