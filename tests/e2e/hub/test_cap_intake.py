"""The hub's CAP intake, for real: a partner's HTTPS ``POST /cap`` with its token, an
Atom feed on 127.0.0.1 polled with ETag, an upstream gateway; the same document by
every channel is one message in ``CSU_ALERTS``, seen once by a station."""

from __future__ import annotations

import base64
import dataclasses
import http.client
import json
import socket
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fake_hub import FakeHub
from hub_cap_support import (
    OTHER_TOKEN,
    PARTNER_TOKEN,
    FeedServer,
    Tls,
    atom,
    atom_inline,
    atom_linked,
    cap_doc,
    make_tls,
    post,
)
from hub_support import HubThread, hub_config
from support import wait_until

from csu_console.core.cap import CAP_NAMESPACE
from csu_console.core.protocol import MAX_FRAME_BYTES
from csu_console.hub.cap_config import CapHttpConfig, FeedConfig, PartnerConfig
from csu_console.hub.cap_feeds import FeedPoller
from csu_console.hub.cap_seen import CAP_SEEN_BUCKET, CapTriplet
from csu_console.hub.config import token_hash
from csu_console.hub.jetstream import ALERTS_STREAM, REJECTED_STREAM
from csu_console.hub.nats_server import NatsServer

pytestmark = pytest.mark.expected_logs("csu.hub.cap")

PARTNERS = (
    PartnerConfig("vigicrues-nimes", token_hash(PARTNER_TOKEN)),
    PartnerConfig("prefecture", token_hash(OTHER_TOKEN), senders=("pref30@interieur.gouv.fr",)),
)


@pytest.fixture
def tls(tmp_path: Path) -> Tls:
    return make_tls(tmp_path / "tls")


@pytest.fixture
def feed_server(tls: Tls) -> Iterator[FeedServer]:
    server = FeedServer(tls.server()).start()
    yield server
    server.stop()


@pytest.fixture
def cap_hub(tmp_path: Path, nats_server: NatsServer, tls: Tls) -> Iterator[Any]:
    started: list[HubThread] = []

    def make(feeds: tuple[FeedConfig, ...] = (), upstreams: list[str] | None = None) -> HubThread:
        config = dataclasses.replace(
            hub_config(tmp_path, "hub-a", upstreams or []),
            cap_http=CapHttpConfig("127.0.0.1", 0, tls.cert, tls.key),
            partners=PARTNERS,
            feeds=feeds,
        )
        hub = HubThread(config, nats_server.url).start()
        started.append(hub)
        return hub

    yield make
    for hub in started:
        hub.stop()


def cap_port(hub: HubThread) -> int:
    assert hub.server.cap_http is not None and hub.server.cap_http.port is not None
    return hub.server.cap_http.port


def stream_messages(hub: HubThread, stream: str) -> list[tuple[str, dict[str, Any]]]:
    """(subject, JSON body) of every message of ``stream``."""

    async def read() -> list[tuple[str, dict[str, Any]]]:
        assert hub.server.nc is not None
        js = hub.server.nc.jetstream()
        info = await js.stream_info(stream)
        out = []
        for seq in range(info.state.first_seq, info.state.last_seq + 1):
            if info.state.messages == 0:
                break
            msg = await js.get_msg(stream, seq)
            out.append((msg.subject or "", json.loads(msg.data or b"{}")))
        return out

    return hub.call(read())


def test_a_partner_posts_over_https_and_gets_each_answer(cap_hub: Any, tls: Tls) -> None:
    hub = cap_hub()
    port, ctx = cap_port(hub), tls.client()
    doc = cap_doc().encode()

    status, body, _ = post(port, doc, tls=ctx, token=None)
    assert status == 401 and body["reason"] == "jeton absent ou invalide"
    status, _, response = post(port, doc, tls=ctx, token=PARTNER_TOKEN + "x")
    assert status == 401 and response.getheader("WWW-Authenticate") == 'Bearer realm="csu-hub"'
    assert stream_messages(hub, ALERTS_STREAM) == []

    status, body, _ = post(port, doc, tls=ctx)
    assert status == 201, body
    assert body["status"] == "stored" and body["message"] == "alerte enregistrée"
    assert (body["sender"], body["identifier"]) == ("crues@nimes.fr", "FR-NIMES-CRUES-2026-0042")
    assert body["sent"] == "2026-12-05T07:00:00+00:00"  # the instant, in UTC
    [(subject, frame)] = stream_messages(hub, ALERTS_STREAM)
    assert subject == "csu.alerts.http.vigicrues-nimes"
    assert frame == {"type": "cap", "xml": doc.decode()}  # the bytes as posted, in a v1 frame

    # The same document again, on one kept-alive connection with another one after it.
    conn = http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=10)
    status, body, _ = post(port, doc, tls=ctx, conn=conn)
    assert (status, body["status"], body["message"]) == (200, "duplicate", "déjà reçu")
    # Same triplet written with another offset: the same message.
    same = cap_doc(sent="2026-12-05T07:00:00Z").encode()
    status, body, _ = post(port, same, tls=ctx, conn=conn)
    assert (status, body["status"]) == (200, "duplicate")
    conn.close()
    assert len(stream_messages(hub, ALERTS_STREAM)) == 1

    # Invalid CAP: 400 with the parser's reason, the document kept with it.
    bad = cap_doc(identifier="FR-NIMES-2", without="sent").encode()
    status, body, _ = post(port, bad, tls=ctx)
    assert status == 400 and body["reason"] == "cap.sent : champ obligatoire manquant"
    [(subject, kept)] = stream_messages(hub, REJECTED_STREAM)
    assert subject == "csu.rejected.http.vigicrues-nimes"
    assert kept["reason"] == body["reason"] and base64.b64decode(kept["raw_b64"]) == bad
    assert kept["partner"] == "vigicrues-nimes"

    # Hostile XML stays refused.
    xxe = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>'
    status, body, _ = post(port, xxe, tls=ctx)
    assert status == 400 and "XML refusé" in body["reason"]

    # Over the frame limit: 413 without reading the document as CAP.
    status, body, _ = post(port, b" " * (MAX_FRAME_BYTES + 1), tls=ctx)
    assert status == 413 and "trop grand" in body["reason"]
    status, body, _ = post(port, doc, tls=ctx, content_type="application/json")
    assert status == 415

    # A sender the partner may not use.
    status, body, _ = post(port, cap_doc(identifier="P-1").encode(), tls=ctx, token=OTHER_TOKEN)
    assert status == 403 and "non autorisé pour le partenaire prefecture" in body["reason"]

    ok, health = hub.health()
    assert ok
    partner = health["cap"]["partners"]["vigicrues-nimes"]
    assert (partner["stored"], partner["duplicate"], partner["rejected"]) == (1, 2, 3)
    assert health["cap"]["http"]["unauthorized"] == 2
    assert health["cap"]["partners"]["prefecture"]["rejected"] == 1


def test_a_latin1_document_goes_as_its_bytes(cap_hub: Any, tls: Tls) -> None:
    hub = cap_hub()
    doc = cap_doc(
        identifier="FR-LATIN1-1",
        event="Inondation à Nîmes",
        declaration='<?xml version="1.0" encoding="ISO-8859-1"?>\n',
    ).encode("iso-8859-1")
    status, body, _ = post(cap_port(hub), doc, tls=tls.client(), content_type="text/xml")
    assert status == 201, body
    [(_subject, frame)] = stream_messages(hub, ALERTS_STREAM)
    assert set(frame) == {"type", "xml_base64"}
    assert base64.b64decode(frame["xml_base64"]) == doc  # SHA-256 over the bytes as sent


def test_a_triplet_recorded_days_ago_is_a_duplicate_past_the_window(cap_hub: Any, tls: Tls) -> None:
    """The record outlives JetStream's minutes-long window (and the hub): a document
    already in ``csu_cap_seen`` is answered « déjà reçu » and not stored again."""
    hub = cap_hub()
    seen = CapTriplet("crues@nimes.fr", "FR-OLD-1", "2026-12-01T07:00:00+00:00")

    async def record() -> None:
        assert hub.server.nc is not None
        kv = await hub.server.nc.jetstream().key_value(CAP_SEEN_BUCKET)
        await kv.put(seen.kv_key, b'{"channel":"feed.vigicrues"}')

    hub.call(record())
    doc = cap_doc(identifier="FR-OLD-1", sent="2026-12-01T08:00:00+01:00").encode()
    status, body, _ = post(cap_port(hub), doc, tls=tls.client())
    assert (status, body["status"]) == (200, "duplicate")
    assert stream_messages(hub, ALERTS_STREAM) == []

    status, body, _ = post(cap_port(hub), cap_doc(identifier="FR-NEW-1").encode(), tls=tls.client())
    assert status == 201
    hub.stop()
    hub = cap_hub()  # a new hub process on the same NATS: the record is still there
    status, body, _ = post(cap_port(hub), cap_doc(identifier="FR-NEW-1").encode(), tls=tls.client())
    assert (status, body["status"]) == (200, "duplicate")

    async def known() -> set[CapTriplet]:
        assert hub.server.nc is not None
        from csu_console.hub.cap_seen import SeenTriplets

        t = CapTriplet("crues@nimes.fr", "FR-NEW-1", "2026-12-05T07:00:00+00:00")
        return await SeenTriplets(hub.server.nc.jetstream()).known([t])

    assert len(hub.call(known())) == 1


def test_an_atom_feed_is_polled_with_etag_and_stores_each_document_once(
    cap_hub: Any, tls: Tls, feed_server: FeedServer
) -> None:
    linked = cap_doc(identifier="FR-NIMES-LINKED-7").encode()
    feed_server.routes["/docs/7.cap"] = ("application/cap+xml", linked)
    feed_server.routes["/feed.atom"] = (
        "application/atom+xml",
        atom(
            [
                atom_inline("urn:e:1", cap_doc(identifier="FR-NIMES-INLINE-1")),
                atom_linked("urn:e:7", "/docs/7.cap"),
                "<entry><id>urn:e:9</id><title>sans CAP</title></entry>",
            ]
        ),
    )
    feed = FeedConfig(
        "vigicrues", f"{feed_server.base}/feed.atom", 3600.0, "vigicrues-nimes", tls.ca_file
    )
    hub = cap_hub(feeds=(feed,))
    assert hub.server.feeds is not None
    poller: FeedPoller = hub.server.feeds.pollers["vigicrues"]
    wait_until(lambda: poller.counters.last_ok, 10, "première lecture du flux")
    messages = stream_messages(hub, ALERTS_STREAM)
    assert [s for s, _ in messages] == ["csu.alerts.feed.vigicrues"] * 2
    ids = sorted(
        ET.fromstring(m["xml"]).findtext(f"{{{CAP_NAMESPACE}}}identifier") or ""
        for _, m in messages
    )
    assert ids == ["FR-NIMES-INLINE-1", "FR-NIMES-LINKED-7"]
    assert messages[1][1]["xml"].encode() == linked or messages[0][1]["xml"].encode() == linked

    hub.call(poller.poll_once())  # the second poll: 304, nothing fetched again
    assert feed_server.statuses("/feed.atom") == [200, 304]
    assert feed_server.statuses("/docs/7.cap") == [200]
    assert feed_server.log[-1][1] is not None  # If-None-Match sent
    assert len(stream_messages(hub, ALERTS_STREAM)) == 2

    # The feed changes (a new entry, the old ones still listed): only the new one is read.
    feed_server.routes["/feed.atom"] = (
        "application/atom+xml",
        atom(
            [
                atom_inline("urn:e:1", cap_doc(identifier="FR-NIMES-INLINE-1")),
                atom_linked("urn:e:7", "/docs/7.cap"),
                atom_inline("urn:e:2", cap_doc(identifier="FR-NIMES-INLINE-2")),
            ]
        ),
    )
    hub.call(poller.poll_once())
    assert len(stream_messages(hub, ALERTS_STREAM)) == 3
    assert feed_server.statuses("/docs/7.cap") == [200]
    status = hub.health()[1]["cap"]["feeds"]["vigicrues"]
    assert (status["polls"], status["not_modified"], status["stored"]) == (3, 1, 3)
    assert status["errors"] == 0


def test_a_feed_that_fails_backs_off_and_says_why(
    cap_hub: Any, tls: Tls, feed_server: FeedServer
) -> None:
    feed = FeedConfig("absent", f"{feed_server.base}/nulle-part.atom", 60.0, None, tls.ca_file)
    hub = cap_hub(feeds=(feed,))
    assert hub.server.feeds is not None
    poller = hub.server.feeds.pollers["absent"]
    wait_until(lambda: poller.counters.errors, 10, "échec de lecture")
    assert "HTTP 404" in poller.counters.last_error
    assert 2 * 60 * 0.9 <= poller._delay() <= 2 * 60 * 1.1  # doubled
    feed_server.routes["/nulle-part.atom"] = ("application/atom+xml", b"<html><body/></html>")
    hub.call(poller.poll_once())
    assert "ni Atom, ni RSS 2.0" in poller.counters.last_error
    assert poller.counters.consecutive_errors == 2
    assert 4 * 60 * 0.9 <= poller._delay() <= 4 * 60 * 1.1
    feed_server.routes["/nulle-part.atom"] = ("application/atom+xml", atom([]))
    hub.call(poller.poll_once())
    assert poller.counters.consecutive_errors == 0 and poller._delay() <= 66


@pytest.fixture
def gateway() -> Iterator[FakeHub]:
    """A plain protocol-v1 gateway (set up first: it goes after the hub)."""
    server = FakeHub("passerelle", welcome=False).start()
    yield server
    server.close()


def test_the_same_document_through_post_feed_and_gateway_is_stored_once(
    gateway: FakeHub, cap_hub: Any, tls: Tls, feed_server: FeedServer, make_station: Any
) -> None:
    doc = cap_doc(identifier="FR-NIMES-CRUES-2026-0099")
    feed_server.routes["/feed.atom"] = ("application/atom+xml", atom([atom_inline("urn:x", doc)]))
    feed = FeedConfig("vigicrues", f"{feed_server.base}/feed.atom", 3600.0, None, tls.ca_file)
    hub = cap_hub(upstreams=[gateway.url])
    status, body, _ = post(cap_port(hub), doc.encode(), tls=tls.client())
    assert status == 201, body

    # The feed lists it (polled by a poller of this hub's intake).
    assert hub.server.cap is not None
    poller = FeedPoller(feed, None, hub.server.cap)
    hub.call(poller.poll_once())
    assert hub.server.cap.counters_of("feed.vigicrues")["duplicate"] == 1

    # The gateway sends it too: acknowledged upstream, not stored again.
    wait_until(lambda: gateway.connections, 10, "liaison amont")
    gateway.push(json.dumps({"type": "cap", "seq": 1, "xml": doc}))
    wait_until(lambda: 1 in gateway.acked, 10, "ack de la passerelle")
    assert hub.health()[1]["upstreams"]["amont0"]["duplicate"] == 1

    [(subject, frame)] = stream_messages(hub, ALERTS_STREAM)
    assert subject == "csu.alerts.http.vigicrues-nimes" and frame["xml"] == doc

    # A station sees it once.
    _link, listener, _writer = make_station(hub.url, "poste-1")
    wait_until(lambda: listener.outcomes, 10, "alerte au poste")
    [outcome] = listener.outcomes
    assert outcome.kind == "stored" and outcome.alert_id == "FR-NIMES-CRUES-2026-0099"


def test_a_gateway_document_is_recorded_for_the_other_channels(
    gateway: FakeHub, cap_hub: Any, tls: Tls
) -> None:
    """The other way round: the gateway first, then the partner posts it."""
    doc = cap_doc(identifier="FR-NIMES-CRUES-2026-0100")
    hub = cap_hub(upstreams=[gateway.url])
    wait_until(lambda: gateway.connections, 10, "liaison amont")
    gateway.push(json.dumps({"type": "cap", "seq": 1, "xml": doc}))
    wait_until(lambda: 1 in gateway.acked, 10, "ack de la passerelle")
    status, body, _ = post(cap_port(hub), doc.encode(), tls=tls.client())
    assert (status, body["status"]) == (200, "duplicate")
    [(subject, _frame)] = stream_messages(hub, ALERTS_STREAM)
    assert subject == "csu.alerts.amont0"


def test_a_large_document_is_stored_and_one_too_large_as_a_frame_is_refused(
    cap_hub: Any, tls: Tls
) -> None:
    hub = cap_hub()
    port, ctx = cap_port(hub), tls.client()
    blob = base64.b64encode(b"\x89PNG" * 150_000).decode()  # an embedded 600 KB image
    resource = (
        "<resource><resourceDesc>carte</resourceDesc><mimeType>image/png</mimeType>"
        f"<derefUri>{blob}</derefUri></resource>"
    )
    big = cap_doc(identifier="FR-BIG-1").replace("</info>", resource + "</info>").encode()
    assert 700_000 < len(big) < MAX_FRAME_BYTES
    status, body, _ = post(port, big, tls=ctx)
    assert status == 201, body
    [(_s, frame)] = stream_messages(hub, ALERTS_STREAM)
    assert frame["xml"].encode() == big

    # Under 1 MiB as a document, over it once its quotes and line breaks are escaped.
    lines = '\n"' * 340_000
    swollen = cap_doc(identifier="FR-BIG-2").replace("</description>", lines + "</description>")
    assert len(swollen.encode()) < MAX_FRAME_BYTES
    status, body, _ = post(port, swollen.encode(), tls=ctx)
    assert status == 413 and "trame trop grande" in body["reason"], body
    assert len(stream_messages(hub, ALERTS_STREAM)) == 1


def test_an_rss_feed_with_last_modified_and_an_enclosure(cap_hub: Any, tls: Tls) -> None:
    server = FeedServer(tls.server(), etags=False).start()
    try:
        doc = cap_doc(identifier="FR-PREF30-2026-11", sender="pref30@interieur.gouv.fr")
        server.routes["/cap/11.xml"] = ("application/cap+xml", doc.encode())
        server.routes["/rss"] = (
            "application/rss+xml",
            (
                '<?xml version="1.0"?><rss version="2.0"><channel><title>Préfecture</title>'
                "<item><guid>urn:11</guid><pubDate>Sat, 05 Dec 2026 07:00:00 GMT</pubDate>"
                '<enclosure url="/cap/11.xml" type="application/cap+xml" length="1"/></item>'
                "</channel></rss>"
            ).encode(),
        )
        feed = FeedConfig("prefecture", f"{server.base}/rss", 3600.0, "prefecture", tls.ca_file)
        hub = cap_hub(feeds=(feed,))
        assert hub.server.feeds is not None
        poller = hub.server.feeds.pollers["prefecture"]
        wait_until(lambda: poller.counters.last_ok, 10, "première lecture du flux")
        [(subject, frame)] = stream_messages(hub, ALERTS_STREAM)
        assert subject == "csu.alerts.feed.prefecture" and frame["xml"] == doc
        hub.call(poller.poll_once())
        assert server.statuses("/rss") == [200, 304]  # If-Modified-Since
        assert server.log[-1][1] == "Fri, 05 Dec 2025 08:00:00 GMT"
        assert hub.health()[1]["cap"]["feeds"]["prefecture"]["stored"] == 1
    finally:
        server.stop()


def test_the_http_server_holds_against_odd_requests(cap_hub: Any, tls: Tls) -> None:
    hub = cap_hub()
    port, ctx = cap_port(hub), tls.client()

    def raw(data: bytes, then: bytes | None = None) -> bytes:
        with (
            socket.create_connection(("127.0.0.1", port), timeout=10) as plain,
            ctx.wrap_socket(plain, server_hostname="127.0.0.1") as s,
        ):
            s.sendall(data)
            got = b""
            if then is not None:  # wait for « 100 Continue », then send the body
                while b"\r\n\r\n" not in got:
                    got += s.recv(65536)
                s.sendall(then)
            while chunk := s.recv(65536):
                got += chunk
            return got

    assert raw(b"N'IMPORTE QUOI\r\n\r\n").startswith(b"HTTP/1.1 400 ")
    assert raw(b"GET /cap HTTP/1.1\r\nHost: x\r\n\r\n").startswith(b"HTTP/1.1 405 ")
    assert raw(b"GET /autre HTTP/1.1\r\nHost: x\r\n\r\n").startswith(b"HTTP/1.1 404 ")
    auth = f"Authorization: Bearer {PARTNER_TOKEN}\r\n".encode()
    chunked = b"POST /cap HTTP/1.1\r\n" + auth + b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
    assert raw(chunked).startswith(b"HTTP/1.1 411 ")
    assert raw(b"POST /cap HTTP/1.1\r\n" + b"X: y\r\n" * 2000 + b"\r\n").startswith(
        b"HTTP/1.1 431 "
    )

    doc = cap_doc(identifier="FR-CONTINUE-1").encode()
    head = (
        b"POST /cap HTTP/1.1\r\nHost: x\r\n" + auth + b"Content-Type: application/cap+xml\r\n"
        b"Expect: 100-continue\r\nConnection: close\r\n"
        + f"Content-Length: {len(doc)}\r\n\r\n".encode()
    )
    answer = raw(head, doc)
    assert answer.startswith(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\n"), answer
    assert b'"identifier": "FR-CONTINUE-1"' in answer
    assert len(stream_messages(hub, ALERTS_STREAM)) == 1
