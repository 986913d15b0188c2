"""The soak's other desk: a second station of the CSU that works the queue.

A CSU's alerts are taken and closed: at a busy CSU every report is looked at, and
most are closed within minutes (a duplicate, nothing seen, passed to the 17). A
soak in which nobody ever closes anything measures a queue no CSU has (at twenty
times a busy rate, 12,000 open alerts after two hours). This desk is ``poste-2``
of the same hub, made of the console's own parts without a screen: its receiving
process (``ReceiverProcess``) on its own SQLite file, and a storage writer for what
its operator does. Every ``every_s`` it takes (F2) and closes (F8, « Rien
constaté ») the open alerts received more than ``dwell_s`` ago, through the same
transitions and outbox as a console; the hub relays each claim, and the soaked
console (``poste-1``) shows those alerts closed by « Poste 2 », as it would on a
real night.

Closed by another desk, the alerts leave the soaked console's « open » view as they
would; what the console keeps of them in memory is what the soak measures.

It runs as its own process, as another station would (``bench/soak.py`` starts
it; its logs go to its folder):

    .venv/bin/python bench/soak_desk.py --hub ws://… --token … --folder DIR [--dwell-s 180]

SIGTERM stops it cleanly; it then writes ``desk-result.json`` (alerts closed) in
its folder.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from csu_console.core.alerts import AlertState
from csu_console.core.closing import Qualification, closing_details
from csu_console.core.hub_protocol import FEATURES, new_key
from csu_console.core.states import Actor, TransitionRefused, plan
from csu_console.net.link import LinkSettings
from csu_console.net.receiver import ReceiverProcess
from csu_console.net.state import NullListener
from csu_console.storage.store import Store
from csu_console.storage.writer import StorageWriter

log = logging.getLogger("soak.desk")

STATION = "poste-2"
OPERATOR = "Opérateur de nuit (essai)"


class OtherDesk:
    """``poste-2`` taking and closing every alert ``dwell_s`` after it arrived."""

    def __init__(
        self, folder: Path, hub_url: str, token: str, dwell_s: float, every_s: float = 5.0
    ) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.dwell = timedelta(seconds=dwell_s)
        self.every_s = every_s
        settings = LinkSettings(
            url=hub_url, station=STATION, token=token, features=FEATURES, reconnect_max_s=2.0
        )
        db = folder / "csu.sqlite3"
        self.receiver = ReceiverProcess(settings, db, NullListener(), log_dir=folder)
        self.writer = StorageWriter(db)
        self.actor = Actor(STATION, OPERATOR)
        self.closed = 0
        self.refused = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="soak-desk", daemon=True)

    def start(self) -> OtherDesk:
        self.writer.start()
        self.receiver.start()
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(30)
        self.receiver.stop(10)
        self.writer.close(10)

    def _run(self) -> None:
        while not self._stop.wait(self.every_s):
            try:
                closed, refused = self.writer.submit(self._work).result(60)
            except Exception:  # a bench: said, and the next round tries again
                log.exception("poste 2 : tour de clôture en échec")
                continue
            self.closed += closed
            self.refused += refused
            if closed:
                self.receiver.nudge_outbox()

    def _work(self, store: Store) -> tuple[int, int]:
        """Take and close every open alert older than the dwell (on the storage thread)."""
        now = datetime.now(UTC)
        closed = refused = 0
        details = closing_details(Qualification.RIEN_CONSTATE, "clôturée par l'essai d'endurance")
        for item in store.open_alerts():
            if now - item.received_at < self.dwell:
                continue
            try:
                claim = store.claim(item.pk)
                if claim.state is AlertState.NEW:
                    take = plan(claim, self.actor, AlertState.ACKNOWLEDGED, now)
                    if not store.apply_transition(item.pk, take, new_key(STATION)):
                        refused += 1
                        continue
                    claim = store.claim(item.pk)
                close = plan(claim, self.actor, AlertState.CLOSED, now)
                close = replace(close, details={**close.details, **details})
            except TransitionRefused:
                refused += 1  # another station holds it: left to them
                continue
            if store.apply_transition(item.pk, close, new_key(STATION)):
                closed += 1
            else:
                refused += 1
        return closed, refused


def main() -> int:
    parser = argparse.ArgumentParser(description="poste 2 de l'essai d'endurance")
    parser.add_argument("--hub", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--folder", type=Path, required=True)
    parser.add_argument("--dwell-s", type=float, default=180.0)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda _s, _f: stop.set())
    signal.signal(signal.SIGINT, lambda _s, _f: stop.set())
    desk = OtherDesk(args.folder, args.hub, args.token, args.dwell_s).start()
    log.info("poste 2 : prêt (clôture %.0f s après l'arrivée)", args.dwell_s)
    while not stop.wait(1.0):
        pass
    desk.stop()
    result = {"closed": desk.closed, "refused": desk.refused}
    (args.folder / "desk-result.json").write_text(json.dumps(result), encoding="utf-8")
    log.info("poste 2 : arrêté, %d alertes clôturées", desk.closed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
