"""Alert latency: from the websocket frame to the banner on screen and the sound.

    .venv/bin/python bench/alert_latency.py [--rate 50] [--seconds 60]

A real ``csu-sim`` process sends alerts at ``--rate`` per second (Poisson) for
``--seconds``; the real console (offscreen Qt, the receiving process, SQLite with
``synchronous=FULL``) receives them. For each alert: the time from the frame's
arrival in the receiving process (``time.monotonic()``, one clock for every
process on Linux) to the first paint of the banner after the GUI got it, and to
the moment the alarm sound was started. ALSA's default output is routed to a WAV
file (this machine has no sound card), so the sound path is real. An "operator"
acknowledges everything once a second so that the queue of ringing alerts stays
what it is in a CSU. Last line: ``latency_ms p50=… p99=… sound_p99=…``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

_TMP = tempfile.mkdtemp(prefix="csu-latency-")
_ASOUND = Path(_TMP) / "asound.conf"
_ASOUND.write_text(
    f'pcm.!default {{ type file slave.pcm "null" file "{_TMP}/captured.wav" format "wav" }}\n'
)
os.environ["ALSA_CONFIG_PATH"] = f"/usr/share/alsa/alsa.conf:{_ASOUND}"
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from csu_console.app import Console  # noqa: E402
from csu_console.core.intake import Outcome  # noqa: E402
from csu_console.sim.control import SimProcess  # noqa: E402
from csu_console.startup import RunOptions  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=50.0, help="alertes par seconde")
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    sim = SimProcess(REPO / "config", state=Path(_TMP) / "sim.sqlite3", nice=10)
    sim.start()
    console = Console(
        app,
        RunOptions(REPO / "config", Path(_TMP) / "data", gateway=sim.url, station="bench",
                   autologin="banc"),
    )  # fmt: skip
    arrivals: list[tuple[float, float]] = []  # (frame received, reached the GUI)
    paints: list[float] = []
    rings: list[float] = []

    def on_committed(outcomes: list[Outcome]) -> None:
        now = time.monotonic()
        arrivals.extend((o.received_mono, now) for o in outcomes if o.stored is not None)

    # Our probe first, then the console's own slots, in their original order.
    bridge = console.bridge
    bridge.frames_committed.disconnect()
    bridge.frames_committed.connect(on_committed)
    bridge.frames_committed.connect(console.alarm.on_frames_committed)
    bridge.frames_committed.connect(console.model.on_frames_committed)
    console.window.banner.painted.connect(paints.append)
    console.alarm.rang.connect(lambda _tone, t: rings.append(t))

    def operator_acknowledges() -> None:
        for key in console.alarm.scheduler.ringing_keys():
            console.alarm.acknowledged(key)

    ack = QTimer()
    ack.timeout.connect(operator_acknowledges)
    ack.start(1000)
    console.start()
    sim.command("wait", station="bench", field="unanswered", at_most=0, timeout=30)
    # Start the stream only once the link is up: connection time is not latency.
    sim.stop()
    sim.extra_args = ["--rate", str(args.rate * 60), "--seed", "5", "--cap-ratio", "0.1"]
    sim.start()
    # The bench, not an operator, ends the run: no « Quitter la console ? ».
    QTimer.singleShot(int(args.seconds * 1000), lambda: (console.quitter.stop(), app.quit()))
    app.exec()
    console.stop()
    console.window.close()
    sim.close()

    banner_ms: list[float] = []
    sound_ms: list[float] = []
    for received, in_gui in arrivals:
        paint = next((p for p in paints if p >= in_gui), None)
        if paint is not None:
            banner_ms.append((paint - received) * 1000)
        ring = next((r for r in rings if r >= received), None)
        if ring is not None:
            sound_ms.append((ring - received) * 1000)
    res = {
        "alerts": len(arrivals),
        "rate_per_s": round(len(arrivals) / args.seconds, 1),
        "p50": round(percentile(banner_ms, 50), 1),
        "p99": round(percentile(banner_ms, 99), 1),
        "max": round(max(banner_ms), 1),
        "sound_p50": round(percentile(sound_ms, 50), 1) if sound_ms else None,
        "sound_p99": round(percentile(sound_ms, 99), 1) if sound_ms else None,
        "sound_samples": len(sound_ms),
        "gui_hop_p50": round(percentile([(g - r) * 1000 for r, g in arrivals], 50), 1),
        "gui_hop_p99": round(percentile([(g - r) * 1000 for r, g in arrivals], 99), 1),
    }
    print(json.dumps(res, indent=2))
    print(
        f"latency_ms p50={res['p50']} p99={res['p99']} sound_p99={res['sound_p99']} "
        f"alerts={res['alerts']} sound_p50={res['sound_p50']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
