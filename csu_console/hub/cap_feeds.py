"""Atom and RSS 2.0 feeds of CAP documents, polled by the hub (``[[feeds]]``).

Every ``interval_s`` each feed is read with a conditional request (its last
``ETag`` as ``If-None-Match``, its ``Last-Modified`` as ``If-Modified-Since``; a
304 costs nothing more). The feed is parsed with defusedxml (no DTD, no entity);
an entry either embeds its CAP document (a ``cap:alert`` element inline, or a
``content`` of type ``application/cap+xml``) or links to it (an Atom ``link``, an
RSS ``enclosure`` of type ``application/cap+xml``, or a link ending in ``.cap`` or
``.xml``), which is fetched — conditionally too. A URL that is itself a CAP
document is taken as a feed of one. Entries already handled in the same version
(Atom ``updated``, RSS ``pubDate``) are skipped; every document goes through
:class:`~csu_console.hub.cap_intake.CapIntake`, which stores each CAP triplet once
whichever channel brought it. On an error the feed backs off (doubling, up to 15
minutes); the network and the parsing of the feed run in a worker thread: the
hub's loop never waits on a partner's server.
"""

from __future__ import annotations

import asyncio
import logging
import random
import ssl
import urllib.error
import urllib.request
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import Element, ParseError, tostring

import defusedxml
from defusedxml.ElementTree import fromstring

from csu_console.core.cap import CAP_NAMESPACE
from csu_console.core.protocol import MAX_FRAME_BYTES
from csu_console.hub.cap_config import FeedConfig, PartnerConfig
from csu_console.hub.cap_intake import CapIntake
from csu_console.hub.tasks import end_tasks

log = logging.getLogger("csu.hub.cap")

ATOM = "{http://www.w3.org/2005/Atom}"
CAP_ALERT = f"{{{CAP_NAMESPACE}}}alert"
CAP_TYPE = "application/cap+xml"
MAX_FEED_BYTES = 8 * 1024 * 1024
FETCH_TIMEOUT_S = 30.0
MAX_BACKOFF_S = 900.0
#: Linked documents' validators kept per feed (the most recent ones).
LINK_CACHE = 2000
USER_AGENT = "csu-hub (CAP feed reader)"


class FeedError(Exception):
    """A feed or a linked document could not be read (the reason, in French)."""


@dataclass(frozen=True)
class Fetched:
    """One HTTP answer: 200 with its body and validators, or 304."""

    status: int
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class FeedEntry:
    """One entry of a feed: its key and version, and its document (inline or linked)."""

    key: str
    version: str
    inline: bytes | None = None
    link: str | None = None


@dataclass
class FeedCounters:
    """One feed's polling since the hub started (``/health``, ``csu-hub status``)."""

    polls: int = 0
    not_modified: int = 0
    errors: int = 0
    consecutive_errors: int = 0
    entries: int = 0
    fetched_documents: int = 0
    last_ok: str | None = None
    last_error: str = ""


def _opener(ca_file: str | None) -> urllib.request.OpenerDirector:
    """HTTP and HTTPS only (a feed's link to ``file:`` or ``ftp:`` is refused),
    redirects followed, the environment's proxies honoured."""
    ctx = ssl.create_default_context(cafile=ca_file)
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(context=ctx),
        urllib.request.HTTPRedirectHandler(),
        urllib.request.HTTPErrorProcessor(),
        urllib.request.HTTPDefaultErrorHandler(),
    ):
        opener.add_handler(handler)
    return opener


def fetch(
    opener: urllib.request.OpenerDirector,
    url: str,
    etag: str | None,
    last_modified: str | None,
    max_bytes: int,
) -> Fetched:
    """GET ``url`` conditionally (blocking: run in a worker thread)."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise FeedError(f"adresse non http(s) refusée : {url}")
    headers = {"User-Agent": USER_AGENT, "Accept": f"{CAP_TYPE}, application/atom+xml, "
               "application/rss+xml, application/xml;q=0.9, */*;q=0.5"}  # fmt: skip
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    request = urllib.request.Request(url, headers=headers)
    try:
        with opener.open(request, timeout=FETCH_TIMEOUT_S) as response:
            body = response.read(max_bytes + 1)
            if len(body) > max_bytes:
                raise FeedError(f"{url} : plus de {max_bytes} octets")
            return Fetched(
                200, body, response.headers.get("ETag"), response.headers.get("Last-Modified")
            )
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Fetched(304)
        raise FeedError(f"{url} : HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise FeedError(f"{url} : {exc.reason}") from None
    except (OSError, ValueError) as exc:  # timeouts, resets, bad URLs
        raise FeedError(f"{url} : {type(exc).__name__} {exc}".strip()) from None


def parse_feed(body: bytes, base_url: str) -> list[FeedEntry]:
    """The entries of an Atom feed, an RSS 2.0 feed, or a lone CAP document."""
    try:
        root: Element = fromstring(
            body, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except defusedxml.DefusedXmlException as exc:
        raise FeedError(f"flux refusé ({type(exc).__name__})") from None
    except ParseError as exc:
        raise FeedError(f"flux XML mal formé : {exc}") from None
    if root.tag == CAP_ALERT:
        return [FeedEntry(base_url, "", inline=body)]
    if root.tag == f"{ATOM}feed":
        return [_atom_entry(e, base_url) for e in root.findall(f"{ATOM}entry")]
    if root.tag == "rss":
        return [_rss_item(i, base_url) for i in root.findall("channel/item")]
    raise FeedError(f"ni Atom, ni RSS 2.0, ni document CAP : racine <{root.tag}>")


def _inline(parent: Element) -> bytes | None:
    alert = parent.find(f".//{CAP_ALERT}")
    if alert is None:
        return None
    try:  # <alert xmlns="…"> as CAP writes it, when every element is CAP's
        text = tostring(alert, encoding="unicode", default_namespace=CAP_NAMESPACE)
    except ValueError:  # another namespace inside (a signature): prefixes
        text = tostring(alert, encoding="unicode")
    return text.encode("utf-8")


def _is_cap_link(href: str, mime: str | None) -> bool:
    if mime:
        return mime.split(";")[0].strip().lower() == CAP_TYPE
    return urlsplit(href).path.lower().endswith((".cap", ".xml"))


def _atom_entry(entry: Element, base_url: str) -> FeedEntry:
    key = (entry.findtext(f"{ATOM}id") or "").strip()
    version = (entry.findtext(f"{ATOM}updated") or entry.findtext(f"{ATOM}published") or "").strip()
    inline = _inline(entry)
    link = None
    content = entry.find(f"{ATOM}content")
    if inline is None and content is not None and _is_cap_link("", content.get("type")):
        if content.get("src"):
            link = urljoin(base_url, content.get("src", ""))
        elif (content.text or "").lstrip().startswith("<"):
            inline = (content.text or "").strip().encode("utf-8")  # escaped XML
    if inline is None and link is None:
        for el in entry.findall(f"{ATOM}link"):
            href = (el.get("href") or "").strip()
            if href and _is_cap_link(href, el.get("type")):
                link = urljoin(base_url, href)
                break
    return FeedEntry(key or link or version, version, inline, link)


def _rss_item(item: Element, base_url: str) -> FeedEntry:
    link_text = (item.findtext("link") or "").strip()
    key = (item.findtext("guid") or "").strip() or link_text
    version = (item.findtext("pubDate") or "").strip()
    inline = _inline(item)
    link = None
    if inline is None:
        for enc in item.findall("enclosure"):
            href = (enc.get("url") or "").strip()
            if href and _is_cap_link(href, enc.get("type") or None):
                link = urljoin(base_url, href)
                break
    if inline is None and link is None and link_text and _is_cap_link(link_text, None):
        link = urljoin(base_url, link_text)
    return FeedEntry(key or link or version, version, inline, link)


@dataclass
class _Validators:
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class FeedPoller:
    """Polls one feed for ever (:meth:`run`), or once (:meth:`poll_once`)."""

    feed: FeedConfig
    partner: PartnerConfig | None
    intake: CapIntake
    counters: FeedCounters = field(default_factory=FeedCounters)
    _feed_validators: _Validators = field(default_factory=_Validators)
    _links: OrderedDict[str, _Validators] = field(default_factory=OrderedDict)
    #: entry key → version handled for good (stored, duplicate or refused).
    _done: dict[str, str] = field(default_factory=dict)
    _opener: urllib.request.OpenerDirector | None = None

    @property
    def channel(self) -> str:
        return f"feed.{self.feed.name}"

    def status(self) -> dict[str, Any]:
        c = self.counters
        return {
            "url": self.feed.url,
            "interval_s": self.feed.interval_s,
            "partner": self.feed.partner,
            "polls": c.polls,
            "not_modified": c.not_modified,
            "errors": c.errors,
            "consecutive_errors": c.consecutive_errors,
            "entries": c.entries,
            "fetched_documents": c.fetched_documents,
            "last_ok": c.last_ok,
            "last_error": c.last_error,
        } | self.intake.counters_of(self.channel)

    async def run(self) -> None:
        log.info(
            "flux CAP %s : %s toutes les %g s", self.feed.name, self.feed.url, self.feed.interval_s
        )
        while True:
            try:
                await self.poll_once()
            except asyncio.CancelledError:
                raise
            except Exception:  # the poller outlives any surprise
                log.exception("flux CAP %s : lecture interrompue", self.feed.name)
                self.counters.errors += 1
                self.counters.consecutive_errors += 1
            await asyncio.sleep(self._delay())

    def _delay(self) -> float:
        n = self.counters.consecutive_errors
        base = self.feed.interval_s
        if n:
            base = min(base * 2**n, max(MAX_BACKOFF_S, self.feed.interval_s))
        return base * random.uniform(0.9, 1.1)

    async def poll_once(self) -> None:
        """Read the feed once and submit what is new; errors are counted and logged.

        The feed's validators (and a linked document's) are kept only once every
        document they cover was handled: a document JetStream could not store is
        fetched again at the next poll, not answered 304."""
        self.counters.polls += 1
        try:
            got = await self._fetch(self.feed.url, self._feed_validators, MAX_FEED_BYTES)
            if got is None:
                self.counters.not_modified += 1
                self._ok()
                return
            loop = asyncio.get_running_loop()
            entries = await loop.run_in_executor(None, parse_feed, got.body, self.feed.url)
        except FeedError as exc:
            self._failed(str(exc))
            return
        self.counters.entries = len(entries)
        failed = ""
        pending = False
        for entry in entries:
            if entry.key and self._done.get(entry.key) == entry.version:
                continue
            try:
                handled = await self._entry(entry)
            except FeedError as exc:
                failed = failed or str(exc)
                pending = True
                continue
            if handled:
                self._done[entry.key] = entry.version
            else:
                pending = True
        keys = {e.key for e in entries}
        for key in [k for k in self._done if k not in keys]:
            del self._done[key]  # gone from the feed: forgotten
        if not pending:
            self._feed_validators = _Validators(got.etag, got.last_modified)
        if failed:
            self._failed(failed)
        else:
            self._ok()

    async def _entry(self, entry: FeedEntry) -> bool:
        """Submit one entry's document; True once it needs no other attempt."""
        raw = entry.inline
        validators = None
        got = None
        if raw is None:
            if entry.link is None:
                log.debug("flux CAP %s : entrée %s sans document CAP", self.feed.name, entry.key)
                return True
            validators = self._links.setdefault(entry.link, _Validators())
            self._links.move_to_end(entry.link)
            while len(self._links) > LINK_CACHE:
                self._links.popitem(last=False)
            got = await self._fetch(entry.link, validators, MAX_FRAME_BYTES + 1)
            if got is None:
                return True  # unchanged since it was handled
            self.counters.fetched_documents += 1
            raw = got.body
        result = await self.intake.submit(raw, self.channel, self.partner)
        if result.kind == "unavailable":
            return False
        if validators is not None and got is not None:
            validators.etag, validators.last_modified = got.etag, got.last_modified
        return True

    async def _fetch(self, url: str, validators: _Validators, max_bytes: int) -> Fetched | None:
        """200's answer, or None for 304 (the caller keeps the new validators)."""
        if self._opener is None:
            ca = str(self.feed.ca_file) if self.feed.ca_file else None
            self._opener = _opener(ca)
        loop = asyncio.get_running_loop()
        got = await loop.run_in_executor(
            None, fetch, self._opener, url, validators.etag, validators.last_modified, max_bytes
        )
        return None if got.status == 304 else got

    def _ok(self) -> None:
        c = self.counters
        if c.consecutive_errors:
            log.info("flux CAP %s : de nouveau lisible", self.feed.name)
        c.consecutive_errors = 0
        c.last_ok = datetime.now(UTC).isoformat(timespec="seconds")

    def _failed(self, reason: str) -> None:
        c = self.counters
        c.errors += 1
        c.consecutive_errors += 1
        c.last_error = reason
        level = (
            logging.WARNING
            if c.consecutive_errors in (1, 5) or c.errors % 100 == 0
            else logging.INFO
        )
        log.log(
            level, "flux CAP %s : %s (échec n° %d)", self.feed.name, reason, c.consecutive_errors
        )


class FeedPollers:
    """Every ``[[feeds]]`` entry, each polled by its own task."""

    def __init__(
        self, feeds: tuple[FeedConfig, ...], partners: tuple[PartnerConfig, ...], intake: CapIntake
    ) -> None:
        by_name = {p.name: p for p in partners}
        self.pollers = {
            f.name: FeedPoller(f, by_name.get(f.partner) if f.partner else None, intake)
            for f in feeds
        }
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._tasks = [loop.create_task(p.run()) for p in self.pollers.values()]

    async def stop(self) -> None:
        await end_tasks(*self._tasks)

    def status(self) -> dict[str, dict[str, Any]]:
        return {name: p.status() for name, p in self.pollers.items()}
