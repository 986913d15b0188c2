"""Alert storm: 10,000 alerts in one burst through the real console.

The simulator (a real process) holds N alerts ready; the console (in process,
offscreen Qt, the real window and models) connects and receives them all at once.
Prints the time until every alert is committed, acknowledged (as seen by the
gateway) and shown in the queue, and the longest GUI stall meanwhile (a 1 ms
timer on the GUI thread measures gaps): ``max_gui_stall_ms`` from the first alert
committed, ``max_gui_stall_all_ms`` from the start (the window's first paint too).
The baseline is decoding the same frames alone, in process, so the ratio says what
storage, acks and GUI add.

    .venv/bin/python bench/alert_storm.py [--count 10000]

Last line: name=value pairs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtWidgets import QApplication

from csu_console.app import Console
from csu_console.core.protocol import decode_frame
from csu_console.net.state import LinkPhase, LinkStatus
from csu_console.sim.control import SimProcess
from csu_console.sim.gateway import Gateway
from csu_console.sim.generator import AlertGenerator
from csu_console.sim.outbox import Outbox
from csu_console.startup import RunOptions

REPO = Path(__file__).resolve().parents[1]


def decode_baseline(count: int) -> float:
    """Seconds to decode ``count`` generated frames, nothing else."""
    from csu_console.sim.cli import zone_specs

    gateway = Gateway(Outbox(None), AlertGenerator(zone_specs(REPO / "config"), seed=1))
    gateway.emit(count, cap_ratio=0.1)
    payloads = [m.payload for m in gateway.outbox.messages.values()]
    t = time.perf_counter()
    for p in payloads:
        decode_frame(p, True)
    return time.perf_counter() - t


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args()
    n = args.count
    app = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="csu-bench-") as tmp:
        # The gateway is another machine in real life; here it shares our two
        # cores, so it runs at a lower priority than the console.
        sim = SimProcess(REPO / "config", state=Path(tmp) / "sim.sqlite3", nice=10).start()
        try:
            sim.command("emit", count=n, cap_ratio=0.1)
            console = Console(
                app,
                RunOptions(
                    REPO / "config",
                    Path(tmp) / "data",
                    gateway=sim.url,
                    station="bench",
                    autologin="banc",
                ),
            )
            marks: dict[str, float] = {}
            acked = threading.Event()

            def on_status(status: LinkStatus) -> None:
                if status.phase is LinkPhase.CONNECTED and "connected" not in marks:
                    marks["connected"] = time.perf_counter()

            console.bridge.link_status_changed.connect(on_status)
            committed = [0]

            def on_committed(outcomes: list[object]) -> None:
                if not committed[0]:
                    marks["first"] = time.perf_counter()
                committed[0] += len(outcomes)
                if committed[0] >= n and "committed" not in marks:
                    marks["committed"] = time.perf_counter()

            console.bridge.frames_committed.connect(on_committed)

            def watch_gateway() -> None:
                watcher = SimProcess(REPO / "config", port=sim.port)
                watcher.command("wait", station="bench", field="acked", at_least=n, timeout=120)
                marks["acked"] = time.perf_counter()
                acked.set()
                watcher._close_control()

            threading.Thread(target=watch_gateway, daemon=True).start()

            clock = QElapsedTimer()
            clock.start()
            stall = {"max_ms": 0.0, "all_ms": 0.0, "last": 0.0}

            def tick() -> None:
                now = clock.nsecsElapsed() / 1e6
                if stall["last"]:
                    gap = now - stall["last"]
                    stall["all_ms"] = max(stall["all_ms"], gap)  # window shown, too
                    if "first" in marks:  # the storm: from the first alert committed
                        stall["max_ms"] = max(stall["max_ms"], gap)
                stall["last"] = now
                if console.model.report_count() >= n and "shown" not in marks:
                    marks["shown"] = time.perf_counter()
                if acked.is_set() and "shown" in marks:
                    done()

            def done() -> None:
                # The bench, not an operator, ends the run: no « Quitter la console ? ».
                console.quitter.stop()
                app.quit()

            ticker = QTimer()
            ticker.setInterval(1)
            ticker.timeout.connect(tick)
            ticker.start()
            QTimer.singleShot(120_000, done)
            console.start()
            app.exec()
            console.stop()
            console.window.close()
        finally:
            sim.close()
    t0 = marks["connected"]
    res = {
        "alerts": n,
        "committed_s": round(marks["committed"] - t0, 3),
        "acked_s": round(marks["acked"] - t0, 3),
        "shown_s": round(marks["shown"] - t0, 3),
        "max_gui_stall_ms": round(stall["max_ms"], 1),
        "max_gui_stall_all_ms": round(stall["all_ms"], 1),
        "decode_only_s": round(decode_baseline(n), 3),
    }
    res["acked_over_decode"] = round(res["acked_s"] / res["decode_only_s"], 1)
    print(json.dumps(res, indent=2))
    print(" ".join(f"{k}={v}" for k, v in res.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
