"""Sign a CAP 1.2 document as a partner would (XML-DSig, enveloped), no Qt.

For the demo, the simulator and the tests: :func:`sign_cap` adds to ``<alert>`` the
``<ds:Signature>`` that :class:`csu_console.core.cap_signature.CapSignatureVerifier`
checks — one reference ``URI=""`` (the whole document), the enveloped-signature
transform, exclusive canonicalisation, the signer's certificate in ``KeyInfo``.
The document keeps its declared encoding (ISO-8859-1 stays ISO-8859-1).
:func:`self_signed` makes a partner's key and certificate (the demo's, the tests').
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from cryptography.x509.oid import NameOID
from lxml import etree
from signxml.algorithms import CanonicalizationMethod, DigestAlgorithm, SignatureMethod
from signxml.signer import XMLSigner

DS_SIGNATURE = "{http://www.w3.org/2000/09/xmldsig#}Signature"


@dataclass(frozen=True)
class SigningIdentity:
    """A partner's private key and self-signed certificate, both PEM."""

    key_pem: bytes
    cert_pem: bytes

    @property
    def certificate(self) -> x509.Certificate:
        return x509.load_pem_x509_certificate(self.cert_pem)


def self_signed(
    common_name: str,
    *,
    organization: str = "",
    kind: str = "rsa",
    valid_from: datetime | None = None,
    days: int = 365,
) -> SigningIdentity:
    """A new key (``kind`` "rsa": RSA-2048, "ec": P-256) and a self-signed certificate
    valid ``days`` from ``valid_from`` (default: an hour ago). No CA: the site trusts
    the certificate itself (``[[cap.trusted]]``)."""
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
    if kind == "rsa":
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    elif kind == "ec":
        key = ec.generate_private_key(ec.SECP256R1())
    else:
        raise ValueError(f"type de clé inconnu : {kind!r} (rsa ou ec)")
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if organization:
        attributes.insert(0, x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    name = x509.Name(attributes)
    start = valid_from or datetime.now(UTC) - timedelta(hours=1)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=days))
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return SigningIdentity(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        cert.public_bytes(serialization.Encoding.PEM),
    )


class _LegacySha1Signer(XMLSigner):
    """signxml refuses to sign with SHA-1; old feeds (IPAWS until 2019…) did, and the
    verifier must be tested against such documents."""

    def check_deprecated_methods(self) -> None:
        return None


def sign_cap(
    document: bytes,
    key_pem: bytes,
    cert_pem: bytes,
    *,
    passphrase: bytes | None = None,
    legacy_sha1: bool = False,
) -> bytes:
    """``document`` with an enveloped XML-DSig signature by ``key_pem``.

    The algorithm follows the key: RSA-SHA256 for an RSA key, ECDSA-SHA256 for an EC
    key (``legacy_sha1``: RSA-SHA1 / ECDSA-SHA1 with SHA-1 digests, as old feeds).
    Raises ``ValueError`` for a document that is not XML, carries a DTD or is already
    signed, and for a key that is neither RSA nor EC.
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        tree = etree.ElementTree(etree.fromstring(document, parser=parser))
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"document XML illisible : {exc}") from exc
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        raise ValueError("document refusé : il déclare une DTD")
    root = tree.getroot()
    if any(True for _ in root.iter(DS_SIGNATURE)):
        raise ValueError("document déjà signé")
    key = load_pem_private_key(key_pem, password=passphrase)
    if isinstance(key, rsa.RSAPrivateKey):
        method = SignatureMethod.RSA_SHA1 if legacy_sha1 else SignatureMethod.RSA_SHA256
    elif isinstance(key, ec.EllipticCurvePrivateKey):
        method = SignatureMethod.ECDSA_SHA1 if legacy_sha1 else SignatureMethod.ECDSA_SHA256
    else:
        raise ValueError("clé non prise en charge : RSA ou EC (courbe P-256, P-384, P-521)")
    signer_class = _LegacySha1Signer if legacy_sha1 else XMLSigner
    signer = signer_class(
        signature_algorithm=method,
        digest_algorithm=DigestAlgorithm.SHA1 if legacy_sha1 else DigestAlgorithm.SHA256,
        c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0,
    )
    signed: Any = signer.sign(root, key=key, cert=cert_pem.decode("ascii"))
    encoding = tree.docinfo.encoding or "UTF-8"
    out: bytes = etree.tostring(signed, xml_declaration=True, encoding=encoding)
    return out + b"\n"
