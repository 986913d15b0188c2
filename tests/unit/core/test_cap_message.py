"""CAP 1.2 messages as real feeds send them: types, statuses, scope, references,
encodings, resources, signatures, hostile XML (csu_console.core.cap)."""

from __future__ import annotations

import base64
import codecs
import hashlib

import pytest
from cap_support import SENDER, area, cap, circle, info

from csu_console.core.alerts import Category
from csu_console.core.cap import DSIG_NAMESPACE, MAX_CAP_BYTES, parse_cap
from csu_console.core.cap_facts import (
    CapFacts,
    CapRef,
    Disposition,
    MsgType,
    Scope,
    Signature,
    Status,
    disposition,
)
from csu_console.errors import ValidationError


def facts(xml: str | bytes) -> CapFacts:
    alert = parse_cap(xml)
    assert alert.cap is not None
    return alert.cap


# --- message types and statuses ---------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Alert", MsgType.ALERT),
        ("Update", MsgType.UPDATE),
        ("Cancel", MsgType.CANCEL),
        ("Ack", MsgType.ACK),
        ("Error", MsgType.ERROR),
        ("cancel", MsgType.CANCEL),
    ],
)
def test_every_message_type_is_accepted(written: str, expected: MsgType) -> None:
    alert = parse_cap(cap(msg_type=written))

    assert alert.cap is not None
    assert alert.cap.msg_type is expected
    assert alert.extra["msgType"] == expected.value


@pytest.mark.parametrize(
    ("written", "expected", "kind"),
    [
        ("Actual", Status.ACTUAL, Disposition.NEW),
        ("Exercise", Status.EXERCISE, Disposition.NEW),
        ("System", Status.SYSTEM, Disposition.FEED_LOG),
        ("Test", Status.TEST, Disposition.FEED_LOG),
        ("test", Status.TEST, Disposition.FEED_LOG),
    ],
)
def test_statuses_are_accepted(written: str, expected: Status, kind: Disposition) -> None:
    found = facts(cap(status=written))

    assert found.status is expected
    assert disposition(found) is kind


def test_draft_is_refused_with_its_reason() -> None:
    with pytest.raises(ValidationError) as refused:
        parse_cap(cap(status="Draft"))

    assert refused.value.reason.startswith("cap.status : brouillon (Draft) refusé")


def test_missing_status_and_type_are_tolerated_with_warnings() -> None:
    found = facts(cap(status=None, msg_type=None, scope=None))

    assert (found.msg_type, found.status, found.scope) == (
        MsgType.ALERT,
        Status.ACTUAL,
        Scope.PUBLIC,
    )
    assert any(w.startswith("cap.status : absent") for w in found.warnings)
    assert any(w.startswith("cap.msgType : absent") for w in found.warnings)
    assert any(w.startswith("cap.scope : absent") for w in found.warnings)


@pytest.mark.parametrize(
    ("msg_type", "note", "title", "priority"),
    [
        ("Cancel", None, "Annulation", 4),
        (
            "Cancel",
            "Fin de l'alerte crue, décrue amorcée",
            "Fin de l'alerte crue, décrue amorcée",
            4,
        ),
        ("Ack", None, "Accusé de réception", 4),
        ("Error", "Identifiant inconnu", "Identifiant inconnu", 4),
    ],
)
def test_cancel_ack_error_without_info_are_valid(
    msg_type: str, note: str | None, title: str, priority: int
) -> None:
    extra = (f"<note>{note}</note>" if note else "") + (
        f"<references>{SENDER},ID-0,2024-11-14T06:00:00+01:00</references>"
    )
    alert = parse_cap(cap("", msg_type=msg_type, extra=extra))

    assert alert.title == title
    assert alert.category is Category.AUTRE
    assert alert.priority == priority
    assert alert.location is None and alert.area is None
    assert alert.cap is not None
    assert alert.cap.infos == ()
    assert alert.cap.references == (CapRef(SENDER, "ID-0", "2024-11-14T06:00:00+01:00"),)


def test_an_alert_without_info_is_still_refused() -> None:
    with pytest.raises(ValidationError, match=r"cap\.info : aucun bloc info"):
        parse_cap(cap("", msg_type="Alert"))


def test_a_cancel_with_info_keeps_its_text() -> None:
    alert = parse_cap(cap(info(headline="Levée de la vigilance orages"), msg_type="Cancel"))

    assert alert.title == "Levée de la vigilance orages"
    assert alert.cap is not None and disposition(alert.cap) is Disposition.CANCEL


# --- scope -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scope", "extra", "expected", "restricted"),
    [
        ("Public", "", Scope.PUBLIC, False),
        ("Restricted", "<restriction>Services de l'État</restriction>", Scope.RESTRICTED, True),
        ("Restricted", "", Scope.RESTRICTED, True),  # missing <restriction> tolerated
        ("Private", "<addresses>csu@ville.example</addresses>", Scope.PRIVATE, True),
    ],
)
def test_scope(scope: str, extra: str, expected: Scope, restricted: bool) -> None:
    found = facts(cap(scope=scope, extra=extra))

    assert found.scope is expected
    assert found.restricted is restricted
    assert found.warnings == ()


def test_unknown_scope_is_treated_as_restricted() -> None:
    found = facts(cap(scope="Everybody"))

    assert found.scope is Scope.RESTRICTED
    assert "cap.scope : valeur inconnue" in found.warnings[0]


# --- references ------------------------------------------------------------------


def _refs(text: str, identifier: str = "ID-9") -> CapFacts:
    return facts(
        cap(identifier=identifier, msg_type="Update", extra=f"<references>{text}</references>")
    )


def test_several_references_become_triplets() -> None:
    found = _refs(
        f"{SENDER},ID-1,2024-11-14T06:00:00+01:00\n  {SENDER},ID-2,2024-11-14T06:30:00+01:00"
    )

    assert found.references == (
        CapRef(SENDER, "ID-1", "2024-11-14T06:00:00+01:00"),
        CapRef(SENDER, "ID-2", "2024-11-14T06:30:00+01:00"),
    )
    assert found.references[0].key == (SENDER, "ID-1")
    assert found.warnings == ()


@pytest.mark.parametrize(
    "bad",
    ["ID-1", f"{SENDER},ID-1", f"{SENDER},ID-1,2024,extra", f"{SENDER},,2024-11-14T06:00:00Z"],
)
def test_malformed_triplet_is_skipped_with_a_warning(bad: str) -> None:
    found = _refs(f"{bad} {SENDER},ID-2,2024-11-14T06:30:00+01:00")

    assert [r.identifier for r in found.references] == ["ID-2"]
    assert "cap.references : triplet illisible" in found.warnings[0]


def test_a_self_reference_is_skipped() -> None:
    found = _refs(f"{SENDER},ID-9,2024-11-14T06:42:00+01:00 {SENDER},ID-1,x", identifier="ID-9")

    assert [r.identifier for r in found.references] == ["ID-1"]
    assert "référence au message lui-même" in found.warnings[0]


def test_references_text_is_still_in_extra() -> None:
    alert = parse_cap(cap(extra=f"<references>{SENDER},ID-0,2024-11-14T06:00:00Z</references>"))

    assert alert.extra["references"] == f"{SENDER},ID-0,2024-11-14T06:00:00Z"


def test_sent_is_kept_as_written() -> None:
    assert facts(cap(sent="2024-11-14T06:42:00-00:00")).sent_text == "2024-11-14T06:42:00-00:00"


# --- encodings -------------------------------------------------------------------

_ACCENTS = "Crue de l'Hérault à Sommières : évacuation"


def _declared(encoding: str) -> str:
    return f'<?xml version="1.0" encoding="{encoding}"?>\n' + cap(
        info(event="Crue", headline=_ACCENTS), identifier="ENC-1"
    )


@pytest.mark.parametrize(
    ("encoding", "codec"),
    [
        ("ISO-8859-1", "latin-1"),
        ("iso-8859-15", "iso8859-15"),
        ("windows-1252", "cp1252"),
        ("UTF-8", "utf-8"),
        ("US-ASCII", "ascii"),
    ],
)
def test_bytes_in_the_declared_encoding(encoding: str, codec: str) -> None:
    text = _declared(encoding)
    if codec == "ascii":
        text = text.replace(_ACCENTS, "Crue de l'Herault")
    data = text.encode(codec)

    alert = parse_cap(data)

    assert alert.title == (_ACCENTS if codec != "ascii" else "Crue de l'Herault")
    assert alert.category is Category.INONDATION
    assert alert.cap is not None and alert.cap.document_bytes == len(data)


@pytest.mark.parametrize("bom_codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "utf-32"])
def test_bytes_with_a_byte_order_mark(bom_codec: str) -> None:
    text = _declared("UTF-16" if "16" in bom_codec else "UTF-8")
    data = text.encode(bom_codec)
    if bom_codec in ("utf-16-le", "utf-16-be"):
        bom = codecs.BOM_UTF16_LE if bom_codec.endswith("le") else codecs.BOM_UTF16_BE
        data = bom + data

    assert parse_cap(data).title == _ACCENTS


def test_latin1_with_windows_1252_punctuation_is_read_as_browsers_do() -> None:
    data = _declared("ISO-8859-1").replace("Crue de l'", "Crue de l’").encode("cp1252")

    assert parse_cap(data).title == _ACCENTS.replace("l'", "l’")


def test_latin1_bytes_declared_utf8_are_read_with_a_warning() -> None:
    found = parse_cap(_declared("UTF-8").encode("latin-1"))

    assert found.title == _ACCENTS
    assert found.cap is not None
    assert "document lu en windows-1252" in found.cap.warnings[0]


def test_str_input_keeps_its_declaration_harmless() -> None:
    assert parse_cap(_declared("ISO-8859-1")).title == _ACCENTS


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (_declared("klingon-8").encode("ascii", "replace"), "cap : encodage déclaré inconnu"),
        (_declared("UTF-16").encode("latin-1"), "sans marque d'ordre des octets"),
        (
            codecs.BOM_UTF8 + _declared("UTF-8").encode("latin-1"),
            "octets invalides pour l'encodage",
        ),
        (_declared("ascii").encode("latin-1"), "octets invalides pour l'encodage ascii"),
    ],
    ids=["unknown-encoding", "utf16-without-bom", "bad-utf8-after-bom", "bad-ascii"],
)
def test_undecodable_bytes_are_refused(data: bytes, reason: str) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_cap(data)

    assert reason in refused.value.reason


def test_size_limit_is_the_frame_limit_for_bytes_too() -> None:
    data = cap(info(description="x" * MAX_CAP_BYTES)).encode()

    with pytest.raises(ValidationError, match="cap : document trop volumineux"):
        parse_cap(data)


# --- hostile XML in any encoding -------------------------------------------------

_XXE = '<!DOCTYPE alert [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
_LAUGHS = (
    '<!DOCTYPE alert [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
)


@pytest.mark.parametrize("codec", ["utf-8", "utf-16", "latin-1"])
@pytest.mark.parametrize(
    "prolog", [_XXE, _LAUGHS, '<!DOCTYPE alert SYSTEM "http://evil.example/x.dtd">']
)
def test_hostile_xml_is_refused_whatever_its_encoding(codec: str, prolog: str) -> None:
    xml = cap(identifier="&xxe;" if "xxe" in prolog else "&c;", prolog=prolog)
    data = xml.encode(codec)

    with pytest.raises(ValidationError, match=r"cap : XML (refusé|mal formé)"):
        parse_cap(data)


# --- resources -------------------------------------------------------------------


def test_embedded_resource_keeps_metadata_not_the_blob() -> None:
    blob = bytes(range(256)) * 40
    encoded = base64.encodebytes(blob).decode()  # wrapped at 76 columns, as MIME does
    resource = (
        "<resource><resourceDesc>Carte de vigilance</resourceDesc><mimeType>image/png</mimeType>"
        f"<size>{len(blob)}</size><uri>carte.png</uri><derefUri>{encoded}</derefUri>"
        "<digest>0123456789abcdef0123456789abcdef01234567</digest></resource>"
        "<resource><resourceDesc>Bulletin</resourceDesc><mimeType>application/pdf</mimeType>"
        "<uri>https://meteo.example/bulletin.pdf</uri></resource>"
    )
    found = facts(cap(info(resources=resource)))

    first, second = found.resources
    assert (first.desc, first.mime_type, first.size, first.uri) == (
        "Carte de vigilance",
        "image/png",
        len(blob),
        "carte.png",
    )
    assert first.embedded_bytes == len(blob)
    assert first.embedded_sha256 == hashlib.sha256(blob).hexdigest()
    assert first.digest == "0123456789abcdef0123456789abcdef01234567"
    assert second.uri == "https://meteo.example/bulletin.pdf"
    assert (second.embedded_bytes, second.size) == (0, None)
    assert encoded[:40] not in repr(found.to_json())  # the blob is not kept


@pytest.mark.parametrize(
    ("resource", "warning"),
    [
        ("<size>douze</size>", "cap.info.resource.size : taille illisible"),
        ("<derefUri>QUJD=x</derefUri>", "cap.info.resource.derefUri : base64 illisible"),
    ],
)
def test_bad_resource_parts_are_warned_not_refused(resource: str, warning: str) -> None:
    xml = cap(info(resources=f"<resource><resourceDesc>R</resourceDesc>{resource}</resource>"))

    found = facts(xml)

    assert len(found.resources) == 1
    assert any(w.startswith(warning) for w in found.warnings)


# --- signatures ------------------------------------------------------------------

_SIGNATURE = (
    f'<Signature xmlns="{DSIG_NAMESPACE}"><SignedInfo/><SignatureValue>AAAA</SignatureValue>'
    "</Signature>"
)


class RecordingChecker:
    """A SignatureChecker that records its calls and answers a fixed verdict (the
    real one, with signxml, is core.cap_signature's own tests)."""

    def __init__(self, verdict: Signature) -> None:
        self.verdict = verdict
        self.calls: list[tuple[bytes, str]] = []

    def check(self, document: bytes, sender: str) -> tuple[Signature, str]:
        self.calls.append((document, sender))
        return self.verdict, "vérifiée avec le certificat de test"


def _signed() -> str:
    return cap(info(areas=area(circle("43.8,4.36 2")))).replace("</alert>", _SIGNATURE + "</alert>")


def test_signed_document_is_checked_with_its_bytes_and_sender() -> None:
    checker = RecordingChecker(Signature.VALID)
    data = _signed().encode("utf-8")

    alert = parse_cap(data, signatures=checker)

    assert checker.calls == [(data, SENDER)]
    assert alert.cap is not None
    assert alert.cap.signature is Signature.VALID
    assert alert.cap.signature_detail == "vérifiée avec le certificat de test"


def test_invalid_signature_is_flagged_not_dropped() -> None:
    alert = parse_cap(_signed(), signatures=RecordingChecker(Signature.INVALID))

    assert alert.cap is not None and alert.cap.signature is Signature.INVALID


def test_signed_document_without_checker_is_untrusted() -> None:
    found = facts(_signed())

    assert found.signature is Signature.UNTRUSTED
    assert found.signature_detail == "aucun certificat de confiance configuré"


def test_unsigned_document_does_not_call_the_checker() -> None:
    checker = RecordingChecker(Signature.VALID)

    alert = parse_cap(cap(), signatures=checker)

    assert checker.calls == []
    assert alert.cap is not None and alert.cap.signature is None


def test_facts_survive_their_json_round_trip() -> None:
    xml = cap(
        info(areas=area(circle("43.8,4.36 2")) + area(desc="Gard")),
        info(language="en-GB", event="Thunderstorms"),
        scope="Restricted",
        extra=f"<references>{SENDER},ID-0,2024-11-14T06:00:00Z</references>",
    )
    found = facts(xml)

    assert CapFacts.from_json(found.to_json()) == found


def _same(code: str, event: str) -> str:
    return info(category="Safety", event=event, urgency="Immediate", severity="Severe").replace(
        "<urgency>",
        f"<eventCode><valueName>SAME</valueName><value>{code}</value></eventCode><urgency>",
    )


def test_an_actual_required_monthly_test_is_a_test() -> None:
    alert = parse_cap(cap(_same("RMT", "Required Monthly Test")))

    assert alert.cap is not None
    assert alert.cap.status is Status.TEST
    assert alert.extra["status"] == "Test"
    assert disposition(alert.cap) is Disposition.FEED_LOG
    assert "est un test" in alert.cap.warnings[0]


def test_same_event_code_gives_the_category_when_the_event_says_nothing() -> None:
    alert = parse_cap(cap(_same("LAE", "Avis important")))

    assert alert.category is Category.ALERTE_POPULATION
    assert alert.cap is not None and alert.cap.status is Status.ACTUAL


@pytest.mark.parametrize("status", ["Test", "System"])
def test_a_test_or_system_alert_may_have_no_info(status: str) -> None:
    alert = parse_cap(cap("", status=status, extra="<note>Heartbeat</note>"))

    assert alert.title == "Heartbeat"
    assert alert.cap is not None and disposition(alert.cap) is Disposition.FEED_LOG


class BrokenChecker:
    """A SignatureChecker that fails (a crypto library raising): flagged, not lost."""

    def check(self, document: bytes, sender: str) -> tuple[Signature, str]:
        raise ValueError("certificat illisible")


@pytest.mark.expected_logs("csu.cap")
def test_a_failing_checker_flags_the_signature_and_keeps_the_alert(
    caplog: pytest.LogCaptureFixture,
) -> None:
    alert = parse_cap(_signed(), signatures=BrokenChecker())

    assert alert.cap is not None
    assert alert.cap.signature is Signature.INVALID
    assert (
        alert.cap.signature_detail == "vérification impossible : ValueError: certificat illisible"
    )
    assert "vérification de signature CAP en échec" in caplog.text
