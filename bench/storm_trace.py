"""What fills the GUI thread's longest stalls during the alert storm (a diagnostic).

Runs ``bench/alert_storm.py`` with three probes in the console's process:

- ``QApplication.notify`` timed (events over ``--min-ms``, nested up to depth 3,
  paint events named with their widget's parent), and a few Python slots timed;
- a 1 ms timer on the GUI thread: its gaps over ``--gap-ms`` are the stalls;
- a thread that sleeps 1 ms in a loop: when it wakes late, some other thread held the
  GIL (or the process had no CPU) that long.

For each stall it prints what ran in it, then the CPU time of each thread over the
storm and, with ``--totals``, the total time per event kind. The overridden
``notify`` costs a Python call per event: figures are inflated, their proportions
are what to read. Speed figures come from ``bench/alert_storm.py`` alone.

    .venv/bin/python bench/storm_trace.py [--gap-ms 80] [--min-ms 4] [--totals]
"""

from __future__ import annotations

import argparse
import collections
import functools
import importlib
import itertools
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

#: (module, class, methods) timed as "py" entries.
SLOTS = (
    ("csu_console.ui.bridge", "LinkBridge", ("_deliver",)),
    ("csu_console.ui.console.alarm", "AlarmController", ("on_frames_committed", "_run")),
    ("csu_console.ui.console.alert_model", "AlertTableModel", ("_merge_incoming",)),
    ("csu_console.ui.console.map_follow", "MapFollower", ("_update_marks", "focus")),
    ("csu_console.ui.wall.controller", "WallController", ("on_frames_committed", "_prewarm")),
    ("csu_console.ui.map.basemap_item", "BasemapItem", ("paint", "set_geometry")),
)
PY_DEPTH = 9  # depth marker of timed slots

Record = tuple[float, float, int, str, str]  # start, seconds, depth, kind, receiver


def thread_cpu() -> dict[str, int]:
    """CPU ticks (1/100 s) of each thread of this process, by Python thread name."""
    names = {str(t.native_id): t.name for t in threading.enumerate()}
    out: dict[str, int] = {}
    for tid in os.listdir("/proc/self/task"):
        try:
            stat = Path(f"/proc/self/task/{tid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        out[names.get(tid, tid)] = int(fields[11]) + int(fields[12])
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gap-ms", type=float, default=80.0)
    parser.add_argument("--min-ms", type=float, default=4.0)
    parser.add_argument("--totals", action="store_true")
    args = parser.parse_args()
    sys.argv = sys.argv[:1]

    import alert_storm
    from PySide6 import QtWidgets
    from PySide6.QtCore import QEvent, QObject, QTimer

    records: list[Record] = []
    ticks: list[float] = []
    late: list[tuple[float, float]] = []
    cpu: dict[str, dict[str, int]] = {}
    depth = [0]
    min_s = args.min_ms / 1000

    def timed(fn: Any, label: str) -> Any:
        @functools.wraps(fn)
        def wrapper(*a: Any, **kw: Any) -> Any:
            t = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                if (dt := time.perf_counter() - t) > min_s:
                    records.append((t, dt, PY_DEPTH, "py", label))

        return wrapper

    for module, cls_name, methods in SLOTS:
        cls = getattr(importlib.import_module(module), cls_name)
        for m in methods:
            setattr(cls, m, timed(getattr(cls, m), f"{cls_name}.{m}"))

    class TracingApp(QtWidgets.QApplication):
        def __init__(self, argv: list[str]) -> None:
            super().__init__(argv)
            self._ticker = QTimer()
            self._ticker.setInterval(1)
            self._ticker.timeout.connect(lambda: ticks.append(time.perf_counter()))
            self._ticker.start()
            self.aboutToQuit.connect(lambda: cpu.__setitem__("end", thread_cpu()))

        def notify(self, receiver: QObject, event: QEvent) -> bool:
            d = depth[0]
            if d > 3:
                return super().notify(receiver, event)
            depth[0] = d + 1
            t = time.perf_counter()
            try:
                return super().notify(receiver, event)
            finally:
                depth[0] = d
                if (dt := time.perf_counter() - t) > min_s:
                    kind = event.type().name
                    name = f"{type(receiver).__name__}:{receiver.objectName()}"
                    parent = receiver.parent() if kind == "Paint" else None
                    if parent is not None:
                        name += f"<{type(parent).__name__}"
                    if kind == "MetaCall" and "first" not in cpu:
                        cpu["first"] = thread_cpu()
                    records.append((t, dt, d, kind, name))

    def gil_probe() -> None:
        last = time.perf_counter()
        while True:
            time.sleep(0.001)
            now = time.perf_counter()
            if now - last > 0.015:
                late.append((last, now - last))
            last = now

    threading.Thread(target=gil_probe, name="gil-probe", daemon=True).start()
    alert_storm.QApplication = TracingApp  # type: ignore[misc]
    alert_storm.decode_baseline = lambda n: 1.0  # not what this script is for
    alert_storm.main()

    if "first" in cpu and "end" in cpu:
        print("thread CPU over the storm (ms):")
        used = {k: cpu["end"][k] - cpu["first"].get(k, 0) for k in cpu["end"]}
        for name, t in sorted(used.items(), key=lambda kv: -kv[1])[:6]:
            print(f"  {10 * t:6d}  {name}")
    if args.totals:
        totals: dict[tuple[int, str, str], list[float]] = collections.defaultdict(lambda: [0, 0.0])
        for _t, dt, d, kind, name in records:
            totals[(d, kind, name)][0] += 1
            totals[(d, kind, name)][1] += dt
        print("totals (ms):")
        for (d, kind, name), (n, s) in sorted(totals.items(), key=lambda kv: -kv[1][1])[:30]:
            print(f"  d{d} {kind:16s} {name[:48]:48s} n={int(n):5d} {1000 * s:8.1f}")
    start = ticks[0]
    for a, b in itertools.pairwise(ticks):
        if b - a < args.gap_ms / 1000:
            continue
        print(f"=== stall {1000 * (b - a):.0f} ms at +{a - start:.2f} s")
        for t, dt in late:
            if a - 0.05 <= t < b:
                print(
                    f"    GIL or CPU held elsewhere +{1000 * (t - a):4.0f} ms: {1000 * dt:5.1f} ms"
                )
        for t, dt, d, kind, name in records:
            if a - 0.001 <= t < b:
                pad = "  " * (d if d < PY_DEPTH else 4)
                print(f"  {pad}+{1000 * (t - a):4.0f} {1000 * dt:6.1f} ms {kind} {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
