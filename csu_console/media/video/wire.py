"""One request and its answer's head on an RTSP or HTTP connection, under a deadline.

Just enough protocol for :mod:`classify` to read a camera's status line; the
decoders do the real streaming.
"""

from __future__ import annotations

import re
import socket
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from csu_console.media.video.auth import authorization, parse_challenges

if TYPE_CHECKING:
    from csu_console.media.video.classify import Target

MAX_HEAD = 16_384
MAX_BODY = 65_536
USER_AGENT = "csu-console-probe"
CLOSED = "connexion fermée sans réponse"
_STATUS_RE = re.compile(rb"^(RTSP|HTTP)/\d\.\d\s+(\d{3})\s*(.*)$")


class WireError(Exception):
    """The other end does not speak RTSP/HTTP, or closed the connection."""


@dataclass
class Answer:
    status: int
    reason: str
    headers: dict[str, list[str]] = field(default_factory=dict)
    body: bytes = b""


class Exchange:
    """Requests on one connection; every read is bounded by ``deadline`` (monotonic)."""

    def __init__(self, sock: socket.socket, target: Target, deadline: float) -> None:
        self._sock = sock
        self._target = target
        self._deadline = deadline
        self._cseq = 0
        self._buf = b""

    def _method(self) -> str:
        return "DESCRIBE" if self._target.scheme == "rtsp" else "GET"

    def request(self, auth_header: str | None) -> Answer:
        self._cseq += 1
        t = self._target
        if t.scheme == "rtsp":
            lines = [
                f"DESCRIBE {t.request_uri} RTSP/1.0",
                f"CSeq: {self._cseq}",
                "Accept: application/sdp",
            ]
        else:
            path = t.request_uri.split("/", 3)[3] if t.request_uri.count("/") >= 3 else ""
            lines = [f"GET /{path} HTTP/1.1", f"Host: {t.host}", "Connection: keep-alive"]
        lines.append(f"User-Agent: {USER_AGENT}")
        if auth_header is not None:
            lines.append(f"Authorization: {auth_header}")
        self._send(("\r\n".join(lines) + "\r\n\r\n").encode())
        return self._read_answer()

    def answer_challenge(self, answer: Answer) -> str | None:
        t = self._target
        challenges = parse_challenges(answer.headers.get("www-authenticate", []))
        uri = t.request_uri if t.scheme == "rtsp" else "/" + t.request_uri.split("/", 3)[-1]
        return authorization(challenges, self._method(), uri, t.user or "", t.password or "")

    def _remaining(self) -> float:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        return left

    def _send(self, data: bytes) -> None:
        self._sock.settimeout(self._remaining())
        try:
            self._sock.sendall(data)
        except (ConnectionResetError, BrokenPipeError) as exc:
            raise WireError(CLOSED) from exc

    def _recv_more(self) -> None:
        self._sock.settimeout(self._remaining())
        try:
            chunk = self._sock.recv(4096)
        except ConnectionResetError as exc:
            raise WireError(CLOSED) from exc
        if not chunk:
            raise WireError(CLOSED)
        self._buf += chunk

    def _read_answer(self) -> Answer:
        while b"\r\n\r\n" not in self._buf:
            if len(self._buf) > MAX_HEAD:
                raise WireError("réponse illisible (en-tête trop long)")
            self._recv_more()
            if not _STATUS_RE.match(self._buf.split(b"\r\n", 1)[0]) and b"\r\n" in self._buf:
                raise WireError("réponse inattendue (pas un serveur RTSP/HTTP ?)")
        head, self._buf = self._buf.split(b"\r\n\r\n", 1)
        status_line, *header_lines = head.split(b"\r\n")
        m = _STATUS_RE.match(status_line)
        if m is None:
            raise WireError("réponse inattendue (pas un serveur RTSP/HTTP ?)")
        headers: dict[str, list[str]] = {}
        for line in header_lines:
            name, _, value = line.decode("latin-1").partition(":")
            headers.setdefault(name.strip().lower(), []).append(value.strip())
        answer = Answer(int(m.group(2)), m.group(3).decode("latin-1").strip(), headers)
        # An HTTP 2xx body is the stream itself: leave it; read the others (SDP, errors).
        if self._target.scheme == "rtsp" or answer.status >= 300:
            try:
                length = min(int(headers.get("content-length", ["0"])[0]), MAX_BODY)
            except ValueError:
                length = 0
            while len(self._buf) < length:
                self._recv_more()
            answer.body, self._buf = self._buf[:length], self._buf[length:]
        return answer
