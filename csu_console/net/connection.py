"""The link's websocket connection: frame types kept, replies written together."""

from __future__ import annotations

import asyncio
import contextlib
import os
import ssl
from collections import deque
from collections.abc import Awaitable, Sequence
from typing import Any

from websockets.asyncio.client import ClientConnection
from websockets.asyncio.connection import Connection
from websockets.exceptions import ConnectionClosed
from websockets.frames import Frame, Opcode


class _FrameConnection(ClientConnection):
    """Keeps each message's frame type, so text and binary frames can be told
    apart while UTF-8 is decoded by us (invalid UTF-8 must be rejected, not
    close the connection as websockets would)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.text_flags: deque[bool] = deque()

    def process_event(self, event: Any) -> None:
        if isinstance(event, Frame) and event.opcode in (Opcode.TEXT, Opcode.BINARY):
            self.text_flags.append(event.opcode is Opcode.TEXT)
        super().process_event(event)

    async def recv_frame(self) -> tuple[bytes, bool]:
        data = await self.recv(decode=False)
        return data, self.text_flags.popleft()

    async def send_texts(self, messages: Sequence[str]) -> None:
        """Several text messages, framed together and written at once.

        ``send`` writes each message with its own system call: the 10,000
        acknowledgements of a storm cost the network thread 0.67 s in
        ``socket.send`` alone (cProfile), each call giving the GIL up and waiting
        for it again behind the storage thread."""
        while self.send_in_progress is not None:  # as ``send``: no interleaving
            await asyncio.shield(self.send_in_progress)
        async with self.send_context():
            for text in messages:
                self.protocol.send_text(text.encode())

    def send_data(self) -> None:
        write_frames_at_once(self)

    async def ping(self, data: Any = None) -> Awaitable[float]:
        """Keepalive pings get their payload from ``os.urandom``: websockets
        would draw it from the process-wide ``random`` state, which this
        thread must not touch (other code, and Hypothesis, seed and check it)."""
        while data is None or data in self.pending_pings:
            data = os.urandom(4)
        return await super().ping(data)


def write_frames_at_once(connection: Connection) -> None:
    """``send_data`` of a websockets connection, with the outgoing frames written in one
    ``transport.write`` (websockets writes them one by one: 10,000 system calls for a
    10,000-alert burst); an end of stream is handled as websockets does. Shared by the
    console's link (client) and the hub's station server."""
    pending: list[bytes] = []
    for data in connection.protocol.data_to_send():
        if data:
            pending.append(data)
            continue
        if pending:
            connection.transport.write(b"".join(pending))
            pending = []
        if connection.transport.can_write_eof():  # half-close, when possible
            with contextlib.suppress(Exception):  # as websockets: any error
                connection.transport.write_eof()
        else:
            connection.transport.close()
    if pending:
        connection.transport.write(b"".join(pending))


def describe_error(exc: BaseException) -> str:
    """Why a connection attempt or session ended, in French (for the log and the status)."""
    if isinstance(exc, ConnectionClosed):
        frame = exc.rcvd or exc.sent
        if frame is None:
            return "connexion coupée sans fermeture"
        return f"connexion fermée (code {frame.code}{', ' + frame.reason if frame.reason else ''})"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"certificat de la passerelle refusé : {exc.verify_message}"
    if isinstance(exc, ConnectionRefusedError):
        return "connexion refusée"
    if isinstance(exc, TimeoutError):
        return "délai de connexion dépassé"
    return f"{type(exc).__name__}: {exc}"
