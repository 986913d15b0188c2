"""``csu-console keys init|show`` and the witnesses' part of ``csu-console logbook verify``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from csu_console.core.book_wire import ChainHead, WireError, parse_head
from csu_console.core.witness import public_key_b64
from csu_console.errors import CsuError
from csu_console.storage.book_sync import witness_heads
from csu_console.storage.station_key import create_key, key_path, load_key
from csu_console.storage.store import Store
from csu_console.storage.witness import (
    check_witnesses,
    describe_peers,
    heads_of,
    own_station,
    peer_disagreements,
)


def keys_command(command: str, data_dir: Path, out: TextIO) -> int:
    """``keys init`` (create the station's key, never replace it) or ``keys show``."""
    path = key_path(data_dir)
    if command == "init":
        if path.exists():
            key = load_key(path)
            out.write(f"clé du poste déjà présente : {path} (gardée)\n")
        else:
            try:
                key = create_key(path)
            except OSError as exc:
                raise CsuError(f"clé du poste non créée ({path}) : {exc}") from exc
            out.write(f"clé du poste créée : {path} (mode 0600)\n")
    else:
        if not path.exists():
            raise CsuError(f"pas de clé du poste dans {path} : csu-console keys init")
        key = load_key(path)
    out.write("Clé publique à déclarer dans hub.toml, [[station]] de ce poste :\n")
    out.write(f'public_key = "{public_key_b64(key)}"\n')
    return 0


def _heads_file(path: Path) -> list[ChainHead]:
    """Heads saved by ``csu-hub heads --json`` (one JSON object a line)."""
    heads = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise CsuError(f"témoins illisibles ({path}) : {exc}") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            heads.append(parse_head(line))
        except WireError as exc:
            raise CsuError(f"{path}, ligne {n} : témoin illisible ({exc})") from exc
    return heads


def verify_witnesses(
    db_path: Path,
    out: TextIO,
    witnesses: Sequence[Path] = (),
    heads_files: Sequence[Path] = (),
    station: str | None = None,
    nats: str | None = None,
) -> int:
    """0 when every witnessed head agrees with the book, 1 naming what is missing
    or rewritten; prints the other stations' copies and their breaks too. Heads come
    from this database, other stations' (``witnesses``), files of ``csu-hub heads
    --json`` (``heads_files``) and the hub's JetStream (``nats``)."""
    public = None
    path = key_path(db_path.parent)
    if path.exists():
        public = public_key_b64(load_key(path))
    store = Store(db_path, readonly=True)
    try:
        conn = store.conn
        station = station or own_station(conn, public)
        if station is None:
            out.write("témoins : poste inconnu (donnez --station)\n")
            return 0
        heads = witness_heads(conn, station)
        for other in witnesses:
            heads += heads_of(other, station)
        for file in heads_files:
            heads += _heads_file(file)
        if nats:
            heads += _hub_heads(nats, station)
        report = check_witnesses(conn, station, heads, public, store.tz)
        peers = describe_peers(conn)
        peers += [f"ATTENTION : {line}" for line in peer_disagreements(conn, station, store.tz)]
    finally:
        store.close()
    for line in peers:
        out.write(line + "\n")
    for finding in report.findings:
        out.write(f"{'TÉMOIN' if finding.kind == 'forged' else 'ALTÉRATION'} : {finding.text}\n")
    if report.heads == 0:
        out.write(f"témoins : aucun témoin signé de {station}\n")
    elif report.ok and report.last_witness is not None:
        last = report.last_witness
        out.write(
            f"témoins : {report.heads} témoin(s) signé(s) de {station} concordent "
            f"(dernier : n° {last.seq}, {last.at})\n"
        )
    return 0 if report.ok else 1


def _hub_heads(urls: str, station: str) -> list[ChainHead]:
    """The station's heads kept by the hub (``CSU_HEADS``), read from its NATS."""
    import asyncio

    import nats as nats_client

    from csu_console.hub.book import list_heads

    async def read() -> list[ChainHead]:
        servers = [u.strip() for u in urls.split(",") if u.strip()]
        nc = await nats_client.connect(servers=servers, connect_timeout=3,
                                       max_reconnect_attempts=1)  # fmt: skip
        try:
            return await list_heads(nc.jetstream(), station, limit=100_000)
        finally:
            await nc.close()

    try:
        return asyncio.run(read())
    except Exception as exc:
        raise CsuError(f"témoins du hub illisibles ({urls}) : {exc}") from exc


def heads_json(heads: Sequence[ChainHead]) -> str:
    """``csu-hub heads --json``: one head a line, as ``--heads`` reads them."""
    return "".join(json.dumps(json.loads(h.to_json()), ensure_ascii=False) + "\n" for h in heads)
