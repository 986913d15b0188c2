"""The durable status across a ``kill -9`` of the receiving process, against the
scripted stand-in hub (``tests/fake_hub.py``; the real hub is written in parallel).

The console (this test) writes the state change and its status in one transaction,
as its operations do; the receiving process finds the row in the shared SQLite
file, sends it after ``welcome``/``sync``, records the hub's answer, and never sends
an answered status again.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fake_hub import FakeHub, claim
from support import RecordingListener, wait_until

from csu_console.core import hub_protocol as hp
from csu_console.core.alerts import AlertState
from csu_console.core.hub_protocol import FEATURES, ClaimsApplied, Welcome, new_key
from csu_console.core.states import Actor, Claim, plan
from csu_console.net.hub_session import RESEND_S
from csu_console.net.link import LinkSettings
from csu_console.net.receiver import ReceiverProcess
from csu_console.storage.store import Store
from csu_console.storage.writer import StorageWriter

STATION = "poste-1"
ME = Actor(STATION, "Durand")


@pytest.fixture
def hub() -> Iterator[FakeHub]:
    h = FakeHub("hub-a").start()
    yield h
    h.close()


def take(writer: StorageWriter, alert_id: str) -> str:
    """F2 as the console stores it: the new state and its status, one transaction."""
    sid = new_key(STATION)

    def apply(store: Store) -> bool:
        r = next(store.db.query("SELECT * FROM alerts WHERE alert_id = :a", {"a": alert_id}))
        t = plan(Claim(), ME, AlertState.ACKNOWLEDGED, datetime.now(UTC))
        return store.apply_transition(r["pk"], t, sid)

    assert writer.submit(apply).result(10)
    return sid


def outbox(writer: StorageWriter, sid: str) -> dict[str, Any]:
    return writer.submit(lambda s: s.outbox_row(sid)).result(10) or {}


def start(hub: FakeHub, writer: StorageWriter) -> tuple[ReceiverProcess, RecordingListener]:
    listener = RecordingListener()
    settings = LinkSettings(hub.url, STATION, features=FEATURES)
    receiver = ReceiverProcess(settings, writer.path, listener)
    receiver.start()
    wait_until(lambda: any(isinstance(m, Welcome) for m in listener.hub_messages), 20, "welcome")
    return receiver, listener


@pytest.mark.expected_logs("csu.net")
def test_a_status_written_before_a_kill_reaches_the_hub_exactly_once(
    hub: FakeHub, writer: StorageWriter
) -> None:
    receiver, _listener = start(hub, writer)
    try:
        hub.push_alert(1, "A")
        wait_until(lambda: 1 in hub.acked, 20, "A stockée et acquittée")
        pid = receiver.pid
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        # F2 right then: written to SQLite, the nudge goes nowhere.
        sid = take(writer, "A")
        receiver.nudge_outbox()
        wait_until(lambda: outbox(writer, sid).get("result") == "applied", 30, "réponse du hub")
        assert receiver.pid != pid
        assert hub.sids[sid] == 1
        # Answered: the next resend round leaves it alone.
        time.sleep(RESEND_S + 0.5)  # an absence has no event to wait on
        assert hub.sids[sid] == 1
    finally:
        receiver.stop()


@pytest.mark.expected_logs("csu.net")
def test_an_unanswered_status_is_sent_again_by_the_new_process(
    hub: FakeHub, writer: StorageWriter
) -> None:
    answers: list[str] = []

    def answer(message: dict[str, Any]) -> str | None:
        answers.append(message["sid"])
        # The first process dies before any answer; the second one gets it.
        return hp.status_result(message["sid"], True, None) if len(answers) > 1 else None

    hub.answer_status = answer
    receiver, _listener = start(hub, writer)
    try:
        hub.push_alert(1, "A")
        wait_until(lambda: 1 in hub.acked, 20, "A acquittée")
        sid = take(writer, "A")
        receiver.nudge_outbox()
        wait_until(lambda: hub.sids[sid] == 1, 10, "statut reçu une première fois")
        pid = receiver.pid
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        wait_until(lambda: outbox(writer, sid).get("result") == "applied", 30, "renvoyé, répondu")
        assert hub.sids[sid] == 2  # at least once; the hub recognises the sid
    finally:
        receiver.stop()


def test_a_refusal_reaches_the_console_through_the_pipe(
    hub: FakeHub, writer: StorageWriter
) -> None:
    holder = claim("A", station="poste-2", operator="Martin")
    hub.answer_status = lambda m: hp.status_result(m["sid"], False, holder, "déjà prise")
    receiver, listener = start(hub, writer)
    try:
        hub.push_alert(1, "A")
        wait_until(lambda: 1 in hub.acked, 20, "A acquittée")
        sid = take(writer, "A")
        receiver.nudge_outbox()

        def refusal() -> ClaimsApplied | None:
            found = [m for m in listener.hub_messages if isinstance(m, ClaimsApplied) and m.refused]
            return found[0] if found else None

        wait_until(lambda: refusal() is not None, 20, "le refus à la console")
        got = refusal()
        assert got is not None and got.refused is not None and got.refused.sid == sid
        assert [(s.state_station, s.state_operator) for s in got.stored] == [("poste-2", "Martin")]
    finally:
        receiver.stop()
