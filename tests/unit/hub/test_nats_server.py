"""The embedded nats-server process: a port taken between the moment it was picked
and the server's bind (any process may get it) is picked again, not a failed start."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import nats
import pytest

from csu_console.hub.nats_server import NatsServer, cluster, start_cluster, stop_all

# The new try is said in the hub's log, as an installer should see it.
pytestmark = pytest.mark.expected_logs("csu.hub.nats")


def _answers(url: str) -> bool:
    async def ping() -> bool:
        nc = await nats.connect(url, connect_timeout=2, max_reconnect_attempts=0)
        try:
            await nc.jetstream().account_info()
            return True
        finally:
            await nc.close()

    return asyncio.run(ping())


def test_a_port_taken_before_the_bind_is_picked_again(tmp_path: Path) -> None:
    server = NatsServer(tmp_path / "nats")
    server._assign_ports()  # picked, as start() does…
    taken = server.port
    with socket.socket() as squatter:  # …then taken by someone else before the bind
        squatter.bind(("127.0.0.1", taken))
        squatter.listen()
        try:
            server.start()
            assert server.port != taken
            assert _answers(server.url)
            assert b"address already in use" in (tmp_path / "nats" / "nats-server.log").read_bytes()
        finally:
            server.stop()


def test_a_port_given_by_the_caller_is_never_changed(tmp_path: Path) -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        server = NatsServer(tmp_path / "nats", port=port)
        try:
            server.start(timeout=5)
        except Exception as exc:  # noqa: BLE001 - the failure is what is checked
            assert "s'est arrêté" in str(exc)
        else:
            raise AssertionError("démarré sur un port déjà pris")
        finally:
            server.stop()
        assert server.port == port


def test_a_cluster_node_whose_port_was_taken_still_joins(tmp_path: Path) -> None:
    nodes = cluster(tmp_path / "c", 3)  # ports picked here
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", nodes[2].port))
        squatter.listen()
        try:
            start_cluster(nodes)
            assert all(_answers(n.url) for n in nodes)
        finally:
            stop_all(nodes)
