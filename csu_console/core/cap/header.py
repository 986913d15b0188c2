"""The CAP ``<alert>`` header: identity, message type, status, scope, references."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from xml.etree.ElementTree import Element

from csu_console.core import validate as v
from csu_console.core.cap._xml import MAX_CODE, SPACES, XML_SPACE, child_text, free_text
from csu_console.core.cap_facts import CapRef, MsgType, Scope, Status
from csu_console.errors import ValidationError

_MSG_TYPES = {m.value.casefold(): m for m in MsgType}
_STATUSES = {s.value.casefold(): s for s in Status}
_SCOPES = {s.value.casefold(): s for s in Scope}
MAX_NOTE = 1000


@dataclass
class Header:
    """What the ``<alert>`` element says outside its ``<info>`` blocks."""

    identifier: str
    sender: str
    sent: datetime
    sent_text: str
    msg_type: MsgType
    status: Status
    scope: Scope
    restriction: str = ""
    addresses: str = ""
    note: str = ""
    incidents: str = ""
    references: tuple[CapRef, ...] = ()
    references_text: str = ""
    #: The values as written, for ``Alert.extra`` (msgType and status canonical).
    codes: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _required(root: Element, name: str, limit: int) -> str:
    value = v.check_text(child_text(root, name), f"cap.{name}", limit, required=True)
    assert value is not None
    return value


def _code(root: Element, name: str) -> str | None:
    return v.check_text(child_text(root, name), f"cap.{name}", MAX_CODE) or None


def read_header(root: Element) -> Header:
    """Read and check the header; ValidationError for what CAP forbids outright."""
    identifier = _required(root, "identifier", v.MAX_ID)
    sender = _required(root, "sender", v.MAX_SOURCE)
    sent_text = child_text(root, "sent")
    if sent_text is None:
        raise ValidationError("cap.sent : champ obligatoire manquant")
    sent = v.parse_rfc3339(sent_text, "cap.sent")
    warnings: list[str] = []
    codes: dict[str, str] = {}

    raw_type = _code(root, "msgType")
    if raw_type is None:
        msg_type = MsgType.ALERT
        warnings.append("cap.msgType : absent, message traité comme Alert")
    else:
        found = _MSG_TYPES.get(raw_type.casefold())
        if found is None:
            raise ValidationError(
                f"cap.msgType : type de message non pris en charge ({v.describe(raw_type)}), "
                "attendu Alert, Update, Cancel, Ack ou Error"
            )
        msg_type = found
        codes["msgType"] = found.value

    raw_status = _code(root, "status")
    if raw_status is None:
        status = Status.ACTUAL
        warnings.append("cap.status : absent, message traité comme Actual")
    else:
        found_status = _STATUSES.get(raw_status.casefold())
        if found_status is None:
            raise ValidationError(
                f"cap.status : statut inconnu ({v.describe(raw_status)}), "
                "attendu Actual, Exercise, System ou Test"
            )
        if found_status is Status.DRAFT:
            raise ValidationError(
                "cap.status : brouillon (Draft) refusé : un message Draft n'est pas "
                "destiné à être diffusé ni traité"
            )
        status = found_status
        codes["status"] = found_status.value

    raw_scope = _code(root, "scope")
    if raw_scope is None:
        scope = Scope.PUBLIC
        warnings.append("cap.scope : absent, diffusion traitée comme publique (Public)")
    else:
        found_scope = _SCOPES.get(raw_scope.casefold())
        if found_scope is None:
            # Restricted rather than Public: an unreadable scope never widens diffusion.
            scope = Scope.RESTRICTED
            warnings.append(
                f"cap.scope : valeur inconnue ({v.describe(raw_scope)}), "
                "traitée comme diffusion restreinte (Restricted)"
            )
        else:
            scope = found_scope

    references_text = free_text(child_text(root, "references"), "cap.references", 20_000) or ""
    references = _references(references_text, sender, identifier, warnings)
    return Header(
        identifier=identifier,
        sender=sender,
        sent=sent,
        sent_text=sent_text,
        msg_type=msg_type,
        status=status,
        scope=scope,
        restriction=free_text(child_text(root, "restriction"), "cap.restriction", MAX_NOTE) or "",
        addresses=free_text(child_text(root, "addresses"), "cap.addresses", MAX_NOTE) or "",
        note=free_text(child_text(root, "note"), "cap.note", MAX_NOTE) or "",
        incidents=free_text(child_text(root, "incidents"), "cap.incidents", MAX_NOTE) or "",
        references=references,
        references_text=references_text,
        codes=codes,
        warnings=warnings,
    )


def _references(text: str, sender: str, identifier: str, warnings: list[str]) -> tuple[CapRef, ...]:
    """``sender,identifier,sent`` triplets separated by whitespace (CAP 1.2 § 3.2.1).

    A malformed triplet or a reference to the message itself is skipped with a warning.
    """
    refs: dict[tuple[str, str, str], CapRef] = {}
    for token in SPACES.split(text.strip(XML_SPACE)) if text else ():
        parts = token.split(",")
        if len(parts) != 3 or not all(parts):
            warnings.append(
                f"cap.references : triplet illisible ({v.describe(token[:200])}) ignoré, "
                "attendu « sender,identifier,sent »"
            )
            continue
        ref = CapRef(parts[0], parts[1], parts[2])
        if ref.key == (sender, identifier):
            warnings.append("cap.references : référence au message lui-même ignorée")
            continue
        if len(ref.sender) > v.MAX_SOURCE or len(ref.identifier) > v.MAX_ID:
            warnings.append(f"cap.references : triplet trop long ignoré ({len(token)} caractères)")
            continue
        refs.setdefault((ref.sender, ref.identifier, ref.sent), ref)
    return tuple(refs.values())
