"""``parse_cap``: an OASIS CAP 1.2 document → :class:`Alert` with its :class:`CapFacts`."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import replace

from csu_console.core import validate as v
from csu_console.core.alerts import (
    CATEGORY_LABELS,
    DEFAULT_PRIORITY_RULES,
    Alert,
    Category,
    Location,
)
from csu_console.core.cap import xmldoc
from csu_console.core.cap._xml import children, cut, free_text
from csu_console.core.cap.areas import ShapeCache, representative, to_area
from csu_console.core.cap.categories import fold
from csu_console.core.cap.header import Header, read_header
from csu_console.core.cap.info import Block, choose, others_section, read_block
from csu_console.core.cap_facts import (
    CapFacts,
    GeocodeResolver,
    MsgType,
    Signature,
    SignatureChecker,
    Status,
)
from csu_console.core.geo import PolygonCoords, Position
from csu_console.errors import ValidationError

log = logging.getLogger("csu.cap")
_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f-\x9f]+", re.IGNORECASE)
NO_CHECKER = "aucun certificat de confiance configuré"
MAX_WARNINGS = 50  # a feed that breaks every polygon of 1,352 areas says it in 50 lines
#: Title of a message without <info> (Cancel, Ack, Error) and without <note>.
BARE_TITLES = {
    MsgType.ALERT: "Message sans contenu",  # Test or System only (the feed log)
    MsgType.UPDATE: "Mise à jour sans contenu",
    MsgType.CANCEL: "Annulation",
    MsgType.ACK: "Accusé de réception",
    MsgType.ERROR: "Erreur signalée par l'émetteur",
}


def parse_cap(
    xml: str | bytes,
    priority_rules: Mapping[Category, int] | None = None,
    *,
    geocodes: GeocodeResolver | None = None,
    signatures: SignatureChecker | None = None,
) -> Alert:
    """Validate an OASIS CAP 1.2 document into an :class:`Alert` (``fmt="cap"``).

    ``xml``: the document as text, or its bytes in any declared encoding.
    ``priority_rules`` gives the priority per category when the CAP severity
    and urgency say nothing (defaults to ``DEFAULT_PRIORITY_RULES``); ``geocodes``
    places geocode-only areas; ``signatures`` checks an XML-DSig signature. Raises
    :class:`ValidationError`, and nothing else, for any refused input.
    """
    doc = xmldoc.load(xml)
    header = read_header(doc.root)
    warnings = [*doc.warnings, *header.warnings]
    rules = priority_rules or DEFAULT_PRIORITY_RULES
    seen: ShapeCache = {}
    blocks = [
        read_block(info, n, rules, geocodes, warnings, seen)
        for n, info in enumerate(children(doc.root, "info"))
    ]
    if (
        not blocks
        and header.msg_type in (MsgType.ALERT, MsgType.UPDATE)
        and header.status in (Status.ACTUAL, Status.EXERCISE)
    ):
        raise ValidationError(
            f"cap.info : aucun bloc info (alerte sans contenu) : un message "
            f"{header.msg_type.value} {header.status.value} doit décrire l'événement"
        )
    extra = dict(header.codes)
    status = header.status
    test = next((b for b in blocks if b.is_test), None)
    if status is Status.ACTUAL and test is not None:
        # IPAWS sends its Required Monthly Tests as Actual: they must not ring.
        status = Status.TEST
        extra["status"] = status.value
        warnings.append(
            f"cap.status : Actual, mais l'événement « {cut(test.info.event, 100)} » est un "
            "test (code SAME RMT, RWT…) : traité comme Test"
        )
    if header.references_text:
        extra["references"] = cut(header.references_text, v.MAX_DESCRIPTION)
    signature, signature_detail = None, ""
    if doc.signed:
        if signatures is None:
            signature, signature_detail = Signature.UNTRUSTED, NO_CHECKER
        else:
            signature, signature_detail = _check_signature(signatures, doc.data, header.sender)
    facts = CapFacts(
        msg_type=header.msg_type,
        status=status,
        scope=header.scope,
        restriction=header.restriction,
        addresses=header.addresses,
        note=header.note,
        references=header.references,
        incidents=header.incidents,
        signature=signature,
        signature_detail=signature_detail,
        sent_text=header.sent_text,
        document_bytes=len(doc.data),
    )
    if not blocks:
        note = header.note
        title = cut(note, v.MAX_TITLE) if note else BARE_TITLES[header.msg_type]
        facts = replace(facts, warnings=_bounded(warnings))
        return _alert(header, Category.AUTRE, None, 4, False, title, note, extra, facts)
    return _from_blocks(header, blocks, facts, extra, warnings)


def _from_blocks(
    header: Header, blocks: list[Block], facts: CapFacts, extra: dict[str, str], warnings: list[str]
) -> Alert:
    """The alert of a message with ``<info>`` blocks: the chosen one and the other events."""
    chosen_index, others = choose(blocks)
    chosen = blocks[chosen_index]
    shown = [chosen] + [blocks[i] for i in others]
    extra |= chosen.codes
    best = min(b.rank for b in shown)
    from_rules = not any(b.priority == best for b in shown)

    info = chosen.info
    title_path = "cap.info.headline" if info.headline else "cap.info.event"
    title = free_text(info.headline or info.event, title_path, v.MAX_TITLE) or ""
    body = "\n\n".join(p for p in (info.description, info.instruction) if p)
    if others:
        section = others_section(blocks, others)
        room = v.MAX_DESCRIPTION - len(section) - 2
        body = (cut(body, room) + "\n\n" if body and room > 1 else "") + section
    description = free_text(body, "cap.info.description", v.MAX_DESCRIPTION) or ""

    category = chosen.category
    category_raw = info.event or None
    if category_raw is None and category is Category.AUTRE:
        category_raw = next((c for c in info.categories if c), None)
    if category_raw is not None and fold(category_raw) == fold(CATEGORY_LABELS[category]):
        category_raw = None  # « Inondation (Inondation) » says nothing more
    if category_raw is not None:
        category_raw = cut(category_raw, 100)
    if chosen.phenomenon:
        extra["phenomene"] = chosen.phenomenon

    polygons: list[PolygonCoords] = []
    circles: list[tuple[Position, float]] = []
    unplaced: dict[str, None] = {}
    placed: list[str] = []
    descs: list[str] = []
    for block in shown:
        polygons += block.placement.polygons
        circles += block.placement.circles
        unplaced |= block.placement.unplaced
        placed += block.placement.placed_descs
        descs += [a.desc for a in block.info.areas if a.desc]
    location: Location | None = None
    point = representative(polygons, circles)
    if point is not None:
        (lon, lat), accuracy = point
        address = next((d for d in placed if d), None)
        location = Location(lat=lat, lon=lon, address=address, accuracy_m=accuracy)
    elif descs:
        extra["areaDesc"] = descs[0]

    expiries = [b.expires for b in blocks if b.expires is not None]
    facts = replace(
        facts,
        infos=tuple(b.info for b in blocks),
        chosen_info=chosen_index,
        translations=not others,
        unplaced=tuple(unplaced),
        resources=tuple(dict.fromkeys(r for b in blocks for r in b.resources)),
        warnings=_bounded(warnings),
    )
    web = info.web
    attachments = (web,) if len(web) <= v.MAX_URL and _URL.fullmatch(web) else ()
    return _alert(
        header,
        category,
        category_raw,
        best,
        from_rules,
        title,
        description,
        extra,
        facts,
        location=location,
        commune=chosen.commune,
        attachments=attachments,
        area=to_area(polygons),
        expires=max(expiries, key=lambda d: d.timestamp()) if expiries else None,
    )


def _check_signature(checker: SignatureChecker, data: bytes, sender: str) -> tuple[Signature, str]:
    """The checker's verdict; its failure is an invalid signature, never a lost alert."""
    try:
        return checker.check(data, sender)
    except Exception as exc:  # noqa: BLE001 — crypto libraries raise anything; flag, keep
        log.warning("vérification de signature CAP en échec (%s) : %r", sender, exc)
        return Signature.INVALID, f"vérification impossible : {type(exc).__name__}: {exc}"[:300]


def _bounded(warnings: list[str]) -> tuple[str, ...]:
    if len(warnings) <= MAX_WARNINGS:
        return tuple(warnings)
    more = len(warnings) - MAX_WARNINGS + 1
    return (*warnings[: MAX_WARNINGS - 1], f"… et {more} autres avertissements")


def _alert(
    header: Header,
    category: Category,
    category_raw: str | None,
    priority: int,
    from_rules: bool,
    title: str,
    description: str,
    extra: dict[str, str],
    cap: CapFacts,
    **more: object,
) -> Alert:
    return Alert(
        source=header.sender,
        id=header.identifier,
        sent=header.sent,
        category=category,
        category_raw=category_raw,
        priority=priority,
        priority_from_rules=from_rules,
        title=title,
        description=description,
        fmt="cap",
        extra=extra,
        cap=cap,
        **more,  # type: ignore[arg-type]
    )


__all__ = ["parse_cap"]
