"""Where the alert link commits what it receives, before it acknowledges.

The console commits to its SQLite store (:class:`StoreSink`, through the storage
writer's single thread); the hub publishes to NATS JetStream and waits for the
publish acknowledgement (``csu_console.hub``). Either way the link acknowledges a
frame upstream only once the sink's future has completed without error.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future
from typing import Protocol

from csu_console.core.intake import Outcome
from csu_console.core.protocol import AlertMessage, Rejection
from csu_console.storage.store import Store
from csu_console.storage.writer import StorageWriter


class BatchSink(Protocol):
    """Durable destination of the link's frames. Futures complete on any thread."""

    def last_seq(self) -> Future[int | None]:
        """The highest upstream ``seq`` committed (for ``hello``), None if none."""

    def commit(
        self, items: Sequence[AlertMessage | Rejection], station: str
    ) -> Future[list[Outcome]]:
        """Store a batch in order; one outcome per item. A failed future means
        nothing of the batch may be acknowledged (it will be received again)."""

    def barrier(self) -> Future[None]:
        """Completes once every batch submitted before it has completed."""


class StoreSink:
    """The console's sink: the SQLite store, through the storage writer."""

    def __init__(self, writer: StorageWriter) -> None:
        self._writer = writer

    def last_seq(self) -> Future[int | None]:
        return self._writer.submit(Store.last_seq)

    def commit(
        self, items: Sequence[AlertMessage | Rejection], station: str
    ) -> Future[list[Outcome]]:
        batch = list(items)
        return self._writer.submit(lambda store: store.commit_batch(batch, station))

    def barrier(self) -> Future[None]:
        return self._writer.submit(_noop)


def _noop(_store: Store) -> None:
    """A job that only marks a place in the storage thread's queue."""
