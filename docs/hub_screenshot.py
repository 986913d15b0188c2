"""Screenshots of the console as one station of a team (protocol § 9): the real demo,
with the hub's messages injected through the console's own LinkBridge (a Sync with
the other stations' presence and a unit engaged elsewhere, then the hub degraded),
and the chef de salle's station list (F9).

Run it on an X display with a window manager (Xvfb + openbox):

    DISPLAY=:81 .venv/bin/python docs/hub_screenshot.py --size 1920x1080

writes ``docs/screenshot-hub-<width>-queue.png``, ``…-stations.png`` and
``…-escalation.png`` (another station's escalation, at the chef de salle's station).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QTimer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from demo_screenshot import site_copy

from csu_console import app as console_app
from csu_console import cli
from csu_console.core.accounts import Account
from csu_console.core.dispatch import Stage, UnitStatus
from csu_console.core.hub_protocol import (
    Escalation,
    EscalationRaised,
    HubHealth,
    PresenceRecord,
    Sync,
    UnitRecord,
    Welcome,
)
from csu_console.core.roles import Role
from csu_console.ui.bridge import listener_for

DOCS = Path(__file__).resolve().parent


def shoot(out: Path) -> None:
    subprocess.run(["import", "-window", "root", str(out)], check=True)
    print(f"écrit {out}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--theme", default="sombre")
    parser.add_argument("--wait", type=float, default=12.0, help="secondes avant le Sync")
    args = parser.parse_args(argv)
    width = args.size.split("x")[0]
    original_start = console_app.Console.start

    def start(console: console_app.Console) -> None:
        original_start(console)
        QTimer.singleShot(int(args.wait * 1000), lambda: inject(console))

    def inject(console: console_app.Console) -> None:
        model, now = console.model, datetime.now(UTC)
        rows = [a for r in range(min(model.rowCount(), 4)) if (a := model.alert_at(r))]
        listener = listener_for(console.bridge)
        unit = console.dispatch.units[0].id
        presence = (
            PresenceRecord(console.ctx.station, console.ctx.operator, "operator", now),
            PresenceRecord("poste-2", "martin", "operator", now, rows[0].alert.key),
            PresenceRecord("poste-3", "leroy", "operator", now, rows[1].alert.key),
            PresenceRecord("poste-4", "", "", now - timedelta(minutes=12), None, online=False),
        )
        engaged = UnitRecord(
            unit, UnitStatus.EN_INTERVENTION, "poste-2", "martin", now, rows[2].alert.key,
            Stage.ON_SITE,
        )  # fmt: skip
        listener.hub_message(Welcome("hub-a", ("claims", "units", "presence")))
        listener.hub_message(Sync((), (engaged,), presence))
        QTimer.singleShot(2500, lambda: shoot(DOCS / f"screenshot-hub-{width}-queue.png"))
        QTimer.singleShot(3500, lambda: stations(console))

    def stations(console: console_app.Console) -> None:
        console.session.log_in(Account("chef", "Chef de salle", Role.SUPERVISEUR))
        listener = listener_for(console.bridge)
        since = datetime.now(UTC) - timedelta(seconds=40)
        listener.hub_message(HubHealth("degraded", "NATS injoignable", since))
        console.team.open_stations()
        QTimer.singleShot(2000, lambda: shoot(DOCS / f"screenshot-hub-{width}-stations.png"))
        QTimer.singleShot(2500, lambda: escalation(console))

    def escalation(console: console_app.Console) -> None:
        if console.team.stations_dialog is not None:
            console.team.stations_dialog.close()
        item = console.model.alert_at(console.model.rowCount() - 1)
        assert item is not None
        a = item.alert
        esc = Escalation("poste-2:demo", a.source, a.id, "poste-2", "martin", datetime.now(UTC))
        listener_for(console.bridge).hub_message(EscalationRaised(esc))
        QTimer.singleShot(1500, lambda: shoot(DOCS / f"screenshot-hub-{width}-escalation.png"))
        QTimer.singleShot(2500, lambda: console.app.exit(0))

    console_app.Console.start = start  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory(prefix="csu-hub-shot-") as tmp:
        config = site_copy(Path(tmp) / "config", args.theme, 1.0)
        return cli.main(["demo", "--config", str(config), "--data-dir", str(Path(tmp) / "data")])


if __name__ == "__main__":
    raise SystemExit(main())
