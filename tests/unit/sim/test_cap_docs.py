"""The simulator's partner feeds: every document parses, and with the life cycle on
its Updates and Cancels find their alerts in a real store."""

from __future__ import annotations

import json
import random
from pathlib import Path

from csu_console.core.cap_facts import MsgType, Status
from csu_console.core.protocol import AlertMessage, decode_frame
from csu_console.sim.cap_docs import RiskFeed
from csu_console.storage.store import Store


def _feed(lifecycle: bool) -> RiskFeed:
    n = iter(range(1, 10_000))
    zones = [("secteur-gare", "Secteur Gare", "Nîmes", lambda r: (4.36, 43.83))]
    return RiskFeed(zones, random.Random(7), lambda p: f"{p}-{next(n)}", lifecycle=lifecycle)


def test_without_the_life_cycle_every_message_is_a_new_alert() -> None:
    feed = _feed(lifecycle=False)
    for seq in range(60):
        xml, _sender, _ident = feed.next()
        msg = decode_frame(json.dumps({"type": "cap", "seq": seq, "xml": xml}), True)
        assert isinstance(msg, AlertMessage) and msg.alert.cap is not None
        assert msg.alert.cap.msg_type is MsgType.ALERT


def test_with_the_life_cycle_updates_and_cancels_apply_to_their_alerts(tmp_path: Path) -> None:
    feed = _feed(lifecycle=True)
    store = Store(tmp_path / "csu.sqlite3")
    try:
        kinds: dict[str, int] = {}
        statuses = set()
        for seq in range(120):
            xml, _sender, _ident = feed.next()
            msg = decode_frame(json.dumps({"type": "cap", "seq": seq, "xml": xml}), True)
            assert isinstance(msg, AlertMessage) and msg.alert.cap is not None
            statuses.add(msg.alert.cap.status)
            (outcome,) = store.commit_batch([msg], "poste-1")
            kinds[outcome.kind] = kinds.get(outcome.kind, 0) + 1
        assert kinds.get("updated", 0) >= 5 and kinds.get("cancelled", 0) >= 5, kinds
        assert "pending" not in kinds and "rejected" not in kinds, kinds
        assert Status.EXERCISE in statuses
    finally:
        store.close()
