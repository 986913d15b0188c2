"""Helpers of the hub's CAP intake tests: small CAP documents, a real TLS certificate
(trustme), a real feed server (``http.server`` on 127.0.0.1, with ETag and 304)."""

from __future__ import annotations

import hashlib
import http.client
import json
import ssl
import threading
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import trustme

PARTNER_TOKEN = "jeton-du-partenaire-vigicrues-0123456789"
OTHER_TOKEN = "jeton-du-partenaire-prefecture-0123456789"


def cap_doc(
    identifier: str = "FR-NIMES-CRUES-2026-0042",
    sender: str = "crues@nimes.fr",
    sent: str = "2026-12-05T08:00:00+01:00",
    *,
    event: str = "Inondation",
    declaration: str = '<?xml version="1.0" encoding="UTF-8"?>\n',
    without: str = "",
) -> str:
    """A small valid CAP 1.2 alert (a flood on the Vistre); ``without`` drops a field."""
    fields = {
        "identifier": identifier,
        "sender": sender,
        "sent": sent,
        "status": "Actual",
        "msgType": "Alert",
        "scope": "Public",
    }
    head = "".join(f"<{k}>{v}</{k}>" for k, v in fields.items() if k != without)
    return (
        f'{declaration}<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">{head}'
        "<info><language>fr-FR</language><category>Met</category>"
        f"<event>{event}</event><urgency>Immediate</urgency><severity>Severe</severity>"
        "<certainty>Observed</certainty><headline>Crue du Vistre à Nîmes</headline>"
        "<description>Débordement rue de la Cigale.</description>"
        "<area><areaDesc>Quartier Richelieu, Nîmes</areaDesc>"
        "<polygon>43.84,4.35 43.85,4.35 43.85,4.37 43.84,4.37 43.84,4.35</polygon>"
        "</area></info></alert>"
    )


@dataclass
class Tls:
    """A CA, and a server certificate for 127.0.0.1 written as PEM files."""

    ca: trustme.CA
    cert: Path
    key: Path
    ca_file: Path

    def client(self) -> ssl.SSLContext:
        ctx = ssl.create_default_context()
        self.ca.configure_trust(ctx)
        return ctx

    def server(self) -> ssl.SSLContext:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.cert, self.key)
        return ctx


def make_tls(folder: Path) -> Tls:
    folder.mkdir(parents=True, exist_ok=True)
    ca = trustme.CA()
    issued = ca.issue_cert("127.0.0.1", "localhost")
    cert, key, ca_file = folder / "cap.crt", folder / "cap.key", folder / "ca.pem"
    cert.write_bytes(b"".join(p.bytes() for p in issued.cert_chain_pems))
    issued.private_key_pem.write_to_path(str(key))
    ca.cert_pem.write_to_path(str(ca_file))
    return Tls(ca, cert, key, ca_file)


def post(
    port: int,
    body: bytes,
    *,
    tls: ssl.SSLContext,
    token: str | None = PARTNER_TOKEN,
    content_type: str = "application/cap+xml",
    conn: http.client.HTTPSConnection | None = None,
) -> tuple[int, dict[str, Any], http.client.HTTPResponse]:
    """One real ``POST /cap`` (on ``conn`` when given: keep-alive)."""
    c = conn or http.client.HTTPSConnection("127.0.0.1", port, context=tls, timeout=10)
    headers = {"Content-Type": content_type}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    c.request("POST", "/cap", body=body, headers=headers)
    response = c.getresponse()
    data = json.loads(response.read() or b"{}")
    if conn is None:
        c.close()
    return response.status, data, response


@dataclass
class FeedServer:
    """Serves fixed documents by path, with ETag / Last-Modified and 304 answers."""

    tls: ssl.SSLContext | None = None
    #: False: only ``Last-Modified`` is given (304 on ``If-Modified-Since``).
    etags: bool = True
    routes: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    #: (path, If-None-Match or If-Modified-Since, status) of every request.
    log: list[tuple[str, str | None, int]] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None

    def start(self) -> FeedServer:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                route = owner.routes.get(self.path)
                if route is None:
                    self._send(404, b"", "text/plain")
                    return
                ctype, body = route
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                modified = formatdate(1764921600, usegmt=True)
                fresh = (
                    self.headers.get("If-None-Match") == etag
                    if owner.etags
                    else self.headers.get("If-Modified-Since") == modified
                )
                if fresh:
                    owner.log.append((self.path, etag if owner.etags else modified, 304))
                    self.send_response(304)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                asked = self.headers.get("If-None-Match" if owner.etags else "If-Modified-Since")
                owner.log.append((self.path, asked, 200))
                self._send(200, body, ctype, etag)

            def _send(self, code: int, body: bytes, ctype: str, etag: str | None = None) -> None:
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                if etag:
                    if owner.etags:
                        self.send_header("ETag", etag)
                    self.send_header("Last-Modified", formatdate(1764921600, usegmt=True))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        if self.tls is not None:
            server.socket = self.tls.wrap_socket(server.socket, server_side=True)
        self._server = server
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    @property
    def base(self) -> str:
        assert self._server is not None
        scheme = "https" if self.tls is not None else "http"
        return f"{scheme}://127.0.0.1:{self._server.server_address[1]}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def statuses(self, path: str) -> list[int]:
        return [status for p, _etag, status in list(self.log) if p == path]


def atom(entries: list[str]) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Vigicrues Nîmes</title><id>urn:csu:test:feed</id>"
        "<updated>2026-12-05T08:00:00+01:00</updated>" + "".join(entries) + "</feed>"
    ).encode()


def atom_inline(entry_id: str, doc: str) -> str:
    body = doc.split("?>", 1)[1] if doc.startswith("<?xml") else doc
    return (
        f"<entry><id>{entry_id}</id><title>alerte</title>"
        "<updated>2026-12-05T08:00:00+01:00</updated>"
        f'<content type="application/cap+xml">{body}</content></entry>'
    )


def atom_linked(entry_id: str, href: str) -> str:
    return (
        f"<entry><id>{entry_id}</id><title>alerte</title>"
        "<updated>2026-12-05T08:00:00+01:00</updated>"
        f'<link rel="alternate" type="application/cap+xml" href="{href}"/></entry>'
    )
