"""A fake of an IP camera's RTSP front door, and a silent server.

**This is a fake**, for what the real RTSP test server cannot be made to do on
demand: answer ``401`` with a Digest challenge (GStreamer's server only does
Basic), ``404``, a description without any video track, a non-RTSP banner, or
hang up at once. It answers ``OPTIONS`` and ``DESCRIBE`` on real sockets of
127.0.0.1 and streams nothing. Real playback is tested against the real server
in ``tests/e2e/test_video_*.py``.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import socket
import threading

SDP_VIDEO = (
    b"v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=fake\r\nt=0 0\r\n"
    b"m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"
)
SDP_AUDIO_ONLY = b"v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=fake\r\nt=0 0\r\nm=audio 0 RTP/AVP 0\r\n"
MODES = ("digest", "404", "no-video", "garbage", "close", "silent")


def _md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


class FakeRtspCamera:
    """Listens on 127.0.0.1 (a free port); ``mode`` is one of :data:`MODES`.

    ``digest``: every DESCRIBE gets ``401`` + a Digest challenge unless it carries
    a correct answer for ``user``/``password`` (checked independently of the code
    under test), then ``200`` with an SDP holding one H.264 track. ``silent``
    accepts connections and never says a word.
    """

    def __init__(self, mode: str, user: str = "admin", password: str = "secret") -> None:
        assert mode in MODES, mode
        self.mode = mode
        self.user, self.password = user, password
        self.realm, self.nonce = "FakeCam", "4f1e2d3c"
        self.requests: list[str] = []  # request lines, in order
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._server.getsockname()[1])
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()
        threading.Thread(target=self._accept_loop, daemon=True).start()

    def url(self, path: str = "stream", userinfo: str = "") -> str:
        at = f"{userinfo}@" if userinfo else ""
        return f"rtsp://{at}127.0.0.1:{self.port}/{path}"

    def close(self) -> None:
        self._server.close()
        with self._lock:
            for conn in self._conns:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
                conn.close()

    def _accept_loop(self) -> None:
        while True:
            try:
                conn, _ = self._server.accept()
            except OSError:
                return  # closed
            with self._lock:
                self._conns.append(conn)
            if self.mode != "silent":
                threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        if self.mode == "close":
            conn.close()
            return
        if self.mode == "garbage":
            conn.sendall(b"SSH-2.0-OpenSSH_9.2\r\n\r\n")
            return
        buf = b""
        with contextlib.suppress(OSError):
            while True:
                while b"\r\n\r\n" not in buf:
                    chunk = conn.recv(4096)
                    if not chunk:
                        return
                    buf += chunk
                head, buf = buf.split(b"\r\n\r\n", 1)
                conn.sendall(self._answer(head.decode("latin-1")))

    def _answer(self, head: str) -> bytes:
        lines = head.split("\r\n")
        self.requests.append(lines[0])
        method, uri = lines[0].split(" ")[:2]
        headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines)}
        cseq = headers.get("cseq", "0")
        if method == "OPTIONS":
            return self._reply(
                cseq, "200 OK", "Public: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN\r\n"
            )
        if method != "DESCRIBE":
            return self._reply(cseq, "405 Method Not Allowed")
        if self.mode == "404":
            return self._reply(cseq, "404 Not Found")
        if self.mode == "no-video":
            return self._reply(cseq, "200 OK", body=SDP_AUDIO_ONLY)
        if self._authorized(headers.get("authorization", ""), method, uri):
            return self._reply(cseq, "200 OK", body=SDP_VIDEO)
        challenge = f'WWW-Authenticate: Digest realm="{self.realm}", nonce="{self.nonce}"\r\n'
        return self._reply(cseq, "401 Unauthorized", challenge)

    def _authorized(self, value: str, method: str, uri: str) -> bool:
        if not value.startswith("Digest "):
            return False
        fields = dict(re.findall(r'(\w+)="?([^",]*)"?', value))
        ha1 = _md5(f"{self.user}:{self.realm}:{self.password}")
        ha2 = _md5(f"{method}:{fields.get('uri', '')}")
        return (
            fields.get("username") == self.user
            and fields.get("uri") == uri
            and fields.get("response") == _md5(f"{ha1}:{self.nonce}:{ha2}")
        )

    @staticmethod
    def _reply(cseq: str, status: str, extra: str = "", body: bytes = b"") -> bytes:
        head = f"RTSP/1.0 {status}\r\nCSeq: {cseq}\r\n{extra}"
        if body:
            head += f"Content-Type: application/sdp\r\nContent-Length: {len(body)}\r\n"
        return (head + "\r\n").encode() + body


def closed_port() -> int:
    """A port of 127.0.0.1 where nothing listens (connections are refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
