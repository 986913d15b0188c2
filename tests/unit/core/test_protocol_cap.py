"""Protocol v1 ``cap`` message: the document as ``xml`` (text) or ``xml_base64`` (its
bytes, any declared encoding); its digest over its bytes (csu_console.core.protocol)."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime

import pytest
from cap_support import cap, info

from csu_console.core.alerts import Alert, Category
from csu_console.core.protocol import AlertMessage, Rejection, decode_frame

LATIN1_DOC = (
    '<?xml version="1.0" encoding="ISO-8859-1"?>\n'
    + cap(info(event="Crue", headline="Crue du Vidourle à Sommières"))
).encode("iso-8859-1")


def frame(**fields: object) -> str:
    return json.dumps({"type": "cap", "seq": 7, **fields})


def test_xml_base64_carries_the_bytes_in_their_declared_encoding() -> None:
    encoded = base64.b64encode(LATIN1_DOC).decode()

    result = decode_frame(frame(xml_base64=encoded), True)

    assert isinstance(result, AlertMessage), result
    assert result.seq == 7
    assert result.alert.title == "Crue du Vidourle à Sommières"
    assert result.alert.category is Category.INONDATION
    assert result.document_sha256 == hashlib.sha256(LATIN1_DOC).hexdigest()
    assert result.raw_sha256 == result.document_sha256
    assert result.document_bytes == LATIN1_DOC


def test_xml_base64_may_be_wrapped_in_lines() -> None:
    wrapped = base64.encodebytes(LATIN1_DOC).decode()  # 76-column lines

    result = decode_frame(frame(xml_base64=wrapped), True)

    assert isinstance(result, AlertMessage), result
    assert result.document_bytes == LATIN1_DOC


def test_xml_digest_is_over_its_utf8_bytes() -> None:
    text = cap(info(event="Orages", headline="Vigilance orange « orages »"))

    result = decode_frame(frame(xml=text), True)

    assert isinstance(result, AlertMessage), result
    assert result.document_bytes == text.encode("utf-8")
    assert result.document_sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"xml": "<alert/>", "xml_base64": "PGFsZXJ0Lz4="}, "xml, xml_base64 : un seul des deux"),
        ({"xml_base64": 12}, "xml_base64 : texte base64 attendu, reçu"),
        ({"xml_base64": "PGFsZXJ0Lz4"}, "xml_base64 : base64 invalide"),
        ({"xml_base64": "PGFs*ZXJ0Lz4="}, "xml_base64 : base64 invalide"),
        ({"xml_base64": "élan"}, "xml_base64 : base64 invalide"),
        ({"xml_base64": ""}, "xml_base64 : document vide"),
        ({}, "xml : document CAP attendu, reçu"),
        ({"xml_base64": base64.b64encode(b"<alert").decode()}, "cap : XML mal formé"),
        (
            {"xml_base64": base64.b64encode(cap(status="Draft").encode("utf-16")).decode()},
            "cap.status : brouillon (Draft) refusé",
        ),
    ],
    ids=["both", "not-text", "bad-padding", "bad-char", "non-ascii", "empty", "neither",
         "malformed-xml", "utf16-draft"],
)  # fmt: skip
def test_bad_cap_document_fields_are_rejected_with_their_seq(
    fields: dict[str, object], reason: str
) -> None:
    result = decode_frame(frame(**fields), True)

    assert isinstance(result, Rejection)
    assert result.seq == 7
    assert reason in result.reason


def test_injected_parser_receives_the_bytes() -> None:
    seen: list[str | bytes] = []

    def parser(xml: str | bytes, rules: Mapping[Category, int] | None) -> Alert:
        seen.append(xml)
        return Alert("s", "i", datetime(2024, 1, 1, tzinfo=UTC), Category.AUTRE, 3, fmt="cap")

    decode_frame(frame(xml_base64=base64.b64encode(LATIN1_DOC).decode()), True, None, parser)

    assert seen == [LATIN1_DOC]
