"""The one bridge between threads: link and storage news become Qt signals.

Methods are called from the network or storage thread; the signals are emitted
there and delivered, queued, to receivers living on the GUI thread. GUI code
never waits on another thread: it submits work and gets a signal back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, Slot

from csu_console.core.protocol import UpdateMessage
from csu_console.net.state import LinkStatus
from csu_console.storage.store import Outcome, Store
from csu_console.storage.writer import StorageWriter

log = logging.getLogger("csu.ui")
T = TypeVar("T")


class LinkBridge(QObject):
    """A :class:`~csu_console.net.state.LinkListener` that re-emits as signals."""

    link_status_changed = Signal(object)  # LinkStatus
    frames_committed = Signal(object)  # list[Outcome]
    update_received = Signal(object)  # UpdateMessage
    storage_failed = Signal(str)


class _ListenerAdapter:
    """Adapts :class:`LinkBridge` to the LinkListener method names."""

    def __init__(self, bridge: LinkBridge) -> None:
        self._bridge = bridge

    def link_status_changed(self, status: LinkStatus) -> None:
        self._bridge.link_status_changed.emit(status)

    def frames_committed(self, outcomes: list[Outcome]) -> None:
        self._bridge.frames_committed.emit(outcomes)

    def update_received(self, update: UpdateMessage) -> None:
        self._bridge.update_received.emit(update)

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
        # Queued even when emitted on the GUI thread (a future that failed at
        # submit): callbacks never run inside run() itself.
        self._finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)

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

    @Slot(object, object, object, object)
    def _on_finished(
        self, fut: Future[Any], on_done: Any, on_error: Any, owner: QObject | None
    ) -> None:
        if owner is not None and not shiboken6.isValid(owner):
            log.debug("résultat de stockage ignoré : destinataire détruit")
            return
        exc = fut.exception()
        if exc is None:
            on_done(fut.result())
            return
        if on_error is not None:
            on_error(exc)
            return
        log.error("tâche de stockage en échec", exc_info=exc)
        self.failed.emit(str(exc))
