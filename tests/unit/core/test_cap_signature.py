"""XML-DSig signatures of CAP documents (core/cap_signature.py, sim/cap_sign.py).

Real signatures: keys and self-signed certificates made by ``cryptography``, documents
signed by ``signxml`` (through :func:`sign_cap`), verified by the checker."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from lxml import etree
from signxml import XMLSigner, XMLVerifier
from signxml.algorithms import CanonicalizationMethod, SignatureMethod

from csu_console.core.cap_facts import Signature, SignatureChecker
from csu_console.core.cap_signature import (
    CapSignatureVerifier,
    CertificateError,
    TrustedCertificate,
    check_files,
    load_certificates,
)
from csu_console.sim.cap_sign import SigningIdentity, self_signed, sign_cap

SENDER = "alertes@gard.gouv.fr"
CAP = "urn:oasis:names:tc:emergency:cap:1.2"
DS = "http://www.w3.org/2000/09/xmldsig#"


Signer = SigningIdentity


def _signer(cn: str, kind: str = "rsa", days: int = 365, start_days: int = -1) -> Signer:
    return self_signed(
        cn,
        organization="Préfecture du Gard",
        kind=kind,
        valid_from=datetime.now(UTC) + timedelta(days=start_days),
        days=days,
    )


@pytest.fixture(scope="module")
def partner() -> Signer:
    return _signer("CAP Préfecture du Gard")


@pytest.fixture(scope="module")
def partner_ec() -> Signer:
    return _signer("CAP Préfecture du Gard (EC)", kind="ec")


@pytest.fixture(scope="module")
def stranger() -> Signer:
    return _signer("Émetteur inconnu", kind="ec")


def cap_document(
    *, encoding: str = "UTF-8", headline: str = "Vigilance rouge crues : le Vidourle déborde"
) -> bytes:
    """A CAP 1.2 flood alert as a French partner writes it (two info blocks, a polygon)."""
    text = f"""<?xml version="1.0" encoding="{encoding}"?>
<alert xmlns="{CAP}">
  <identifier>FR-GARD-2026-1205-0042</identifier>
  <sender>{SENDER}</sender>
  <sent>2026-12-05T04:30:00+01:00</sent>
  <status>Actual</status>
  <msgType>Alert</msgType>
  <scope>Public</scope>
  <info>
    <language>fr-FR</language>
    <category>Met</category>
    <event>Crue</event>
    <urgency>Immediate</urgency>
    <severity>Extreme</severity>
    <certainty>Observed</certainty>
    <senderName>Préfecture du Gard, COD</senderName>
    <headline>{headline}</headline>
    <description>Montée rapide des eaux à Sommières, quais évacués.</description>
    <instruction>Rejoindre les étages, ne pas s'engager sur une voie inondée.</instruction>
    <area>
      <areaDesc>Sommières, rives du Vidourle</areaDesc>
      <polygon>43.790,4.080 43.790,4.100 43.775,4.100 43.775,4.080 43.790,4.080</polygon>
      <geocode><valueName>INSEE</valueName><value>30321</value></geocode>
    </area>
  </info>
  <info>
    <language>en-GB</language>
    <category>Met</category>
    <event>Flood</event>
    <urgency>Immediate</urgency>
    <severity>Extreme</severity>
    <certainty>Observed</certainty>
    <headline>Red flood warning: the Vidourle overflows</headline>
  </info>
</alert>
"""
    return text.encode(encoding)


def _checker(trusted: dict[str, list[Signer]], **kwargs: object) -> CapSignatureVerifier:
    return CapSignatureVerifier(
        {sender: [s.cert_pem for s in signers] for sender, signers in trusted.items()},
        **kwargs,  # type: ignore[arg-type]
    )


# -- valid ----------------------------------------------------------------------------


def test_rsa_signed_document_is_valid(partner: Signer) -> None:
    signed = sign_cap(cap_document(), partner.key_pem, partner.cert_pem)
    checker: SignatureChecker = _checker({SENDER: [partner]})
    verdict, detail = checker.check(signed, SENDER)
    assert verdict is Signature.VALID, detail
    assert detail.startswith("signé par CN=CAP Préfecture du Gard")
    assert "empreinte SHA-256" in detail
    assert "SHA-1" not in detail


def test_ecdsa_signed_document_is_valid(partner_ec: Signer) -> None:
    signed = sign_cap(cap_document(), partner_ec.key_pem, partner_ec.cert_pem)
    assert b"ecdsa-sha256" in signed
    verdict, detail = _checker({SENDER: [partner_ec]}).check(signed, SENDER)
    assert verdict is Signature.VALID, detail


def test_iso_8859_1_document_verifies(partner: Signer) -> None:
    signed = sign_cap(cap_document(encoding="ISO-8859-1"), partner.key_pem, partner.cert_pem)
    assert signed.startswith(b"<?xml version='1.0' encoding='ISO-8859-1'?>")
    assert "Préfecture".encode("latin-1") in signed  # really Latin-1 bytes, not UTF-8
    verdict, detail = _checker({SENDER: [partner]}).check(signed, SENDER)
    assert verdict is Signature.VALID, detail
    # the same content re-encoded in UTF-8 keeps its signature (c14n is over characters)
    utf8 = signed.decode("latin-1").replace("ISO-8859-1", "UTF-8", 1).encode("utf-8")
    assert _checker({SENDER: [partner]}).check(utf8, SENDER)[0] is Signature.VALID


def test_rsa_pss_signature_is_valid(partner: Signer) -> None:
    root = etree.fromstring(cap_document())
    signed = XMLSigner(
        signature_algorithm=SignatureMethod.SHA256_RSA_MGF1,
        c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0,
    ).sign(root, key=partner.key_pem, cert=partner.cert_pem.decode())
    verdict, detail = _checker({SENDER: [partner]}).check(etree.tostring(signed), SENDER)
    assert verdict is Signature.VALID, detail


def test_document_given_as_text_verifies_whatever_its_declaration(partner: Signer) -> None:
    """Protocol v1 ``xml``: the gateway decoded the Latin-1 bytes to text; the text
    still declares ISO-8859-1. Given as text, it verifies; its bytes in UTF-8 under
    that declaration would read « PrÃ©fecture » and not verify."""
    signed = sign_cap(cap_document(encoding="ISO-8859-1"), partner.key_pem, partner.cert_pem)
    text = signed.decode("latin-1")
    assert "encoding='ISO-8859-1'" in text
    checker = _checker({SENDER: [partner]})
    verdict, detail = checker.check(text, SENDER)
    assert verdict is Signature.VALID, detail
    assert checker.check("\ufeff" + text, SENDER)[0] is Signature.VALID
    assert checker.check(text.encode("utf-8"), SENDER)[1] == (
        "signature invalide : le document a été modifié après signature"
    )
    tampered = text.replace("Vidourle", "Gardon", 1)
    assert checker.check(tampered, SENDER)[0] is Signature.INVALID


def test_key_rollover_any_trusted_certificate_of_the_sender(
    partner: Signer, partner_ec: Signer
) -> None:
    """During a rollover two certificates are trusted; either one signs."""
    checker = _checker({SENDER: [partner, partner_ec]})
    for signer in (partner, partner_ec):
        signed = sign_cap(cap_document(), signer.key_pem, signer.cert_pem)
        verdict, detail = checker.check(signed, SENDER)
        assert verdict is Signature.VALID, detail
        assert signer.certificate.subject.rfc4514_string() in detail


def test_signature_without_key_info_verifies_with_the_trusted_certificate(
    partner: Signer,
) -> None:
    """Partners need not embed their certificate: the site's is what counts."""
    root = etree.fromstring(sign_cap(cap_document(), partner.key_pem, partner.cert_pem))
    key_info = root.find(f"{{{DS}}}Signature/{{{DS}}}KeyInfo")
    assert key_info is not None
    key_info.getparent().remove(key_info)
    verdict, detail = _checker({SENDER: [partner]}).check(etree.tostring(root), SENDER)
    assert verdict is Signature.VALID, detail


def test_comment_added_after_signing_changes_nothing_read(partner: Signer) -> None:
    """Comments are outside exclusive c14n: still valid, and the parser (ElementTree)
    reads the same headline as was signed (no truncation through a comment)."""
    signed = sign_cap(cap_document(), partner.key_pem, partner.cert_pem)
    commented = signed.replace(b"le Vidourle", b"le <!-- note -->Vidourle", 1)
    verdict, _ = _checker({SENDER: [partner]}).check(commented, SENDER)
    assert verdict is Signature.VALID
    headline = ET.fromstring(commented).find(f"{{{CAP}}}info/{{{CAP}}}headline")
    assert headline is not None
    assert headline.text == "Vigilance rouge crues : le Vidourle déborde"


# -- invalid --------------------------------------------------------------------------


def test_headline_changed_after_signing_is_invalid(partner: Signer) -> None:
    signed = sign_cap(cap_document(), partner.key_pem, partner.cert_pem)
    tampered = signed.replace(b"Vigilance rouge", b"Vigilance jaune", 1)
    assert tampered != signed
    verdict, detail = _checker({SENDER: [partner]}).check(tampered, SENDER)
    assert verdict is Signature.INVALID
    assert detail == "signature invalide : le document a été modifié après signature"


def test_one_byte_changed_in_the_headline_is_invalid(partner: Signer) -> None:
    signed = bytearray(sign_cap(cap_document(), partner.key_pem, partner.cert_pem))
    at = signed.index(b"Vidourle d")
    signed[at] = ord("W")
    verdict, detail = _checker({SENDER: [partner]}).check(bytes(signed), SENDER)
    assert (verdict, detail) == (
        Signature.INVALID,
        "signature invalide : le document a été modifié après signature",
    )


def test_signed_info_edited_is_invalid(partner: Signer) -> None:
    """Editing the digest too (to match edited content) breaks the signature value."""
    signed = sign_cap(cap_document(), partner.key_pem, partner.cert_pem)
    root = etree.fromstring(signed)
    digest = root.find(f".//{{{DS}}}DigestValue")
    assert digest is not None and digest.text
    digest.text = "A" + digest.text[1:] if digest.text[0] != "A" else "B" + digest.text[1:]
    verdict, detail = _checker({SENDER: [partner]}).check(etree.tostring(root), SENDER)
    assert verdict is Signature.INVALID
    assert "modifié après signature" in detail


def test_signed_by_another_key_is_invalid_and_names_the_signer(
    partner: Signer, stranger: Signer
) -> None:
    signed = sign_cap(cap_document(), stranger.key_pem, stranger.cert_pem)
    verdict, detail = _checker({SENDER: [partner]}).check(signed, SENDER)
    assert verdict is Signature.INVALID
    assert detail.startswith(
        "certificat non reconnu pour cet émetteur (signé par CN=Émetteur inconnu"
    )


def test_ecdsa_signature_when_only_rsa_is_trusted_says_so(
    partner: Signer, stranger: Signer
) -> None:
    root = etree.fromstring(sign_cap(cap_document(), stranger.key_pem, stranger.cert_pem))
    key_info = root.find(f"{{{DS}}}Signature/{{{DS}}}KeyInfo")
    assert key_info is not None
    key_info.getparent().remove(key_info)  # nothing tells who signed
    verdict, detail = _checker({SENDER: [partner]}).check(etree.tostring(root), SENDER)
    assert (verdict, detail) == (
        Signature.INVALID,
        "certificat non reconnu pour cet émetteur (signature ECDSA, aucun certificat ECDSA)",
    )


def test_no_certificate_for_the_sender_is_untrusted(partner: Signer, stranger: Signer) -> None:
    signed = sign_cap(cap_document(), partner.key_pem, partner.cert_pem)
    verdict, detail = _checker({"autre@exemple.fr": [stranger]}).check(signed, SENDER)
    assert verdict is Signature.UNTRUSTED
    assert detail.startswith(f"aucun certificat de confiance pour l'émetteur « {SENDER} »")
    # the installer learns which certificate to ask the partner for
    assert TrustedCertificate(partner.certificate).fingerprint[:23] in detail
    assert _checker({}).check(signed, SENDER)[0] is Signature.UNTRUSTED


def test_sender_other_than_the_signed_one_is_invalid(partner: Signer) -> None:
    """A certificate trusted for two senders does not let one pose as the other."""
    signed = sign_cap(cap_document(), partner.key_pem, partner.cert_pem)
    checker = _checker({SENDER: [partner], "crues@sdis30.fr": [partner]})
    verdict, detail = checker.check(signed, "crues@sdis30.fr")
    assert verdict is Signature.INVALID
    assert "l'émetteur signé « alertes@gard.gouv.fr » n'est pas « crues@sdis30.fr »" in detail


def test_expired_trusted_certificate_is_invalid_with_the_date(partner: Signer) -> None:
    signed = sign_cap(cap_document(), partner.key_pem, partner.cert_pem)
    later = datetime.now(UTC) + timedelta(days=800)
    verdict, detail = _checker({SENDER: [partner]}, clock=lambda: later).check(signed, SENDER)
    assert verdict is Signature.INVALID
    expiry = partner.certificate.not_valid_after_utc.strftime("%d/%m/%Y")
    assert detail.startswith(f"signature conforme mais certificat de confiance expiré le {expiry}")


def test_expired_certificate_and_tampered_document_says_modified(partner: Signer) -> None:
    signed = sign_cap(cap_document(), partner.key_pem, partner.cert_pem)
    tampered = signed.replace(b"Extreme", b"Minor", 1)
    later = datetime.now(UTC) + timedelta(days=800)
    verdict, detail = _checker({SENDER: [partner]}, clock=lambda: later).check(tampered, SENDER)
    assert (verdict, detail) == (
        Signature.INVALID,
        "signature invalide : le document a été modifié après signature",
    )


# -- SHA-1 (older feeds) --------------------------------------------------------------


def test_sha1_signature_is_accepted_with_a_note_by_default(partner: Signer) -> None:
    signed = sign_cap(cap_document(), partner.key_pem, partner.cert_pem, legacy_sha1=True)
    assert b"#rsa-sha1" in signed and b"#sha1" in signed
    verdict, detail = _checker({SENDER: [partner]}).check(signed, SENDER)
    assert verdict is Signature.VALID
    assert detail.endswith("algorithme SHA-1 ancien, à faire remplacer par SHA-256 chez l'émetteur")


def test_sha1_signature_is_refused_when_configured(partner: Signer) -> None:
    signed = sign_cap(cap_document(), partner.key_pem, partner.cert_pem, legacy_sha1=True)
    verdict, detail = _checker({SENDER: [partner]}, accept_sha1=False).check(signed, SENDER)
    assert verdict is Signature.INVALID
    assert detail == "signature invalide : algorithme rsa-sha1 refusé par la configuration (SHA-1)"


def test_hmac_signature_is_refused(partner: Signer) -> None:
    """A shared-secret MAC proves nothing about the sender here."""
    root = etree.fromstring(cap_document())
    signed = XMLSigner(signature_algorithm="hmac-sha256").sign(root, key=b"secret partage")
    verdict, detail = _checker({SENDER: [partner]}).check(etree.tostring(signed), SENDER)
    assert verdict is Signature.INVALID
    assert "algorithme de signature non pris en charge" in detail


# -- signature wrapping ---------------------------------------------------------------


def test_unsigned_info_added_after_signing_is_invalid(partner: Signer) -> None:
    signed = sign_cap(cap_document(), partner.key_pem, partner.cert_pem)
    extra = (
        b"<info><language>fr-FR</language><category>Safety</category><event>Fausse alerte"
        b"</event><urgency>Immediate</urgency><severity>Extreme</severity>"
        b"<certainty>Observed</certainty></info>"
    )
    wrapped = signed.replace(b"<ds:Signature", extra + b"<ds:Signature", 1)
    verdict, detail = _checker({SENDER: [partner]}).check(wrapped, SENDER)
    assert verdict is Signature.INVALID
    assert "modifié après signature" in detail


def test_signed_alert_moved_inside_a_forged_one_is_not_valid(partner: Signer) -> None:
    """The signed alert hidden in a forged <alert> (signature no longer its child)."""
    signed = etree.fromstring(sign_cap(cap_document(), partner.key_pem, partner.cert_pem))
    forged = etree.fromstring(cap_document(headline="Évacuation générale de Nîmes"))
    forged.find(f"{{{CAP}}}info").append(signed)  # type: ignore[union-attr]
    verdict, detail = _checker({SENDER: [partner]}).check(etree.tostring(forged), SENDER)
    assert verdict is Signature.INVALID
    assert "signature mal placée" in detail


def test_signature_moved_onto_a_forged_alert_is_invalid(partner: Signer) -> None:
    signed = etree.fromstring(sign_cap(cap_document(), partner.key_pem, partner.cert_pem))
    forged = etree.fromstring(cap_document(headline="Évacuation générale de Nîmes"))
    forged.append(signed.find(f"{{{DS}}}Signature"))  # type: ignore[arg-type]
    verdict, detail = _checker({SENDER: [partner]}).check(etree.tostring(forged), SENDER)
    assert (verdict, detail) == (
        Signature.INVALID,
        "signature invalide : le document a été modifié après signature",
    )


def test_signature_covering_only_one_info_is_not_valid(partner: Signer) -> None:
    """A reference to a part (#id) verifies for signxml but proves nothing about the
    rest of the document: a forged second <info> rides along."""
    root = etree.fromstring(cap_document())
    first_info = root.find(f"{{{CAP}}}info")
    assert first_info is not None
    first_info.set("Id", "info-fr")
    signed = XMLSigner(
        c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0
    ).sign(root, key=partner.key_pem, cert=partner.cert_pem.decode(), reference_uri="#info-fr")
    forged_info = etree.SubElement(signed, f"{{{CAP}}}info")
    etree.SubElement(forged_info, f"{{{CAP}}}event").text = "Évacuation générale"
    document = etree.tostring(signed)
    XMLVerifier().verify(document, x509_cert=partner.cert_pem.decode())  # signxml alone: fine
    verdict, detail = _checker({SENDER: [partner]}).check(document, SENDER)
    assert verdict is Signature.INVALID
    assert detail == (
        "signature invalide : la signature ne couvre pas tout le document (référence « #info-fr »)"
    )


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        (b"<ds:SignatureValue>", b"<ds:SignatureValue>A", "signature mal formée"),
        (b"</ds:SignedInfo>", b"<ds:Object/></ds:SignedInfo>", "signature mal formée"),
    ],
    ids=["value not base64", "not the XML-DSig schema"],
)
def test_broken_signature_content_is_invalid(
    partner: Signer, old: bytes, new: bytes, reason: str
) -> None:
    signed = sign_cap(cap_document(), partner.key_pem, partner.cert_pem)
    assert old in signed
    verdict, detail = _checker({SENDER: [partner]}).check(signed.replace(old, new, 1), SENDER)
    assert verdict is Signature.INVALID
    assert reason in detail


def test_empty_signature_value_is_invalid(partner: Signer) -> None:
    root = etree.fromstring(sign_cap(cap_document(), partner.key_pem, partner.cert_pem))
    value = root.find(f"{{{DS}}}Signature/{{{DS}}}SignatureValue")
    assert value is not None
    value.text = None
    verdict, detail = _checker({SENDER: [partner]}).check(etree.tostring(root), SENDER)
    assert verdict is Signature.INVALID
    assert detail.startswith("signature invalide : ")


def test_two_signatures_are_not_valid(partner: Signer) -> None:
    signed = etree.fromstring(sign_cap(cap_document(), partner.key_pem, partner.cert_pem))
    signature = signed.find(f"{{{DS}}}Signature")
    assert signature is not None
    signed.insert(0, etree.fromstring(etree.tostring(signature)))
    verdict, detail = _checker({SENDER: [partner]}).check(etree.tostring(signed), SENDER)
    assert verdict is Signature.INVALID
    assert "2 signatures" in detail


# -- garbage and hostile input --------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE alert [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><sender>&d;</sender>
<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"/></alert>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE alert [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><sender>&x;</sender>
<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"/></alert>"""
EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE alert SYSTEM "http://127.0.0.1:9/cap.dtd">
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><sender>x</sender></alert>"""
EMPTY_SIGNATURE = (
    b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><sender>alertes@gard.gouv.fr</sender>'
    b'<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"/></alert>'
)
GARBAGE = {
    "empty": b"",
    "blank": b"  \n ",
    "not xml": b"ceci n'est pas du XML",
    "binary": bytes(range(256)) * 4,
    "truncated": b'<?xml version="1.0"?><alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><sen',
    "billion laughs": BILLION_LAUGHS,
    "xxe": XXE,
    "external dtd": EXTERNAL_DTD,
    "undefined entity": b"<alert><sender>&nope;</sender></alert>",
    "not cap": b"<html><body><Signature xmlns='http://www.w3.org/2000/09/xmldsig#'/></body></html>",
    "unsigned": cap_document(),
    "empty signature": EMPTY_SIGNATURE,
    "deep": b"<alert>" + b"<a>" * 5000 + b"</a>" * 5000 + b"</alert>",
    "utf-16 declared, utf-8 given": b'<?xml version="1.0" encoding="UTF-16"?><alert/>',
    "unknown encoding": b'<?xml version="1.0" encoding="X-NOPE"?><alert/>',
}


@pytest.mark.parametrize("document", GARBAGE.values(), ids=GARBAGE.keys())
def test_garbage_is_invalid_for_a_trusted_sender_and_never_raises(
    partner: Signer, document: bytes
) -> None:
    verdict, detail = _checker({SENDER: [partner]}).check(document, SENDER)
    assert verdict is Signature.INVALID
    assert detail.startswith("signature invalide : ")


@pytest.mark.parametrize("document", GARBAGE.values(), ids=GARBAGE.keys())
def test_garbage_as_text_is_invalid_and_never_raises(partner: Signer, document: bytes) -> None:
    verdict, detail = _checker({SENDER: [partner]}).check(document.decode("latin-1"), SENDER)
    assert verdict is Signature.INVALID
    assert detail.startswith("signature invalide : ")


@pytest.mark.parametrize("document", GARBAGE.values(), ids=GARBAGE.keys())
def test_garbage_is_untrusted_for_an_unknown_sender(partner: Signer, document: bytes) -> None:
    verdict, detail = _checker({SENDER: [partner]}).check(document, "inconnu@exemple.fr")
    assert verdict is Signature.UNTRUSTED
    assert detail.startswith("aucun certificat de confiance pour l'émetteur « inconnu@exemple.fr »")


def test_specific_reasons_for_hostile_and_misplaced(partner: Signer) -> None:
    checker = _checker({SENDER: [partner]})
    assert (
        checker.check(XXE, SENDER)[1] == "signature invalide : document refusé : il déclare une DTD"
    )
    assert checker.check(cap_document(), SENDER)[1] == (
        "signature invalide : aucune signature XML-DSig dans le document"
    )
    assert checker.check(EMPTY_SIGNATURE, SENDER)[1] == (
        "signature invalide : élément SignedInfo absent"
    )


# -- certificates ---------------------------------------------------------------------


def test_from_pem_files(tmp_path: Path, partner: Signer, partner_ec: Signer) -> None:
    both = tmp_path / "gard.pem"
    both.write_bytes(partner.cert_pem + partner_ec.cert_pem)  # a bundle: both trusted
    der = tmp_path / "sdis.der"
    der.write_bytes(partner.certificate.public_bytes(serialization.Encoding.DER))
    checker = CapSignatureVerifier.from_pem_files({SENDER: [both], "crues@sdis30.fr": [der]})
    assert checker.senders == (SENDER, "crues@sdis30.fr")
    assert [c.source for c in checker.certificates(SENDER)] == [str(both), str(both)]
    signed = sign_cap(cap_document(), partner_ec.key_pem, partner_ec.cert_pem)
    assert checker.check(signed, SENDER)[0] is Signature.VALID
    assert checker.certificates("personne") == ()


@pytest.mark.expected_logs("csu.cap.signature")
def test_unreadable_certificate_files_are_reported(
    tmp_path: Path, partner: Signer, caplog: pytest.LogCaptureFixture
) -> None:
    good = tmp_path / "good.pem"
    good.write_bytes(partner.cert_pem)
    junk = tmp_path / "junk.pem"
    junk.write_bytes(b"pas un certificat")
    key = tmp_path / "key.pem"
    key.write_bytes(partner.key_pem)  # a private key given instead of the certificate
    missing = tmp_path / "absent.pem"
    with pytest.raises(CertificateError, match=r"junk\.pem : ni un certificat PEM"):
        CapSignatureVerifier.from_pem_files({SENDER: [good, junk]})
    with pytest.raises(CertificateError, match=r"absent\.pem : fichier illisible"):
        CapSignatureVerifier.from_pem_files({SENDER: [missing]})
    with pytest.raises(CertificateError, match=r"key\.pem : clé privée donnée à la place"):
        CapSignatureVerifier.from_pem_files({SENDER: [key]})
    skipped: list[str] = []
    checker = CapSignatureVerifier.from_pem_files(
        {SENDER: [junk, good], "crues@sdis30.fr": [missing]}, problems=skipped
    )
    assert checker.senders == (SENDER,)  # the good file still trusted
    assert len(skipped) == 2 and "junk.pem" in skipped[0] and "absent.pem" in skipped[1]
    assert [r.levelname for r in caplog.records if r.name == "csu.cap.signature"] == [
        "WARNING",
        "WARNING",
    ]
    problems = check_files({SENDER: [good, junk, missing, key]})
    assert len(problems) == 3
    assert all(p.startswith(f"émetteur « {SENDER} » : ") for p in problems)


def test_check_files_reports_expired_and_not_yet_valid(tmp_path: Path) -> None:
    old = tmp_path / "old.pem"
    old.write_bytes(_signer("Ancien", kind="ec", days=10, start_days=-30).cert_pem)
    future = tmp_path / "future.pem"
    future.write_bytes(_signer("Futur", kind="ec", days=10, start_days=5).cert_pem)
    problems = check_files({SENDER: [old, future]})
    assert len(problems) == 2
    assert "certificat de confiance expiré le" in problems[0] and "CN=Ancien" in problems[0]
    assert "valide seulement à partir du" in problems[1]


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl absent")
def test_fingerprint_is_the_one_openssl_prints(tmp_path: Path, partner: Signer) -> None:
    """The installer compares it with what the partner reads out (same format)."""
    pem = tmp_path / "gard.pem"
    pem.write_bytes(partner.cert_pem)
    out = subprocess.run(
        ["openssl", "x509", "-in", str(pem), "-noout", "-fingerprint", "-sha256"],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout
    assert out.strip().split("=", 1)[1] == TrustedCertificate(partner.certificate).fingerprint


def test_trusted_certificate_describe(partner: Signer) -> None:
    [cert] = load_certificates(partner.cert_pem)
    described = TrustedCertificate(cert).describe()
    assert described.startswith(
        "CN=CAP Préfecture du Gard,O=Préfecture du Gard, empreinte SHA-256 "
    )
    assert described.endswith(cert.not_valid_after_utc.strftime("valide jusqu'au %d/%m/%Y"))


def test_sign_cap_refuses_what_it_cannot_sign(partner: Signer) -> None:
    signed = sign_cap(cap_document(), partner.key_pem, partner.cert_pem)
    with pytest.raises(ValueError, match="déjà signé"):
        sign_cap(signed, partner.key_pem, partner.cert_pem)
    with pytest.raises(ValueError, match="DTD"):
        sign_cap(EXTERNAL_DTD, partner.key_pem, partner.cert_pem)
    with pytest.raises(ValueError, match="illisible"):
        sign_cap(b"<alert>", partner.key_pem, partner.cert_pem)
