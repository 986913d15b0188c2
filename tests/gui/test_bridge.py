"""The thread bridge: news from worker threads arrive on the GUI thread, as signals."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Slot

from csu_console.core.alerts import AlertState
from csu_console.core.protocol import UpdateMessage
from csu_console.errors import DISK_FULL_REFUSAL, DiskFullError, StorageError
from csu_console.net.state import LinkPhase, LinkStatus
from csu_console.storage.logbook import NewEvent
from csu_console.storage.store import Store
from csu_console.storage.writer import Recorded, StorageWriter
from csu_console.ui.bridge import COMMIT_SLICE, STORM_BATCH, DbTasks, LinkBridge, listener_for
from csu_console.ui.pacing import GuiLoad

NOW = datetime(2025, 1, 15, 8, 0, tzinfo=UTC)


class _Recorder(QObject):
    """A GUI-thread receiver noting each call and the thread it ran on."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, object, QThread]] = []

    def note(self, name: str, value: object) -> None:
        self.calls.append((name, value, QThread.currentThread()))

    @Slot(object)
    def on_status(self, value: object) -> None:
        self.note("status", value)

    @Slot(object)
    def on_frames(self, value: object) -> None:
        self.note("frames", value)

    @Slot(object)
    def on_update(self, value: object) -> None:
        self.note("update", value)

    @Slot(str)
    def on_storage_failed(self, value: str) -> None:
        self.note("storage", value)


def in_thread(fn: Callable[[], None]) -> QThread | None:
    """Run ``fn`` on a plain Python thread; returns the QThread it ran on."""
    seen: list[QThread] = []

    def target() -> None:
        seen.append(QThread.currentThread())
        fn()

    t = threading.Thread(target=target, name="fake-network")
    t.start()
    t.join(timeout=10)
    assert not t.is_alive()
    return seen[0] if seen else None


def test_listener_calls_from_a_thread_arrive_on_the_gui_thread(qtbot: Any, make: Any) -> None:
    bridge = LinkBridge()
    recorder = _Recorder()
    bridge.link_status_changed.connect(recorder.on_status)
    bridge.frames_committed.connect(recorder.on_frames)
    bridge.update_received.connect(recorder.on_update)
    bridge.storage_failed.connect(recorder.on_storage_failed)
    listener = listener_for(bridge)

    status = LinkStatus(LinkPhase.CONNECTED, "wss://gw.example/v1", NOW)
    outcomes = [make.outcome(make.stored()), make.rejected(2)]
    update = UpdateMessage("src", "A-1", AlertState.ACKNOWLEDGED, "CSU-2", "Durand", NOW)

    def network() -> None:
        listener.link_status_changed(status)
        listener.frames_committed(outcomes)
        listener.update_received(update)
        listener.storage_failed("disque plein")

    with qtbot.waitSignals(
        [
            bridge.link_status_changed,
            bridge.frames_committed,
            bridge.update_received,
            bridge.storage_failed,
        ],
        timeout=5000,
    ):
        worker = in_thread(network)
    qtbot.waitUntil(lambda: len(recorder.calls) == 4, timeout=5000)

    gui = QThread.currentThread()
    assert worker is not None and worker is not gui
    got = [(name, value) for name, value, _ in recorder.calls]
    assert sorted(got, key=repr) == sorted(
        [("status", status), ("frames", outcomes), ("update", update), ("storage", "disque plein")],
        key=repr,
    )
    # Alerts and updates keep the link's order (the state and failures go ahead).
    assert [n for n, _ in got if n in ("frames", "update")] == ["frames", "update"]
    assert all(thread is gui for _, _, thread in recorder.calls)
    # Objects cross as they are: no copy, no conversion.
    assert recorder.calls[1][1] is outcomes


def test_finish_hands_over_what_the_stopped_link_sent_then_nothing_more(
    qtbot: Any, make: Any
) -> None:
    """At the console's stop: what the link sent before it stopped (still queued on
    the event loop, or a storm's slices waiting) is handed over at once, in order,
    while the database is still open; nothing after."""
    bridge = LinkBridge()
    recorder = _Recorder()
    bridge.frames_committed.connect(recorder.on_frames)
    bridge.update_received.connect(recorder.on_update)
    listener = listener_for(bridge)
    storm = [make.outcome(make.stored()) for _ in range(COMMIT_SLICE * 2 + 1)]
    update = UpdateMessage("src", "A-1", AlertState.ACKNOWLEDGED, "CSU-2", "Durand", NOW)

    def network() -> None:
        listener.frames_committed(storm)
        listener.update_received(update)

    in_thread(network)
    assert recorder.calls == []  # queued: no event loop has run yet
    bridge.finish()
    got = [(name, value) for name, value, _ in recorder.calls]
    assert [n for n, _ in got] == ["frames", "frames", "frames", "update"]
    assert [o for _, v in got[:3] for o in v] == storm and got[3][1] == update
    in_thread(lambda: listener.update_received(update))
    bridge.finish()
    assert len(recorder.calls) == 4  # after the stop: not delivered


def test_plain_callables_also_run_on_the_gui_thread(qtbot: Any) -> None:
    """``app.py`` connects some signals to methods of plain Python objects."""
    bridge = LinkBridge()
    threads: list[QThread] = []
    bridge.storage_failed.connect(lambda _m: threads.append(QThread.currentThread()))
    in_thread(lambda: listener_for(bridge).storage_failed("x"))
    qtbot.waitUntil(lambda: len(threads) == 1, timeout=5000)
    assert threads[0] is QThread.currentThread()


@pytest.fixture
def tasks(writer: StorageWriter) -> Iterator[DbTasks]:
    t = DbTasks(writer)
    yield t
    t.deleteLater()


def test_db_task_result_comes_back_on_the_gui_thread(qtbot: Any, tasks: DbTasks) -> None:
    results: list[tuple[object, QThread]] = []
    ran_on: list[str] = []

    def job(store: Store) -> int:
        ran_on.append(threading.current_thread().name)
        return store.count("alerts") + 41

    with qtbot.assertNotEmitted(tasks.failed):
        tasks.run(job, lambda n: results.append((n, QThread.currentThread())))
        qtbot.waitUntil(lambda: len(results) == 1, timeout=5000)
    assert results == [(41, QThread.currentThread())]
    assert ran_on == ["csu-storage"]


def test_db_task_error_goes_to_on_error_on_the_gui_thread(qtbot: Any, tasks: DbTasks) -> None:
    errors: list[tuple[BaseException, QThread]] = []

    def job(_store: Store) -> int:
        raise ValueError("requête impossible")

    with qtbot.assertNotEmitted(tasks.failed):
        tasks.run(
            job,
            lambda _n: pytest.fail("on_done called after an error"),
            lambda exc: errors.append((exc, QThread.currentThread())),
        )
        qtbot.waitUntil(lambda: len(errors) == 1, timeout=5000)
    exc, thread = errors[0]
    assert isinstance(exc, ValueError)
    assert str(exc) == "requête impossible"
    assert thread is QThread.currentThread()


@pytest.mark.expected_logs("csu.ui")
def test_db_task_error_without_handler_is_signalled(
    qtbot: Any, tasks: DbTasks, caplog: pytest.LogCaptureFixture
) -> None:
    def job(_store: Store) -> None:
        raise StorageError("Base de données indisponible : disk is full")

    with qtbot.waitSignal(tasks.failed, timeout=5000) as blocker:
        tasks.run(job, lambda _r: pytest.fail("on_done called after an error"))
    assert blocker.args == ["Base de données indisponible : disk is full"]
    assert any(
        r.name == "csu.ui" and r.exc_info and isinstance(r.exc_info[1], StorageError)
        for r in caplog.records
    )


def test_db_task_on_a_closed_writer_still_answers_later(qtbot: Any, tmp_path: Any) -> None:
    """The future fails at once; the callback still comes from the event loop."""
    writer = StorageWriter(tmp_path / "closed.sqlite3")
    writer.start()
    writer.close()
    tasks = DbTasks(writer)
    errors: list[BaseException] = []
    tasks.run(lambda s: s.count("alerts"), lambda _n: None, errors.append)
    assert errors == []  # not re-entrant: nothing ran inside run()
    qtbot.waitUntil(lambda: len(errors) == 1, timeout=5000)
    assert isinstance(errors[0], StorageError)
    tasks.deleteLater()


def test_db_task_for_a_deleted_owner_is_dropped(qtbot: Any, tasks: DbTasks) -> None:
    """A widget closed before its data came back gets no callback (it no longer exists)."""
    owner = QObject()
    calls: list[object] = []
    tasks.run(lambda s: s.count("alerts"), calls.append, calls.append, owner=owner)
    # Deleted now, before control returns to the event loop that delivers results.
    shiboken6.delete(owner)
    assert not shiboken6.isValid(owner)
    # A later job's callback coming back proves the earlier one was handled (FIFO).
    done: list[int] = []
    tasks.run(lambda s: s.count("alerts"), done.append)
    qtbot.waitUntil(lambda: done == [0], timeout=5000)
    assert calls == []


def test_a_storm_batch_reaches_the_gui_in_slices_with_the_event_loop_turning_between(
    qtbot: Any, make: Any
) -> None:
    bridge = LinkBridge()
    listener = listener_for(bridge)
    stored = make.stored()
    batch = [make.outcome(stored) for _ in range(2 * COMMIT_SLICE + 50)]
    update = UpdateMessage("src", "A-1", AlertState.ACKNOWLEDGED, "CSU-2", "Durand", NOW)
    seen: list[str] = []

    def on_frames(outcomes: list[Any]) -> None:
        seen.append(f"slice:{len(outcomes)}")
        if len(seen) == 1:  # posted after the first slice: must run before the second
            QTimer.singleShot(0, lambda: seen.append("other event"))

    bridge.frames_committed.connect(on_frames)
    bridge.update_received.connect(lambda _u: seen.append("update"))

    def network() -> None:
        listener.frames_committed(batch)
        listener.update_received(update)

    in_thread(network)
    qtbot.waitUntil(lambda: "update" in seen, timeout=5000)
    assert seen == [
        f"slice:{COMMIT_SLICE}",
        "other event",
        f"slice:{COMMIT_SLICE}",
        "slice:50",
        "update",
    ]
    assert bridge.backlog() == 0


def test_lone_alerts_pass_at_once_big_batches_wait_a_turn(qtbot: Any, make: Any) -> None:
    bridge = LinkBridge()
    listener = listener_for(bridge)
    stored = make.stored()
    seen: list[str] = []

    def on_frames(outcomes: list[Any]) -> None:
        seen.append(f"batch:{len(outcomes)}")
        if len(seen) == 1:  # posted after the first batch
            QTimer.singleShot(0, lambda: seen.append("other event"))

    bridge.frames_committed.connect(on_frames)

    def network() -> None:  # two lone alerts, then a storm's two batches
        for size in (1, 1, STORM_BATCH, 1):
            listener.frames_committed([make.outcome(stored) for _ in range(size)])

    in_thread(network)
    qtbot.waitUntil(lambda: len(seen) == 5, timeout=5000)
    # The lone alerts do not wait for the event loop; after a storm-sized batch the
    # next one waits for the next turn.
    assert seen == ["batch:1", "batch:1", f"batch:{STORM_BATCH}", "other event", "batch:1"]


def test_a_storm_marks_the_gui_flooded_before_its_slices_lone_alerts_do_not(
    qtbot: Any, make: Any
) -> None:
    load = GuiLoad(hold_s=60.0)
    bridge = LinkBridge(load=load)
    listener = listener_for(bridge)
    stored = make.stored()
    flooded_when_handed: list[tuple[int, bool]] = []
    bridge.frames_committed.connect(
        lambda outcomes: flooded_when_handed.append((len(outcomes), load.flooded))
    )

    in_thread(lambda: listener.frames_committed([make.outcome(stored)]))
    qtbot.waitUntil(lambda: len(flooded_when_handed) == 1, timeout=5000)
    assert flooded_when_handed == [(1, False)]  # a lone alert: background work goes on

    in_thread(lambda: listener.frames_committed([make.outcome(stored)] * (COMMIT_SLICE + 5)))
    qtbot.waitUntil(lambda: len(flooded_when_handed) == 3, timeout=5000)
    assert flooded_when_handed[1:] == [(COMMIT_SLICE, True), (5, True)]


@pytest.mark.expected_logs("csu.ui", "csu.storage")
def test_a_refused_action_on_a_full_disk_is_said_once_in_french(
    qtbot: Any, tasks: DbTasks, caplog: pytest.LogCaptureFixture
) -> None:
    def job(_store: Store) -> None:
        raise DiskFullError("Base de données indisponible : database or disk is full")

    for _ in range(5):
        with qtbot.waitSignal(tasks.failed, timeout=5000) as blocker:
            tasks.run(job, lambda _r: pytest.fail("on_done called after an error"))
        assert blocker.args == [DISK_FULL_REFUSAL]
    refusals = [r for r in caplog.records if r.name == "csu.ui" and "refusée" in r.getMessage()]
    assert len(refusals) == 1  # five refusals, one line (the count comes later)


def test_own_events_are_recorded_and_answered_on_the_gui_thread(qtbot: Any, tasks: DbTasks) -> None:
    results: list[Recorded] = []
    event = NewEvent("muted", datetime.now(UTC), None, "poste-1", "martin", {"seconds": 60})
    tasks.record([event], results.append)
    tasks.record(lambda _s: [event])  # nobody waits for this one
    qtbot.waitUntil(lambda: len(results) == 1, timeout=5000)
    assert results[0].pks == (1,) and results[0].kept == 0


def test_results_coming_back_after_the_stop_reach_nobody(
    qtbot: Any, tasks: DbTasks, writer: StorageWriter
) -> None:
    got: list[object] = []
    tasks.run(lambda s: s.count("alerts"), got.append)
    writer.close()  # every job done: its result is on its way
    tasks.stop()
    QCoreApplication.sendPostedEvents(tasks)  # the storage thread is gone: all posted
    assert got == []
