"""Protocol v1 of the alert link: decode incoming frames, build outgoing messages.

Decoding happens in separate steps — size, frame type, UTF-8, JSON, envelope,
payload — and every failure becomes a :class:`Rejection` with a precise reason
instead of an exception, so one bad frame never blocks the alerts behind it.
See ``docs/protocol.md``.
"""

from __future__ import annotations

import binascii
import functools
import hashlib
import json
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from csu_console.core.alerts import Alert, AlertState, Category
from csu_console.core.validate import check_text, describe, parse_alert_object, parse_rfc3339
from csu_console.errors import ValidationError

if TYPE_CHECKING:  # hub_protocol imports core.dispatch → core.states → this module
    from csu_console.core.hub_protocol import ClaimRecord

log = logging.getLogger("csu.net")

PROTOCOL_VERSION = 1
MAX_FRAME_BYTES = 1024 * 1024  # larger frames are rejected, not parsed
RAW_KEEP_BYTES = 64 * 1024  # how much of a rejected frame is stored
MAX_SEQ = 2**63 - 1  # seq is stored in an SQLite INTEGER (signed 64 bits)


@dataclass(frozen=True)
class AlertMessage:
    """A valid ``alert`` or ``cap`` message."""

    seq: int | None  # None: raised by the console itself (camera down), never acked
    alert: Alert
    #: The frame as received (the hub keeps and forwards it); empty when built locally.
    raw: bytes = field(default=b"", repr=False, compare=False)
    #: The alert's holder when a hub sent it (``docs/protocol.md`` § 9.2), stored with it.
    claim: ClaimRecord | None = None
    #: SHA-256 of the CAP document (its XML, UTF-8) of a ``cap`` message: what its
    #: ``received`` event names as the raw alert (the frame's for the others).
    document_sha256: str | None = field(default=None, compare=False)
    #: The CAP document's bytes as received (``xml``: its UTF-8 encoding;
    #: ``xml_base64``: the decoded bytes), kept by the store under their SHA-256.
    document_bytes: bytes | None = field(default=None, repr=False, compare=False)

    @property
    def raw_sha256(self) -> str | None:
        """SHA-256 of the CAP document, else of the frame; None without a frame."""
        if self.document_sha256 is not None:
            return self.document_sha256
        return hashlib.sha256(self.raw).hexdigest() if self.raw else None


@dataclass(frozen=True)
class UpdateMessage:
    """Another station changed the state of an alert."""

    source: str
    id: str
    state: AlertState
    station: str
    operator: str
    at: datetime


@dataclass(frozen=True)
class Rejection:
    """A frame that failed decoding or validation.

    ``seq`` is None when the frame could not be parsed far enough to read it.
    ``raw`` holds at most :data:`RAW_KEEP_BYTES` of the frame.
    """

    seq: int | None
    reason: str
    raw: bytes
    raw_size: int
    is_text: bool


@dataclass(frozen=True)
class HubFrame:
    """A message of the hub extension (``docs/protocol.md`` § 9), parsed by the link
    with :func:`~csu_console.core.hub_protocol.parse_hub_message`; only decoded so
    when the link asked for the extension."""

    obj: dict[str, Any]


Incoming = AlertMessage | UpdateMessage | Rejection | HubFrame
#: ``parse_cap``'s shape: the document (text of ``xml``, bytes of ``xml_base64``) and the
#: priority rules; the app passes a partial carrying the geocodes and the signatures.
CapParser = Callable[[str | bytes, Mapping[Category, int] | None], Alert]


def _reject_constant(name: str) -> Any:
    raise ValueError(f"constante non JSON {name}")


# NaN / Infinity are not JSON: refuse them at parse time. One decoder, built once.
_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


def _json_loads(text: str) -> Any:
    return _DECODER.decode(text)


def decode_frame(
    data: bytes | str,
    is_text: bool,
    priority_rules: Mapping[Category, int] | None = None,
    cap_parser: CapParser | None = None,
    *,
    hub: bool = False,
) -> Incoming:
    """Turn one websocket frame into a message or a rejection. Never raises.

    With ``hub`` (the link negotiates the extension), the extension's messages come
    back as :class:`HubFrame` and an alert's ``claim`` is read (a bad one is dropped
    with a warning: the alert itself is kept).
    """
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else bytes(data)
    size = len(raw)

    def reject(reason: str, seq: int | None = None) -> Rejection:
        return Rejection(seq, reason, raw[:RAW_KEEP_BYTES], size, is_text)

    if size > MAX_FRAME_BYTES:
        return reject(f"trame trop grande ({size} octets, maximum {MAX_FRAME_BYTES})")
    if not is_text:
        return reject("trame binaire refusée (texte JSON UTF-8 attendu)", _lenient_seq(raw))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        reason = f"UTF-8 invalide à l'octet {exc.start} ({exc.reason})"
        return reject(reason, _lenient_seq(raw))
    try:
        obj = _json_loads(text)
    except (ValueError, RecursionError) as exc:
        # Answered with its seq when it can still be read, or an at-least-once
        # gateway would resend this frame for ever.
        return reject(f"JSON invalide : {exc}", recover_seq(text))
    if not isinstance(obj, dict):
        return reject(f"objet JSON attendu, reçu {describe(obj)}")

    # A seq outside [0, MAX_SEQ] is not echoed back nor stored: it is not one.
    seq = _valid_seq(obj.get("seq"))
    mtype = obj.get("type")
    if hub and mtype in _hub_types():
        return HubFrame(obj)
    try:
        if mtype == "alert":
            seq = _require_seq(obj)
            alert = parse_alert_object(obj.get("alert"), priority_rules)
            return AlertMessage(seq, alert, raw, _claim(obj) if hub else None)
        if mtype == "cap":
            seq = _require_seq(obj)
            xml, data = _cap_document(obj)
            if cap_parser is None:
                from csu_console.core.cap import parse_cap

                cap_parser = parse_cap
            claim = _claim(obj) if hub else None
            document = hashlib.sha256(data).hexdigest()
            alert = cap_parser(xml, priority_rules)
            return AlertMessage(seq, alert, raw, claim, document, document_bytes=data)
        if mtype == "update":
            return _parse_update(obj)
    except ValidationError as exc:
        return reject(exc.reason, seq)
    except RecursionError:
        return reject("structure trop profonde", seq)
    if mtype is None:
        return reject("champ « type » manquant", seq)
    return reject(f"type de message inconnu : {describe(mtype)}", seq)


def _cap_document(obj: Mapping[str, Any]) -> tuple[str | bytes, bytes]:
    """A ``cap`` message's document for the parser — ``xml`` (text) or ``xml_base64``
    (its bytes, in any declared encoding) — and its bytes (of ``xml``: UTF-8)."""
    xml = obj.get("xml")
    encoded = obj.get("xml_base64")
    if xml is not None and encoded is not None:
        raise ValidationError("xml, xml_base64 : un seul des deux attendu, reçu les deux")
    if encoded is not None:
        if not isinstance(encoded, str):
            raise ValidationError(f"xml_base64 : texte base64 attendu, reçu {describe(encoded)}")
        try:
            # Line breaks (MIME wraps at 76 columns) are allowed, nothing else.
            data = binascii.a2b_base64(
                _B64_BREAKS.sub("", encoded).encode("ascii"), strict_mode=True
            )
        except (UnicodeEncodeError, binascii.Error) as exc:
            raise ValidationError(f"xml_base64 : base64 invalide ({exc})") from None
        if not data:
            raise ValidationError("xml_base64 : document vide")
        return data, data
    if not isinstance(xml, str):
        raise ValidationError(f"xml : document CAP attendu, reçu {describe(xml)}")
    return xml, xml.encode("utf-8", "surrogatepass")


@functools.cache
def _hub_types() -> frozenset[str]:
    from csu_console.core.hub_protocol import HUB_MESSAGE_TYPES

    return HUB_MESSAGE_TYPES


def _claim(obj: Mapping[str, Any]) -> ClaimRecord | None:
    raw = obj.get("claim")
    if raw is None:
        return None
    from csu_console.core.hub_protocol import ClaimRecord

    try:
        return ClaimRecord.from_obj(raw)
    except ValidationError as exc:
        log.warning("prise en compte jointe à l'alerte ignorée : %s", exc.reason)
        return None


_B64_BREAKS = re.compile(r"[ \t\r\n]+")
_SEQ_PATTERN = re.compile(r'"seq"\s*:\s*(-?\d+)(?![\d.eE])')


def _valid_seq(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_SEQ:
        return value
    return None


def recover_seq(text: str) -> int | None:
    """The ``seq`` of a frame that is not strict JSON, when it can be read safely.

    First as lenient JSON (``NaN``, ``Infinity``, duplicate keys: Python's parser
    accepts them) whose top-level object carries a valid ``seq``; else, from text
    that does not parse at all (cut short, a stray comma), the one ``"seq": N``
    it contains — none, or two different ones, give None rather than a guess.
    """
    try:
        obj = json.loads(text)
    except (ValueError, RecursionError):
        obj = None
    if isinstance(obj, dict):
        return _valid_seq(obj.get("seq"))
    if obj is not None:
        return None  # valid lenient JSON, but not an object: there is no seq
    found = {m.group(1) for m in _SEQ_PATTERN.finditer(text[: 64 * 1024])}
    if len(found) != 1:
        return None
    return _valid_seq(int(found.pop()))


def _lenient_seq(raw: bytes) -> int | None:
    return recover_seq(raw.decode("utf-8", "replace"))


def _require_seq(obj: Mapping[str, Any]) -> int:
    seq = obj.get("seq")
    if isinstance(seq, bool) or not isinstance(seq, int):
        raise ValidationError(f"seq : entier attendu, reçu {describe(seq)}")
    if seq < 0:
        raise ValidationError(f"seq : entier positif attendu, reçu {seq}")
    if seq > MAX_SEQ:
        raise ValidationError(f"seq : hors plage (maximum {MAX_SEQ}), reçu {describe(seq)}")
    return seq


def _parse_update(obj: Mapping[str, Any]) -> UpdateMessage:
    source = check_text(obj.get("source"), "source", 100, required=True)
    alert_id = check_text(obj.get("id"), "id", 200, required=True)
    station = check_text(obj.get("station"), "station", 100, required=True)
    operator = check_text(obj.get("operator"), "operator", 100) or ""
    state_raw = obj.get("state")
    try:
        if not isinstance(state_raw, str):
            raise ValueError(state_raw)
        state = AlertState(state_raw)
    except ValueError:
        raise ValidationError(f"state : état inconnu {describe(state_raw)}") from None
    at = parse_rfc3339(obj.get("at"), "at")
    assert source is not None and alert_id is not None and station is not None
    return UpdateMessage(source, alert_id, state, station, operator, at)


def _dump(obj: Mapping[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def hello(
    station: str,
    last_seq: int | None,
    features: Sequence[str] = (),
    groups_seq: int | None = None,
) -> str:
    """First message on every connection; ``features``: the hub extension's (§ 9);
    ``groups_seq``: the last group change the station holds from the hub (§ 9.9)."""
    obj: dict[str, Any] = {
        "type": "hello",
        "protocol": PROTOCOL_VERSION,
        "station": station,
        "last_seq": last_seq,
    }
    if features:
        obj["features"] = list(features)
    if groups_seq is not None:
        obj["groups_seq"] = groups_seq
    return _dump(obj)


def ack(seq: int, alert_id: str) -> str:
    """Sent only once the alert is committed to SQLite."""
    return _dump({"type": "ack", "seq": seq, "id": alert_id})


def reject(seq: int | None, reason: str) -> str:
    """Sent once the rejected frame is stored, so the gateway stops resending it."""
    return _dump({"type": "reject", "seq": seq, "reason": reason})


def status(
    source: str, alert_id: str, state: AlertState, station: str, operator: str, at: datetime
) -> str:
    """An operator acted on an alert; the gateway relays it as ``update``."""
    return _dump(
        {
            "type": "status",
            "source": source,
            "id": alert_id,
            "state": state.value,
            "station": station,
            "operator": operator,
            "at": at.isoformat(),
        }
    )
