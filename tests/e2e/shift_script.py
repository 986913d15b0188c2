"""A scripted shift in the real console, for the crash test (run as a child process).

    python tests/e2e/shift_script.py CONFIG DATA GATEWAY STATION

Starts the console (offscreen, autologin) and, every 50 ms, moves one alert of the
queue one step further: acknowledge (F2), engage a free unit (F4), on site (F5), end
(F6), close (F8). Each step confirmed back on the GUI thread — stored, then shown —
prints one ``CONFIRMED kind pk`` line (flushed) before anything else happens: what the
operator would have seen on screen. The parent SIGKILLs it at a random moment.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from csu_console.app import Console
from csu_console.core.alerts import AlertState
from csu_console.core.dispatch import Outcome, Stage, UnitStatus
from csu_console.startup import RunOptions


def confirmed(kind: str, pk: int) -> None:
    print(f"CONFIRMED {kind} {pk}", flush=True)


def main() -> int:
    config, data, gateway, station = sys.argv[1:5]
    app = QApplication(sys.argv[:1])
    console = Console(
        app,
        RunOptions(Path(config), Path(data), gateway=gateway, station=station,
                   autologin="equipe-nuit"),
    )  # fmt: skip
    ops, dispatch, model = console.operations, console.dispatch, console.model
    busy: set[int] = set()  # alerts with a step in flight

    def on_state(pk: int) -> None:
        item = model.alert_by_pk(pk)
        if item is not None and item.state is AlertState.ACKNOWLEDGED:
            confirmed("acknowledged", pk)
        busy.discard(pk)

    def on_step(pk: int, kind: str) -> None:
        confirmed(kind, pk)
        busy.discard(pk)

    ops.state_changed.connect(on_state)
    dispatch.dispatched.connect(lambda pk, _unit: on_step(pk, "dispatched"))
    dispatch.step_logged.connect(on_step)

    def next_step() -> None:
        states = dispatch.states
        free = [u for u in dispatch.units if states.get(u.id) and
                states[u.id].status is UnitStatus.DISPONIBLE]  # fmt: skip
        for row in range(model.rowCount()):
            item = model.alert_at(row)
            if item is None or item.pk in busy or model.leader_pk(item.pk) != item.pk:
                continue
            engaged = [u for u in dispatch.units if states.get(u.id) and
                       states[u.id].alert_pk == item.pk]  # fmt: skip
            busy.add(item.pk)
            if item.state is AlertState.NEW:
                ops.acknowledge(item.pk)
            elif item.state is AlertState.ACKNOWLEDGED and free:
                dispatch.plan_and_record(item.pk, free[0], "consigne scriptée")
            elif engaged and states[engaged[0].id].stage is Stage.DISPATCHED:
                dispatch.on_site(item.pk)
            elif engaged:
                dispatch.finish(item.pk, engaged[0], Outcome.RIEN_A_SIGNALER, "")
            elif item.state is AlertState.DISPATCHED:
                dispatch.close_alert(item.pk)
            else:
                busy.discard(item.pk)
                continue
            return  # one step per tick

    console.start()
    tick = QTimer()
    tick.timeout.connect(next_step)
    tick.start(50)
    # a step refused (another station took the alert…) must not block its alert forever
    unstick = QTimer()
    unstick.timeout.connect(busy.clear)
    unstick.start(2000)
    print("READY", flush=True)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
