"""``POST /cap``: partners send CAP documents over HTTPS with their bearer token.

A small HTTP/1.1 server on asyncio streams (no dependency): ``Content-Length``
required (no chunked bodies), header and body size limits, a timeout on every read,
keep-alive between requests, ``Expect: 100-continue`` answered once the token and
the size are accepted. Answers (JSON bodies, reasons in French):

=====  ==========================================================================
201    stored in JetStream (``sender``, ``identifier``, ``sent``, ``seq``)
200    « déjà reçu »: the same CAP triplet was stored before (any channel)
400    the parser's reason (the document is kept in ``CSU_REJECTED``)
401    no bearer token, or an unknown one (``WWW-Authenticate: Bearer``)
403    a ``sender`` the partner may not use
404    / 405  another path / method
411    no ``Content-Length``;  413  over the frame limit;  415  not XML
503    JetStream did not store it (``Retry-After``): send it again
=====  ==========================================================================
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import ssl
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from csu_console.core.protocol import MAX_FRAME_BYTES
from csu_console.hub.cap_config import CapHttpConfig, PartnerConfig
from csu_console.hub.cap_intake import CapIntake, Submission

log = logging.getLogger("csu.hub.cap")

MAX_HEADER_BYTES = 16 * 1024
MAX_HEADERS = 100
HEADER_TIMEOUT_S = 10.0
BODY_TIMEOUT_S = 30.0
IDLE_TIMEOUT_S = 15.0
MAX_CONNECTIONS = 64
MAX_REQUESTS_PER_CONNECTION = 1000
CAP_TYPES = ("application/cap+xml", "application/xml", "text/xml")

_ANSWERS = {
    "stored": HTTPStatus.CREATED,
    "duplicate": HTTPStatus.OK,
    "rejected": HTTPStatus.BAD_REQUEST,
    "forbidden": HTTPStatus.FORBIDDEN,
    "too_large": HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
    "unavailable": HTTPStatus.SERVICE_UNAVAILABLE,
}


class _BadRequest(Exception):
    """An answer given before the body is read; the connection is closed after it."""

    def __init__(
        self,
        status: HTTPStatus,
        reason: str,
        body: dict[str, Any] | None = None,
        extra: dict[str, str] | None = None,
    ) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.body = body or {"status": "bad_request", "reason": reason}
        self.extra = extra


@dataclass
class _Request:
    method: str
    target: str
    version: str
    headers: dict[str, str]  # lower-case names; a repeated header joined with ", "

    @property
    def keep_alive(self) -> bool:
        conn = self.headers.get("connection", "").lower()
        if self.version == "HTTP/1.0":
            return "keep-alive" in conn
        return "close" not in conn


class CapHttpServer:
    """The partners' HTTPS endpoint, on its own port."""

    def __init__(
        self,
        config: CapHttpConfig,
        partners: tuple[PartnerConfig, ...],
        intake: CapIntake,
    ) -> None:
        self.config = config
        self.partners = partners
        self.intake = intake
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[None]] = set()
        self.port: int | None = None
        self.unauthorized = 0

    async def start(self) -> int:
        ctx = self.config.ssl_context()
        self._server = await asyncio.start_server(
            self._on_connection,
            self.config.host,
            self.config.port,
            ssl=ctx,
            limit=MAX_HEADER_BYTES,
            ssl_handshake_timeout=HEADER_TIMEOUT_S if ctx else None,
        )
        self.port = self._server.sockets[0].getsockname()[1]
        log.info(
            "réception CAP : POST %s://%s:%d/cap, %d partenaire(s)",
            self.config.scheme,
            self.config.host,
            self.port,
            len(self.partners),
        )
        return self.port

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._connections):
            task.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)
        if self._server is not None:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(2.0):
                    await self._server.wait_closed()

    def status(self) -> dict[str, Any]:
        """``/health``'s ``cap.http`` and ``cap.partners``."""
        return {
            "listen": f"{self.config.scheme}://{self.config.host}:{self.port}",
            "unauthorized": self.unauthorized,
            "connections": len(self._connections),
        }

    # -- connections ------------------------------------------------------------------

    async def _on_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        task = asyncio.current_task()
        assert task is not None
        if len(self._connections) >= MAX_CONNECTIONS:
            log.warning("réception CAP : trop de connexions (%d), une refusée", MAX_CONNECTIONS)
            busy = {"status": "busy", "reason": "trop de connexions"}
            await self._answer(writer, HTTPStatus.SERVICE_UNAVAILABLE, busy, close=True)
            await _close(writer)
            return
        self._connections.add(task)
        peer = _peer(writer)
        try:
            for _ in range(MAX_REQUESTS_PER_CONNECTION):
                if not await self._one_request(reader, writer, peer):
                    break
        except (ConnectionError, ssl.SSLError, asyncio.IncompleteReadError) as exc:
            log.debug("réception CAP : %s parti (%s)", peer, exc)
        except TimeoutError:
            log.debug("réception CAP : %s muet, connexion fermée", peer)
        except asyncio.CancelledError:
            pass
        except Exception:  # one connection never takes the server down
            log.exception("réception CAP : erreur sur la connexion de %s", peer)
        finally:
            self._connections.discard(task)
            await _close(writer)

    async def _one_request(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, peer: str
    ) -> bool:
        """Serve one request; False: close the connection."""
        try:
            async with asyncio.timeout(IDLE_TIMEOUT_S):
                first = await reader.readline()
        except (TimeoutError, ValueError):
            return False
        if not first:
            return False
        try:
            async with asyncio.timeout(HEADER_TIMEOUT_S):
                request = await _read_head(first, reader)
        except _BadRequest as exc:
            await self._answer(writer, exc.status, {"status": "bad_request", "reason": exc.reason},
                               close=True)  # fmt: skip
            return False
        try:
            return await self._serve(request, reader, writer, peer)
        except _BadRequest as exc:
            # The body the client is sending is read first (when it is bounded and
            # not waiting for « 100 Continue »): closing with unread bytes resets the
            # connection, and the client would lose the answer.
            await _discard_body(reader, request)
            await self._answer(writer, exc.status, exc.body, close=True, extra=exc.extra)
            return False

    async def _serve(
        self,
        request: _Request,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        peer: str,
    ) -> bool:
        path = request.target.split("?", 1)[0]
        if path != "/cap":
            raise _BadRequest(HTTPStatus.NOT_FOUND, "chemin inconnu : POST /cap attendu")
        if request.method != "POST":
            raise _BadRequest(
                HTTPStatus.METHOD_NOT_ALLOWED, "POST attendu", extra={"Allow": "POST"}
            )
        partner = self._authenticate(request.headers.get("authorization", ""))
        if partner is None:
            self.unauthorized += 1
            log.warning("réception CAP : jeton absent ou inconnu de %s", peer)
            reason = "jeton absent ou invalide"
            raise _BadRequest(
                HTTPStatus.UNAUTHORIZED,
                reason,
                {"status": "unauthorized", "reason": reason},
                {"WWW-Authenticate": 'Bearer realm="csu-hub"'},
            )
        if "transfer-encoding" in request.headers:
            raise _BadRequest(HTTPStatus.LENGTH_REQUIRED,
                              "Content-Length obligatoire (pas d'envoi par morceaux)")  # fmt: skip
        length_text = request.headers.get("content-length")
        if length_text is None:
            raise _BadRequest(HTTPStatus.LENGTH_REQUIRED, "Content-Length obligatoire")
        if not length_text.isdigit() or len(length_text) > 12:
            raise _BadRequest(HTTPStatus.BAD_REQUEST, "Content-Length illisible")
        length = int(length_text)
        if length > MAX_FRAME_BYTES:
            reason = f"document trop grand ({length} octets, maximum {MAX_FRAME_BYTES})"
            self.intake.count_refused(f"http.{partner.name}", reason)
            log.warning("réception CAP http.%s : %s", partner.name, reason)
            raise _BadRequest(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                reason,
                {"status": "too_large", "reason": reason},
            )
        ctype = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if ctype not in CAP_TYPES:
            shown = ctype or "absent"
            raise _BadRequest(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                              f"Content-Type {shown} : application/cap+xml attendu")  # fmt: skip
        if request.headers.get("expect", "").lower() == "100-continue":
            writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            await writer.drain()
        try:
            async with asyncio.timeout(BODY_TIMEOUT_S):
                body = await reader.readexactly(length)
        except TimeoutError:
            raise _BadRequest(
                HTTPStatus.REQUEST_TIMEOUT, "corps incomplet (délai dépassé)"
            ) from None
        result: Submission = await self.intake.submit(body, f"http.{partner.name}", partner)
        status = _ANSWERS.get(result.kind, HTTPStatus.INTERNAL_SERVER_ERROR)
        extra = {"Retry-After": "5"} if result.kind == "unavailable" else None
        keep = request.keep_alive
        await self._answer(writer, status, result.body(), close=not keep, extra=extra)
        return keep

    def _authenticate(self, header: str) -> PartnerConfig | None:
        """The partner whose token it is (every hash compared in constant time)."""
        scheme, _, token = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        digest = hashlib.sha256(token.strip().encode("utf-8", "surrogateescape")).hexdigest()
        found = None
        for partner in self.partners:
            if hmac.compare_digest(digest, partner.token_sha256):
                found = partner
        return found

    async def _answer(
        self,
        writer: asyncio.StreamWriter,
        status: HTTPStatus,
        body: dict[str, Any],
        *,
        close: bool,
        extra: dict[str, str] | None = None,
    ) -> None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8") + b"\n"
        lines = [
            f"HTTP/1.1 {status.value} {status.phrase}",
            "Content-Type: application/json; charset=utf-8",
            f"Content-Length: {len(data)}",
            "Cache-Control: no-store",
            "Server: csu-hub",
        ]
        lines += [f"{k}: {v}" for k, v in (extra or {}).items()]
        if close:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        writer.write(head + data)
        with contextlib.suppress(ConnectionError, ssl.SSLError):
            async with asyncio.timeout(BODY_TIMEOUT_S):
                await writer.drain()


async def _read_head(first: bytes, reader: asyncio.StreamReader) -> _Request:
    try:
        line = first.decode("latin-1").rstrip("\r\n")
    except UnicodeDecodeError:  # pragma: no cover - latin-1 decodes any byte
        raise _BadRequest(HTTPStatus.BAD_REQUEST, "ligne de requête illisible") from None
    parts = line.split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise _BadRequest(HTTPStatus.BAD_REQUEST, "ligne de requête HTTP/1.1 attendue")
    method, target, version = parts
    headers: dict[str, str] = {}
    total = len(first)
    for _ in range(MAX_HEADERS + 1):
        try:
            raw = await reader.readuntil(b"\n")
        except asyncio.LimitOverrunError:
            raise _BadRequest(
                HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "en-tête trop long"
            ) from None
        total += len(raw)
        if total > MAX_HEADER_BYTES:
            raise _BadRequest(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "en-têtes trop longs")
        text = raw.decode("latin-1").rstrip("\r\n")
        if not text:
            return _Request(method, target, version, headers)
        name, sep, value = text.partition(":")
        if not sep or not name or name != name.strip():
            raise _BadRequest(HTTPStatus.BAD_REQUEST, "en-tête mal formé")
        key = name.lower()
        value = value.strip()
        if key == "content-length" and key in headers and headers[key] != value:
            raise _BadRequest(HTTPStatus.BAD_REQUEST, "Content-Length en double")
        headers[key] = (
            f"{headers[key]}, {value}" if key in headers and key != "content-length" else value
        )
    raise _BadRequest(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "trop d'en-têtes")


#: A refused body larger than this is not read: the connection is simply closed.
DISCARD_MAX_BYTES = 16 * 1024 * 1024


async def _discard_body(reader: asyncio.StreamReader, request: _Request) -> None:
    length = request.headers.get("content-length", "")
    if request.headers.get("expect", "").lower() == "100-continue" or not length.isdigit():
        return
    left = int(length)
    if left > DISCARD_MAX_BYTES:
        return
    with contextlib.suppress(
        TimeoutError, ConnectionError, ssl.SSLError, asyncio.IncompleteReadError
    ):
        async with asyncio.timeout(BODY_TIMEOUT_S):
            while left > 0:
                chunk = await reader.read(min(left, 65536))
                if not chunk:
                    return
                left -= len(chunk)


def _peer(writer: asyncio.StreamWriter) -> str:
    addr = writer.get_extra_info("peername")
    try:
        return f"{addr[0]}:{addr[1]}"
    except (TypeError, IndexError):
        return "?"


async def _close(writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(Exception):
        writer.close()
        async with asyncio.timeout(2.0):
            await writer.wait_closed()
