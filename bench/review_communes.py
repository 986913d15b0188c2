"""The review by commune (issue 19) on a month of a busy centre: what placing the
alerts in their communes from the geometry costs, and the per-commune reports.

- ``summary``: the month's indicators (:func:`load_summary`) without filter, then
  narrowed to one commune (every alert placed at query time, the commune's zones'
  box narrowing the SQL first); p50 of runs;
- ``shift_list``: the alert list of a busy shift narrowed to one commune;
- ``reports``: the data of every commune's report over the month, one pass
  (:func:`load_commune_reports`), and of one commune;
- ``paint``: the biggest commune's PDF painted in memory (GUI thread, offscreen).

The base is ``bench/review_data.py``'s (March 2025, cached in ``var/bench/``, made
by ``bench/review_query.py``'s ``_base``); the territory is the demo site's
(``config/``: three communes drawn as zones of the « commune » zoning).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/review_communes.py [--alerts 200000]

Last line: name=value pairs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from review_data import TZ
from review_query import _base

from csu_console.config import default_config_dir, load_site
from csu_console.core.review.filter import ReviewFilter
from csu_console.core.review.period import day_period
from csu_console.core.review.places import ReviewZones
from csu_console.core.review.shifts import shift_period
from csu_console.storage.review import ReviewReader
from csu_console.storage.review_communes import load_commune_reports
from csu_console.storage.review_load import list_alerts, load_summary
from csu_console.storage.store import Store


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """p50 milliseconds of ``runs`` runs, and the last result."""
    out, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        out.append((time.perf_counter() - start) * 1000)
    return statistics.median(out), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    path, _migrate = _base(args.alerts, False)
    site = load_site(default_config_dir())
    zones = ReviewZones(site.zones, site.zonings)
    keys = [c.key for c in zones.communes]
    store = Store(path, readonly=True)
    reader = ReviewReader(store.conn)
    month = ReviewFilter.for_period(day_period(date(2025, 3, 1), date(2025, 3, 30), TZ))
    shift = ReviewFilter.for_period(shift_period(site.shifts.periods[1], date(2025, 3, 14), TZ))
    one = keys[0]
    all_ms, s_all = timed(lambda: load_summary(reader, month, zones), args.runs)
    one_ms, s_one = timed(lambda: load_summary(reader, month.narrowed(communes={one}), zones),
                          args.runs)  # fmt: skip
    list_ms, (rows, _cut) = timed(
        lambda: list_alerts(reader, shift.narrowed(communes={one}), zones), args.runs
    )
    print(f"mois, sans filtre : {s_all.indicators.alerts.count} alertes, p50 {all_ms:.0f} ms")
    print(f"mois, commune {one} : {s_one.indicators.alerts.count} alertes, p50 {one_ms:.0f} ms")
    print(f"vacation, commune {one} : {len(rows)} alertes listées, p50 {list_ms:.0f} ms")
    now = datetime.now(UTC)
    kwargs: dict[str, Any] = {"centre": "bench", "tz": TZ, "author": "bench", "printed_at": now}
    reports_ms, reports = timed(
        lambda: load_commune_reports(reader, month.period, zones, keys, **kwargs), args.runs
    )
    one_report_ms, _r = timed(
        lambda: load_commune_reports(reader, month.period, zones, [one], **kwargs), args.runs
    )
    for r in reports:
        print(f"  {r.commune.label} : {r.current.count} alertes ({r.before.count} avant)")
    print(f"rapports des {len(keys)} communes (mois) : p50 {reports_ms:.0f} ms ; "
          f"une commune : p50 {one_report_ms:.0f} ms")  # fmt: skip
    store.close()

    from PySide6.QtGui import QGuiApplication

    from csu_console.report.commune_pdf import render_commune_report

    app = QGuiApplication(sys.argv)
    biggest = max(reports, key=lambda r: r.current.count)
    paint_ms, pdf = timed(lambda: render_commune_report(biggest), args.runs)
    print(f"PDF de {biggest.commune.label} : {len(pdf) / 1e3:.0f} ko, p50 {paint_ms:.0f} ms")
    del app
    print(
        f"alerts={s_all.indicators.alerts.count} month_summary_ms={all_ms:.0f} "
        f"month_one_commune_ms={one_ms:.0f} shift_list_one_commune_ms={list_ms:.0f} "
        f"reports_all_ms={reports_ms:.0f} report_one_ms={one_report_ms:.0f} "
        f"pdf_paint_ms={paint_ms:.0f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
