"""``csu-hub collect --check``: each station's copied chain, and where it is not
whole — its continuity, and every event's digest and link recomputed from what
is stored now (an event edited after its collection; the purge's sealing keeps both)."""

from __future__ import annotations

import sys

from csu_console.central.store import chain_problems, recomputed_problems, station_heads


def print_check(dsn: str) -> int:
    """Print each station's count and last sequence, then every gap; 1 if any."""
    import psycopg

    try:
        conn = psycopg.connect(dsn)
    except psycopg.Error as exc:
        print(f"csu-hub collect : PostgreSQL injoignable : {exc}", file=sys.stderr)
        return 1
    with conn, conn.cursor() as cur:
        heads = station_heads(cur)
        problems = chain_problems(cur)
        known = {(p.station, p.seq) for p in problems if "maillon faux" in p.text}
        problems += [p for p in recomputed_problems(conn) if (p.station, p.seq) not in known]
        problems.sort(key=lambda p: (p.station, p.seq))
        rejected = cur.execute("SELECT stream, count(*) FROM rejected GROUP BY stream").fetchall()
    for station, count, last in heads:
        print(f"poste {station} : {count} événements, dernier n° {last}")
    for p in problems:
        print(f"poste {p.station} : {p.text}")
    for stream, count in rejected:
        print(f"flux {stream} : {count} message(s) refusé(s), raison dans la table rejected")
    if not heads:
        print("aucun événement collecté")
    print("chaînes continues" if not problems else f"{len(problems)} problème(s)")
    return 1 if problems else 0
