"""CAP documents from the partners' channels (``POST /cap``, Atom/RSS feeds) into JetStream.

Every channel hands the document's bytes to :meth:`CapIntake.submit`, which
parses it (``core.cap.parse_cap``: the same French reasons as at the stations),
checks the partner's allowed senders, and stores it in ``CSU_ALERTS`` as the
protocol-v1 ``cap`` frame a gateway would have sent (``xml`` for a UTF-8
document, ``xml_base64`` with the bytes as received otherwise), under the CAP
triplet's message id, once per triplet whichever channel brought it
(``hub/cap_seen.py``). A refused document is kept in ``CSU_REJECTED`` with its
reason. Nothing here blocks the hub's loop: a large document is parsed in a
worker thread; NATS is awaited.
"""

from __future__ import annotations

import asyncio
import base64
import codecs
import contextlib
import hashlib
import json
import logging
import re
import threading
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

import nats.errors
import nats.js.errors
from nats.js import JetStreamContext

from csu_console.core.alerts import Alert
from csu_console.core.protocol import MAX_FRAME_BYTES, RAW_KEEP_BYTES
from csu_console.errors import ValidationError
from csu_console.hub.cap_config import PartnerConfig
from csu_console.hub.cap_seen import CapTriplet, SeenTriplets
from csu_console.hub.jetstream import (
    ALERTS_SUBJECT,
    H_ORIGIN,
    PUBLISH_TIMEOUT_S,
    REJECTED_SUBJECT,
    encode_origin,
)

log = logging.getLogger("csu.hub.cap")

#: Documents larger than this are parsed in a worker thread (the loop serves stations).
PARSE_INLINE_BYTES = 64 * 1024
#: Room kept in a stored frame for the ``seq`` and ``claim`` a station's copy gets.
FRAME_MARGIN = 1024
_DECLARED = re.compile(rb"""^<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]*)["']""")
_LATIN1 = frozenset({"iso8859-1"})  # codecs.lookup(...).name of every Latin-1 alias
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass
class ChannelCounters:
    """What one partner or feed brought since the hub started (``/health``, status)."""

    received: int = 0
    stored: int = 0
    duplicate: int = 0
    rejected: int = 0
    unavailable: int = 0
    last_at: str | None = None
    last_rejection: str = ""


@dataclass(frozen=True)
class Submission:
    """What became of one document: ``stored``, ``duplicate``, ``rejected``,
    ``forbidden`` (a sender the partner may not use), ``too_large`` or
    ``unavailable`` (JetStream did not answer: nothing stored, send again)."""

    kind: str
    reason: str = ""
    triplet: CapTriplet | None = None
    seq: int | None = None
    alert: Alert | None = field(default=None, compare=False, repr=False)

    def body(self) -> dict[str, Any]:
        """The JSON answer of ``POST /cap``."""
        out: dict[str, Any] = {"status": self.kind}
        messages = {
            "stored": "alerte enregistrée",
            "duplicate": "déjà reçu",
            "unavailable": "stockage indisponible, renvoyez plus tard",
        }
        if self.kind in messages:
            out["message"] = messages[self.kind]
        if self.reason:
            out["reason"] = self.reason
        if self.triplet is not None:
            out |= self.triplet.to_obj()
        if self.seq is not None:
            out["seq"] = self.seq
        return out


def declared_encoding(raw: bytes) -> str | None:
    """The encoding a document says it is in (BOM, else XML declaration), None: none."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return name
    found = _DECLARED.match(raw[:512])
    return found[1].decode("ascii") if found else None


def document_text(raw: bytes) -> str:
    """The document as text, decoded with its declared encoding (UTF-8 without one)."""
    name = declared_encoding(raw) or "utf-8"
    try:
        codec = codecs.lookup(name)
    except LookupError:
        raise ValidationError(f"cap : encodage déclaré inconnu : {name}") from None
    if codec.name in _LATIN1 and any(0x80 <= b < 0xA0 for b in raw):
        # Declared Latin-1, written by Windows: 0x80–0x9F are windows-1252's ’ € œ…
        # (C1 controls otherwise, which the parser refuses).
        with contextlib.suppress(UnicodeDecodeError):
            return raw.decode("cp1252")
    try:
        return raw.decode(codec.name)
    except UnicodeDecodeError as exc:
        raise ValidationError(
            f"cap : octet invalide en {name} à la position {exc.start} ({exc.reason})"
        ) from None


def is_plain_utf8(raw: bytes) -> bool:
    """A document carried as ``xml``: UTF-8 without BOM, declared so or not declared."""
    name = declared_encoding(raw)
    if name is not None and codecs.lookup(name).name != "utf-8":
        return False
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def cap_frame_body(raw: bytes, text: str) -> bytes:
    """The stored frame (without ``seq``): ``xml`` for plain UTF-8, else ``xml_base64``
    (the bytes as received: their SHA-256 is the document's)."""
    obj: dict[str, str] = {"type": "cap"}
    if is_plain_utf8(raw):
        obj["xml"] = text
    else:
        obj["xml_base64"] = base64.b64encode(raw).decode("ascii")
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def parse_document(raw: bytes) -> Alert:
    """Parse a CAP document's bytes; :class:`ValidationError` with the French reason.

    The parser decodes them as the stations will (BOM, declared encoding)."""
    from csu_console.core.cap import parse_cap

    return parse_cap(raw)


class CapIntake:
    """Stores the partners' CAP documents; counts per channel (thread-safe reads)."""

    def __init__(self, js: JetStreamContext) -> None:
        self._js = js
        self._seen = SeenTriplets(js)
        self._lock = threading.Lock()
        self.counters: dict[str, ChannelCounters] = {}
        #: Every CAP sender stored here: their claims are not relayed to a gateway.
        self.sources: set[str] = set()

    def counters_of(self, channel: str) -> dict[str, Any]:
        with self._lock:
            return asdict(self.counters.setdefault(channel, ChannelCounters()))

    def count_refused(self, channel: str, reason: str) -> None:
        """A document refused before it was read (too large)."""
        with self._lock:
            c = self.counters.setdefault(channel, ChannelCounters())
            c.received += 1
            c.rejected += 1
            c.last_rejection = reason
            c.last_at = datetime.now(UTC).isoformat(timespec="seconds")

    async def submit(
        self, raw: bytes, channel: str, partner: PartnerConfig | None = None
    ) -> Submission:
        """Store one document from ``channel`` (``http.<partner>``, ``feed.<name>``)."""
        result = await self._submit(raw, channel, partner)
        with self._lock:
            c = self.counters.setdefault(channel, ChannelCounters())
            c.received += 1
            c.last_at = datetime.now(UTC).isoformat(timespec="seconds")
            if result.kind in ("stored", "duplicate", "unavailable"):
                setattr(c, result.kind, getattr(c, result.kind) + 1)
            else:
                c.rejected += 1
                c.last_rejection = result.reason
        who = f"{channel} ({partner.name})" if partner and partner.name not in channel else channel
        if result.kind == "stored":
            assert result.triplet is not None
            log.info(
                "CAP %s : %s/%s du %s enregistré (seq %s)",
                who,
                result.triplet.sender,
                result.triplet.identifier,
                result.triplet.sent,
                result.seq,
            )
        elif result.kind == "duplicate":
            assert result.triplet is not None
            log.info(
                "CAP %s : %s/%s déjà reçu", who, result.triplet.sender, result.triplet.identifier
            )
        elif result.kind == "unavailable":
            log.warning("CAP %s : non enregistré, JetStream indisponible (%s)", who, result.reason)
        else:
            log.warning("CAP %s : document refusé : %s", who, result.reason)
        return result

    async def _submit(self, raw: bytes, channel: str, partner: PartnerConfig | None) -> Submission:
        if len(raw) > MAX_FRAME_BYTES:
            reason = f"document trop grand ({len(raw)} octets, maximum {MAX_FRAME_BYTES})"
            await self._keep_rejected(raw, channel, reason, partner)
            return Submission("too_large", reason)
        try:
            if len(raw) > PARSE_INLINE_BYTES:  # a large document is parsed off the loop
                loop = asyncio.get_running_loop()
                alert = await loop.run_in_executor(None, parse_document, raw)
            else:
                alert = parse_document(raw)
            text = document_text(raw)
        except ValidationError as exc:
            await self._keep_rejected(raw, channel, exc.reason, partner)
            return Submission("rejected", exc.reason)
        triplet = CapTriplet.of(alert)
        if partner is not None and partner.senders and alert.source not in partner.senders:
            reason = (
                f"cap.sender : expéditeur « {alert.source} » non autorisé "
                f"pour le partenaire {partner.name}"
            )
            await self._keep_rejected(raw, channel, reason, partner)
            return Submission("forbidden", reason, triplet)
        body = cap_frame_body(raw, text)
        if len(body) + FRAME_MARGIN > MAX_FRAME_BYTES:
            reason = (
                f"trame trop grande une fois le document encodé ({len(body)} octets, "
                f"maximum {MAX_FRAME_BYTES - FRAME_MARGIN})"
            )
            await self._keep_rejected(raw, channel, reason, partner)
            return Submission("too_large", reason, triplet)
        try:
            if triplet in await self._seen.known([triplet]):
                return Submission("duplicate", triplet=triplet, alert=alert)
            headers = {
                "Nats-Msg-Id": triplet.msg_id,
                H_ORIGIN: encode_origin(channel, None, alert.key),
            }
            ack = await self._js.publish(
                f"{ALERTS_SUBJECT}.{channel}", body, timeout=PUBLISH_TIMEOUT_S, headers=headers
            )
        except (nats.errors.Error, nats.js.errors.Error, TimeoutError, OSError) as exc:
            return Submission("unavailable", f"{type(exc).__name__} {exc}".strip(), triplet)
        self.sources.add(alert.source)
        if ack.duplicate:
            await self._seen.record(triplet, channel, None)
            return Submission("duplicate", triplet=triplet, alert=alert)
        await self._seen.record(triplet, channel, ack.seq)
        return Submission("stored", triplet=triplet, seq=ack.seq, alert=alert)

    async def _keep_rejected(
        self, raw: bytes, channel: str, reason: str, partner: PartnerConfig | None
    ) -> None:
        """Keep the refused document where the hub keeps refused frames (once per
        content within the window: a feed listing it again adds nothing)."""
        digest = hashlib.sha256(raw).hexdigest()
        kept = raw if len(raw) <= MAX_FRAME_BYTES else raw[:RAW_KEEP_BYTES]
        payload = json.dumps(
            {
                "seq": None,
                "reason": reason,
                "raw_b64": base64.b64encode(kept).decode("ascii"),
                "raw_size": len(raw),
                "is_text": True,
                "channel": channel,
                "partner": partner.name if partner else None,
                "sha256": digest,
            },
            ensure_ascii=False,
        ).encode()
        headers = {"Nats-Msg-Id": f"rej-{digest[:40]}", H_ORIGIN: encode_origin(channel, None)}
        try:
            await self._js.publish(
                f"{REJECTED_SUBJECT}.{channel}", payload, timeout=PUBLISH_TIMEOUT_S, headers=headers
            )
        except (nats.errors.Error, nats.js.errors.Error, TimeoutError, OSError) as exc:
            log.info("document refusé de %s non conservé (%s)", channel, exc)
