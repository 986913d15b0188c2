"""The one bridge between threads: link and storage news become Qt signals.

Methods are called from the network or storage thread; the signals are emitted
there and delivered, queued, to receivers living on the GUI thread. GUI code
never waits on another thread: it submits work and gets a signal back.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal, Slot

from csu_console.core.hub_protocol import HubMessage
from csu_console.core.intake import Outcome
from csu_console.core.protocol import UpdateMessage
from csu_console.errors import DISK_FULL_REFUSAL, DiskFullError, StorageError
from csu_console.log_repeat import RepeatedLog
from csu_console.net.state import LinkStatus
from csu_console.storage.logbook import NewEvent
from csu_console.storage.store import Store
from csu_console.storage.writer import Recorded, StorageWriter
from csu_console.ui.pacing import GUI_LOAD, GuiLoad

log = logging.getLogger("csu.ui")
T = TypeVar("T")

_COMMITTED, _UPDATE, _HUB = "committed", "update", "hub"


#: At most this many committed alerts are handed to the GUI in one turn of its
#: event loop: a storm's batch of thousands is cut into slices with paints, timers
#: and the operator's input in between (one slice ≈ a few tens of milliseconds).
COMMIT_SLICE = 100
#: A committed batch this big means a storm: the next one waits for the next turn.
STORM_BATCH = 8


class LinkBridge(QObject):
    """A :class:`~csu_console.net.state.LinkListener` that re-emits as signals.

    Committed alerts and updates reach the GUI thread in the order the link saw
    them, the alerts in slices of :data:`COMMIT_SLICE`, one slice per turn of the
    event loop. The link's state and storage failures are announced at once,
    ahead of any backlog.
    """

    link_status_changed = Signal(object)  # LinkStatus
    frames_committed = Signal(object)  # list[Outcome]
    update_received = Signal(object)  # UpdateMessage
    hub_message_received = Signal(object)  # core.hub_protocol.HubMessage
    storage_failed = Signal(str)
    # Emitted on the link's thread, delivered queued to the bridge (GUI thread).
    _committed_in = Signal(object)
    _update_in = Signal(object)
    _hub_in = Signal(object)

    def __init__(self, parent: QObject | None = None, load: GuiLoad = GUI_LOAD) -> None:
        super().__init__(parent)
        self._load = load
        self._pending: deque[tuple[str, Any]] = deque()  # (kind, payload), in link order
        self._finished_link = False  # finish(): the console is closing
        self._drain = QTimer(self)
        self._drain.setSingleShot(True)
        self._drain.setInterval(0)
        self._drain.timeout.connect(self._deliver)
        queued = Qt.ConnectionType.QueuedConnection
        self._committed_in.connect(self._on_committed_in, queued)
        self._update_in.connect(self._on_update_in, queued)
        self._hub_in.connect(self._on_hub_in, queued)

    def finish(self) -> None:
        """The link is stopped: hand over at once, in order, everything it sent
        (still queued on the event loop or pending here), while the database is
        open for what the receivers write (another station's update); afterwards
        nothing more is delivered (the console is closing)."""
        QCoreApplication.sendPostedEvents(self)
        self._drain.stop()
        while self._pending:
            self._deliver()
            self._drain.stop()
        self._finished_link = True

    def _closing(self) -> bool:
        if self._finished_link:
            log.debug("message du lien arrivé après son arrêt : ignoré, la console s'arrête")
        return self._finished_link

    def backlog(self) -> int:
        """Committed alerts received and not yet handed to the GUI."""
        return sum(len(p) for kind, p in self._pending if kind == _COMMITTED)

    @Slot(object)
    def _on_committed_in(self, outcomes: list[Outcome]) -> None:
        if self._closing():
            return
        if len(outcomes) <= COMMIT_SLICE:
            self._pending.append((_COMMITTED, outcomes))  # as it is: no copy
        else:
            step = COMMIT_SLICE
            self._pending.extend(
                (_COMMITTED, outcomes[i : i + step]) for i in range(0, len(outcomes), step)
            )
        self._deliver()

    @Slot(object)
    def _on_update_in(self, update: UpdateMessage) -> None:
        if self._closing():
            return
        self._pending.append((_UPDATE, update))
        self._deliver()

    @Slot(object)
    def _on_hub_in(self, message: object) -> None:
        if self._closing():
            return
        self._pending.append((_HUB, message))
        self._deliver()

    @Slot()
    def _deliver(self) -> None:
        """Hand over one slice of alerts (and the updates queued before the next)."""
        if self._drain.isActive():
            return  # a slice was handed over this turn: the timer brings the next
        while self._pending:
            kind, payload = self._pending.popleft()
            if kind == _UPDATE:
                self.update_received.emit(payload)
            elif kind == _HUB:
                self.hub_message_received.emit(payload)
            else:
                # In a storm (a backlog, or big batches) the next slice, even of
                # another batch, waits for the next turn; one alert at a time passes
                # at once (the operator interrupt's latency). Said before the slice
                # is handed over: its receivers and background work pace themselves.
                storm = bool(self._pending) or len(payload) >= STORM_BATCH
                if storm:
                    self._load.mark_flooded()
                self.frames_committed.emit(payload)
                if storm:
                    self._drain.start()
                return


class _ListenerAdapter:
    """Adapts :class:`LinkBridge` to the LinkListener method names."""

    def __init__(self, bridge: LinkBridge) -> None:
        self._bridge = bridge

    def link_status_changed(self, status: LinkStatus) -> None:
        self._bridge.link_status_changed.emit(status)

    def frames_committed(self, outcomes: list[Outcome]) -> None:
        self._bridge._committed_in.emit(outcomes)

    def update_received(self, update: UpdateMessage) -> None:
        self._bridge._update_in.emit(update)

    def hub_message(self, message: HubMessage) -> None:
        self._bridge._hub_in.emit(message)

    def storage_failed(self, message: str) -> None:
        self._bridge.storage_failed.emit(message)


def listener_for(bridge: LinkBridge) -> _ListenerAdapter:
    """The object to hand to :class:`~csu_console.net.link.AlertLink`."""
    return _ListenerAdapter(bridge)


class DbTasks(QObject):
    """Runs work on the storage thread, calls back on the GUI thread (Anki's taskman)."""

    _finished = Signal(object, object, object, object)  # future, on_done, on_error, owner
    failed = Signal(str)  # a user-facing message

    def __init__(self, writer: StorageWriter, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._writer = writer
        # A full disk fails every write the same way: logged once, then counted.
        self._repeats = RepeatedLog(log)
        # Queued even when emitted on the GUI thread (a future that failed at
        # submit): callbacks never run inside run() itself.
        self._finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)
        self._stopped = False

    def stop(self) -> None:
        """The console stopped (its database closed, every job done): results that
        come back later are not handed to a console that no longer runs (they
        would start its timers or submit work again)."""
        self._stopped = True

    def run(
        self,
        fn: Callable[[Store], T],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None] | None = None,
        *,
        owner: QObject | None = None,
    ) -> None:
        """Submit ``fn``; ``on_done(result)`` is called later on the GUI thread.

        With ``owner``, the callbacks are dropped if that object (a widget that
        was closed meanwhile) has been deleted by then.
        """
        fut = self._writer.submit(fn)
        fut.add_done_callback(lambda f: self._finished.emit(f, on_done, on_error, owner))

    def record(
        self,
        events: Sequence[NewEvent] | Callable[[Store], Sequence[NewEvent]],
        on_done: Callable[[Recorded], None] | None = None,
    ) -> None:
        """Append events the console writes itself (a display, a camera view, a
        mute): never lost to a full disk, they wait in memory and are written in
        order when there is room (:meth:`StorageWriter.record`)."""
        fut = self._writer.record(events)
        done = on_done if on_done is not None else _ignore
        fut.add_done_callback(lambda f: self._finished.emit(f, done, None, None))

    @Slot(object, object, object, object)
    def _on_finished(
        self, fut: Future[Any], on_done: Any, on_error: Any, owner: QObject | None
    ) -> None:
        if owner is not None and not shiboken6.isValid(owner):
            log.debug("résultat de stockage ignoré : destinataire détruit")
            return
        if self._stopped:
            log.debug("résultat de stockage ignoré : la console est arrêtée")
            return
        exc = fut.exception()
        if exc is None:
            on_done(fut.result())
            return
        if on_error is not None:
            on_error(exc)
            return
        if isinstance(exc, DiskFullError):
            # The operator's action was not recorded: said so, not pretended.
            self._repeats.log(logging.WARNING, "refused", "action refusée : %s", exc)
            self.failed.emit(DISK_FULL_REFUSAL)
            return
        if isinstance(exc, StorageError):
            self._repeats.log(
                logging.ERROR,
                ("storage", str(exc)),
                "tâche de stockage en échec : %s",
                exc,
                exc_info=exc,
            )
        else:
            log.error("tâche de stockage en échec", exc_info=exc)
        self.failed.emit(str(exc))


def _ignore(_result: object) -> None:
    """The result nobody waits for."""
