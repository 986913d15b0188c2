"""A connection's tasks that ended with it (a send on the closed socket) never end the
link: found in the team fault test, where a head sent as the hub died raised
``ConnectionClosedError`` out of ``disconnected()`` and stopped the link's thread for
good, the station then receiving nothing (issue 16)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from support import RecordingListener
from websockets.exceptions import ConnectionClosedError

from csu_console.core.hub_protocol import FEATURES
from csu_console.net.hub_session import StationHub
from csu_console.storage.writer import StorageWriter


def test_a_task_that_failed_with_the_connection_is_not_raised_again(tmp_path: Path) -> None:
    writer = StorageWriter(tmp_path / "csu.sqlite3")
    writer.start()
    try:
        hub = StationHub(writer, FEATURES, RecordingListener(), lambda _n, _h: None, "poste-1")

        async def scenario() -> None:
            async def send_on_closed_socket() -> None:
                raise ConnectionClosedError(None, None)

            task = asyncio.get_running_loop().create_task(send_on_closed_socket())
            await asyncio.sleep(0)  # it runs and fails before the link notices the loss
            assert task.done()
            hub._book_task = task
            await hub.disconnected()  # must not raise: the link reconnects next

        asyncio.run(scenario())
        assert hub._book_task is None
    finally:
        writer.close()
