"""The login screen over a ringing console, into docs/screenshot-login.png.

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python docs/login_screenshot.py

Starts ``csu-sim`` and the console without autologin (as a real station starts),
lets an urgent alert arrive while nobody is logged in, types a wrong password, and
grabs the screen: the banner flashes behind the login screen, which shows the
store's French error.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication
from screenshots import demo_console, wait_for

from csu_console.app import Console
from csu_console.core.accounts import ScryptParams
from csu_console.core.roles import Role
from csu_console.net.state import LinkPhase, LinkStatus
from csu_console.sim.control import SimProcess
from csu_console.storage.store import DB_NAME, Store
from csu_console.ui.theme import STYLESHEET

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "screenshot-login.png"


def main() -> int:
    app = QApplication(sys.argv[:1])
    app.setStyleSheet(STYLESHEET)
    with tempfile.TemporaryDirectory(prefix="csu-login-") as tmp_name:
        tmp = Path(tmp_name)
        store = Store(tmp / "data" / DB_NAME)
        cheap = ScryptParams(2**10, 8, 1)  # a throwaway account
        store.add_user("dupont", Role.OPERATEUR, "Jeanne Dupont", "Secret-123", params=cheap)
        store.close()
        with demo_console(app, tmp, autologin=None, sim_args=["--seed", "5"]) as (
            sim,
            _streams,
            console,
            statuses,
        ):
            shoot(app, sim, console, statuses)
    return 0


def shoot(app: QApplication, sim: SimProcess, console: Console, statuses: list[LinkStatus]) -> None:
    """Alerts arrive while nobody is logged in; a wrong password; the grab."""
    console.start()
    console.window.setGeometry(0, 0, 1920, 1080)
    dialog = console.sessions.dialog
    wait_for(app, lambda: statuses and statuses[-1].phase is LinkPhase.CONNECTED)
    sim.command("emit", count=4, cap_ratio=0)
    wait_for(app, lambda: console.model.rowCount() >= 4 and console.window.banner.isVisible())
    dialog.login.setText("dupont")
    dialog.password.setText("mauvais")
    dialog.login_button.click()
    wait_for(app, lambda: not dialog.busy)
    dialog.password.setText("Secret-12")
    dialog.password.setFocus()
    banner = console.window.banner
    wait_for(app, lambda: not banner._bright)  # then the next bright half of a flash
    wait_for(app, lambda: banner._bright)
    app.processEvents()
    app.primaryScreen().grabWindow(0).save(str(OUT))
    print(f"écrit {OUT}")


if __name__ == "__main__":
    sys.exit(main())
