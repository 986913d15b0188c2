"""What a CAP 1.2 message said beyond the alert shown in the queue (no Qt).

:class:`CapFacts` rides on :attr:`csu_console.core.alerts.Alert.cap`: the message's
header (type, status, scope, references), every ``<info>`` block as received, the
areas that could not be placed, the resources' metadata, the signature's verdict
and the parse warnings. The parser (:mod:`csu_console.core.cap`) builds it; the
store keeps it as JSON (:meth:`CapFacts.to_json` / :meth:`CapFacts.from_json`);
the storage decides from it what the message does (:func:`disposition`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from csu_console.core.geo import Area


class MsgType(StrEnum):
    """CAP ``msgType``."""

    ALERT = "Alert"
    UPDATE = "Update"
    CANCEL = "Cancel"
    ACK = "Ack"
    ERROR = "Error"


class Status(StrEnum):
    """CAP ``status`` (``Draft`` is refused by the parser)."""

    ACTUAL = "Actual"
    EXERCISE = "Exercise"
    SYSTEM = "System"
    TEST = "Test"
    DRAFT = "Draft"


class Scope(StrEnum):
    """CAP ``scope``."""

    PUBLIC = "Public"
    RESTRICTED = "Restricted"
    PRIVATE = "Private"


class Signature(StrEnum):
    """The verdict on a document's XML-DSig signature."""

    VALID = "valid"  # « signé ✔ »: verified with the certificate trusted for the sender
    INVALID = "invalid"  # « signature invalide ✖ »: flagged, never dropped
    UNTRUSTED = "untrusted"  # signed, but no certificate trusted for this sender


@dataclass(frozen=True)
class CapRef:
    """One ``references`` triplet: ``sender,identifier,sent``."""

    sender: str
    identifier: str
    sent: str  # as written (compared as instants when both parse)

    @property
    def key(self) -> tuple[str, str]:
        """What it designates in the store: the alert key (sender, identifier)."""
        return (self.sender, self.identifier)


@dataclass(frozen=True)
class CapArea:
    """One ``<area>`` as received: its description and what became of its geometry."""

    desc: str
    polygons: int = 0  # usable polygons kept
    circles: int = 0  # usable circles kept
    geocodes: tuple[tuple[str, str], ...] = ()  # (valueName, value)
    resolved: bool = False  # some geometry placed it (own shapes or a resolved geocode)


@dataclass(frozen=True)
class CapInfo:
    """One ``<info>`` block, every block kept (the alert shows the chosen one)."""

    language: str  # "en-US" when absent (CAP's default)
    event: str
    categories: tuple[str, ...] = ()
    headline: str = ""
    description: str = ""
    instruction: str = ""
    urgency: str = ""
    severity: str = ""
    certainty: str = ""
    sender_name: str = ""
    web: str = ""
    contact: str = ""
    effective: str = ""
    onset: str = ""
    expires: str = ""
    areas: tuple[CapArea, ...] = ()
    priority: int | None = None  # what this block alone would rank (None: rules)
    category: str = "autre"  # the Category value this block maps to


@dataclass(frozen=True)
class CapResource:
    """A ``<resource>``'s metadata; an embedded ``derefUri`` blob is not kept twice
    (the raw document holds it), only its size and digest."""

    desc: str
    mime_type: str = ""
    size: int | None = None
    uri: str = ""
    digest: str = ""  # CAP's SHA-1, as declared
    embedded_bytes: int = 0  # decoded size of a derefUri, 0 when none
    embedded_sha256: str = ""


@dataclass(frozen=True)
class CapFacts:
    """Everything of a CAP message the queue's alert does not say by itself."""

    msg_type: MsgType
    status: Status
    scope: Scope = Scope.PUBLIC
    restriction: str = ""
    addresses: str = ""
    note: str = ""
    references: tuple[CapRef, ...] = ()
    incidents: str = ""
    infos: tuple[CapInfo, ...] = ()
    chosen_info: int = 0  # index of the block shown (French, English, else first)
    translations: bool = True  # the blocks are one event in several languages
    unplaced: tuple[str, ...] = ()  # areaDesc of areas neither drawn nor resolved
    resources: tuple[CapResource, ...] = ()
    signature: Signature | None = None
    signature_detail: str = ""  # why invalid / who signed
    warnings: tuple[str, ...] = ()  # ignored parts (a malformed polygon...), in French
    sent_text: str = ""  # ``sent`` as written (the triplet's third part)
    document_bytes: int = 0

    @property
    def restricted(self) -> bool:
        """« diffusion restreinte »: scope Restricted or Private."""
        return self.scope is not Scope.PUBLIC

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (enums as their values; tuples as lists).

        Not ``dataclasses.asdict``: it deep-copies every leaf, ~5× slower, and this
        runs for every CAP message of a storm."""
        out = _plain(self)
        assert isinstance(out, dict)
        return out

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> CapFacts:
        """The inverse of :meth:`to_json`."""
        infos = tuple(
            CapInfo(
                **{
                    **i,
                    "categories": tuple(i.get("categories", ())),
                    "areas": tuple(
                        CapArea(**{**a, "geocodes": tuple(tuple(g) for g in a.get("geocodes", ()))})
                        for a in i.get("areas", ())
                    ),
                }
            )
            for i in obj.get("infos", ())
        )
        signature = obj.get("signature")
        return cls(
            msg_type=MsgType(obj["msg_type"]),
            status=Status(obj["status"]),
            scope=Scope(obj.get("scope", "Public")),
            restriction=obj.get("restriction", ""),
            addresses=obj.get("addresses", ""),
            note=obj.get("note", ""),
            references=tuple(CapRef(**r) for r in obj.get("references", ())),
            incidents=obj.get("incidents", ""),
            infos=infos,
            chosen_info=int(obj.get("chosen_info", 0)),
            translations=bool(obj.get("translations", True)),
            unplaced=tuple(obj.get("unplaced", ())),
            resources=tuple(CapResource(**r) for r in obj.get("resources", ())),
            signature=None if signature is None else Signature(signature),
            signature_detail=obj.get("signature_detail", ""),
            warnings=tuple(obj.get("warnings", ())),
            sent_text=obj.get("sent_text", ""),
            document_bytes=int(obj.get("document_bytes", 0)),
        )


def _plain(value: Any) -> Any:
    """``value`` as plain JSON data: dataclasses to dicts, tuples to lists, enums to
    their value (a StrEnum is a str already)."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}


class Disposition(StrEnum):
    """What a stored CAP message does (:func:`disposition`)."""

    NEW = "new"  # a new alert in the queue (Alert; or an Update/Cancel of nothing known)
    UPDATE = "update"  # replaces the referenced alert's content, keeps its history
    CANCEL = "cancel"  # marks the referenced alert « annulée par l'émetteur »
    FEED_LOG = "feed_log"  # Ack, Error, Test, System: the partner-feed log only


def disposition(facts: CapFacts | None) -> Disposition:
    """What a message does before looking its references up (JSON alerts: NEW).

    An Update or Cancel whose references are all unknown is kept *pending* by the
    store and applied when the original comes (see the storage).
    """
    if facts is None:
        return Disposition.NEW
    if facts.status in (Status.TEST, Status.SYSTEM) or facts.msg_type in (
        MsgType.ACK,
        MsgType.ERROR,
    ):
        return Disposition.FEED_LOG
    if facts.msg_type is MsgType.UPDATE:
        return Disposition.UPDATE
    if facts.msg_type is MsgType.CANCEL:
        return Disposition.CANCEL
    return Disposition.NEW


def is_exercise(facts: CapFacts | None) -> bool:
    """« EXERCICE »: shown, and by default does not ring (``[cap] ring_exercises``)."""
    return facts is not None and facts.status is Status.EXERCISE


def sent_instant(text: str) -> datetime | None:
    """A triplet's ``sent`` as an aware instant, None when unreadable."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return value if value.tzinfo is not None else None


class GeocodeResolver(Protocol):
    """Places a geocode-only CAP area (the site config's table: INSEE commune codes,
    département numbers, the site's own zone ids), see ``[cap]`` in site.toml."""

    def resolve(self, value_name: str, value: str) -> Area | None:
        """The shape of ``<geocode><valueName>…</valueName><value>…</value>``, or None."""
        ...


class SignatureChecker(Protocol):
    """Verifies a signed CAP document against the certificates the site trusts for
    its sender (``[[cap.trusted]]``); see :mod:`csu_console.core.cap_signature`."""

    def check(self, document: bytes, sender: str) -> tuple[Signature, str]:
        """The verdict on ``document`` (its raw bytes) and a French detail."""
        ...


@dataclass(frozen=True)
class FeedLogEntry:
    """One line of the partner-feed log: a CAP message that is not (or not yet) an
    alert of the queue — an Ack, an Error, a Test or System message, an Update or
    Cancel waiting for its original — or one applied to an alert (update, cancel)."""

    pk: int
    received_at: datetime
    sender: str
    identifier: str
    sent: str
    msg_type: str
    status: str
    kind: str  # "logged" | "pending" | "updated" | "cancelled" | "applied"
    summary: str  # headline, note or event, in the language chosen
    alert_pk: int | None = None  # the alert it applied to, when any
    document_sha256: str | None = None
