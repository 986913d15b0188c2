"""Fixtures of the hub's end-to-end tests: a real nats-server per test, real hubs,
real ``csu-sim`` upstream (``sim`` from tests/conftest.py), real stations."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hub_support import TOKENS, HubThread, hub_config
from support import RecordingListener

from csu_console.core.witness import public_key_b64
from csu_console.hub.nats_server import NatsServer
from csu_console.net.link import AlertLink, LinkSettings
from csu_console.storage.station_key import ensure_key
from csu_console.storage.writer import StorageWriter

HubFactory = Callable[..., HubThread]
StationFactory = Callable[..., tuple[AlertLink, RecordingListener, StorageWriter]]


@pytest.fixture
def nats_server(tmp_path: Path) -> Iterator[NatsServer]:
    server = NatsServer(tmp_path / "nats", max_file_store="4G")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def make_hub(tmp_path: Path, nats_server: NatsServer) -> Iterator[HubFactory]:
    hubs: list[HubThread] = []

    def make(hub_id: str = "hub-a", upstreams: list[str] | None = None, **kw: Any) -> HubThread:
        config = hub_config(tmp_path, hub_id, upstreams or [], **kw)
        hub = HubThread(config, nats_server.url).start()
        hubs.append(hub)
        return hub

    yield make
    for hub in hubs:
        hub.stop()


@pytest.fixture
def make_station(tmp_path: Path) -> Iterator[StationFactory]:
    made: list[tuple[AlertLink, StorageWriter]] = []

    def make(
        url: str, station: str = "poste-1"
    ) -> tuple[AlertLink, RecordingListener, StorageWriter]:
        writer = StorageWriter(tmp_path / station / f"{len(made)}.sqlite3")
        writer.start()
        listener = RecordingListener()
        link = AlertLink(
            LinkSettings(url=url, station=station, token=TOKENS[station], reconnect_max_s=1.0),
            writer,
            listener,
        )
        link.start()
        made.append((link, writer))
        return link, listener, writer

    yield make
    for link, writer in made:
        link.stop()
        writer.close()


@pytest.fixture
def hub(tmp_path: Path, nats_server: NatsServer) -> Iterator[HubThread]:
    """A hub knowing the public keys of poste-1 and poste-2, whose data folders are
    ``tmp_path / "poste-N"`` (the book's tests)."""
    keys = {s: ensure_key(tmp_path / s)[0] for s in ("poste-1", "poste-2")}
    config = hub_config(tmp_path, "hub-a", [])
    stations = tuple(
        dataclasses.replace(a, public_key=public_key_b64(keys[a.id])) if a.id in keys else a
        for a in config.stations
    )
    server = HubThread(dataclasses.replace(config, stations=stations), nats_server.url).start()
    yield server
    server.stop()
