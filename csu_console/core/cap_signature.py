"""XML-DSig signatures of CAP documents, checked against the certificates the site
trusts for each sender (``[[cap.trusted]]`` in site.toml), no Qt.

CAP 1.2 (§ 3.3.2.1) allows one *enveloped* signature on ``<alert>``. A document is
« signé ✔ » (:attr:`Signature.VALID`) only when all of this holds:

- one ``<ds:Signature>``, a direct child of ``<alert>``, with one reference
  ``URI=""`` (the whole document) and only the enveloped-signature and
  canonicalisation transforms — so what is signed is everything the parser reads;
- signxml verifies it with one of the certificates trusted for the sender (the
  certificate is the site's, never the one the document carries), valid now;
- the content signxml returns as signed is the document's root with every element
  (nothing unsigned beside it: no signature wrapping) and names the same sender.

Otherwise it is « signature invalide ✖ » (:attr:`Signature.INVALID`, with the
reason in French), or :attr:`Signature.UNTRUSTED` when the site trusts no
certificate for this sender (the detail names who signed, for the installer).
:meth:`CapSignatureVerifier.check` never raises; hostile XML (DTD, entities) is
refused before signxml sees it.

Algorithms: RSA (PKCS#1 v1.5 and PSS) and ECDSA with SHA-2 or SHA-3, digests
SHA-2/SHA-3. SHA-1 (RSA-SHA1, ECDSA-SHA1, SHA-1 digests: older feeds such as
IPAWS's) is accepted by default with a note in the detail, refused when the
verifier is built with ``accept_sha1=False``. DSA and HMAC are refused.
"""

from __future__ import annotations

import logging
import re
from base64 import b64decode
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from lxml import etree
from signxml.algorithms import CanonicalizationMethod, DigestAlgorithm, SignatureMethod
from signxml.exceptions import (
    InvalidCertificate,
    InvalidDigest,
    InvalidSignature,
    SignXMLException,
)
from signxml.verifier import SignatureConfiguration, XMLVerifier

from csu_console.core.cap_certificates import (
    CertificateError,
    TrustedCertificate,
    check_files,
    load_certificates,
    read_certificate_file,
    who,
)
from csu_console.core.cap_facts import Signature

__all__ = [
    "CapSignatureVerifier",
    "CertificateError",
    "TrustedCertificate",
    "check_files",
    "load_certificates",
]

log = logging.getLogger("csu.cap.signature")

DS = "http://www.w3.org/2000/09/xmldsig#"
DS_SIGNATURE = f"{{{DS}}}Signature"
ENVELOPED = f"{DS}enveloped-signature"
UNKNOWN = "certificat non reconnu pour cet émetteur"
_DECLARATION = re.compile(r"^\ufeff?\s*<\?xml\s[^>]*\?>")
MODIFIED = "signature invalide : le document a été modifié après signature"
_C14N = frozenset(m.value for m in CanonicalizationMethod)

_SIGNATURE_METHODS = frozenset(
    m
    for m in SignatureMethod
    if m.name.startswith(("RSA_", "ECDSA_")) or m.name.endswith("_RSA_MGF1")
)
_DIGESTS = frozenset(DigestAlgorithm)


class CapSignatureVerifier:
    """The :class:`csu_console.core.cap_facts.SignatureChecker` of the site: checks a
    CAP document's signature against the certificates trusted for its sender.

    ``trusted`` maps a CAP ``<sender>`` (compared exactly, as written in the
    documents) to its certificates, several during a partner's key rollover: loaded
    :class:`cryptography.x509.Certificate` objects, :class:`TrustedCertificate`, or
    PEM/DER bytes. ``clock`` gives the instant certificates must be valid at.
    Thread-safe: nothing is shared between two :meth:`check` calls but the
    read-only trust table.
    """

    def __init__(
        self,
        trusted: Mapping[str, Sequence[x509.Certificate | TrustedCertificate | bytes]],
        *,
        accept_sha1: bool = True,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        table: dict[str, tuple[TrustedCertificate, ...]] = {}
        for sender, items in trusted.items():
            certs: list[TrustedCertificate] = []
            for item in items:
                if isinstance(item, TrustedCertificate):
                    certs.append(item)
                elif isinstance(item, x509.Certificate):
                    certs.append(TrustedCertificate(item))
                else:
                    certs += [TrustedCertificate(c) for c in load_certificates(item)]
            if certs:
                table[sender.strip()] = tuple(certs)
        self._trusted = table
        self._accept_sha1 = accept_sha1
        self._clock = clock or (lambda: datetime.now(UTC))
        methods = set(_SIGNATURE_METHODS)
        digests = set(_DIGESTS)
        if not accept_sha1:
            methods = {m for m in methods if "SHA1" not in m.name}
            digests = {d for d in digests if d is not DigestAlgorithm.SHA1}
        self._methods = frozenset(methods)
        self._digests = frozenset(digests)

    @classmethod
    def from_pem_files(
        cls,
        mapping: Mapping[str, Sequence[Path]],
        *,
        accept_sha1: bool = True,
        clock: Callable[[], datetime] | None = None,
        problems: list[str] | None = None,
    ) -> CapSignatureVerifier:
        """Built from certificate files (PEM, or DER) per sender.

        A file that cannot be read or holds no certificate raises
        :class:`CertificateError` (the message names it) — unless ``problems`` is
        given: the file is then skipped and its reason appended (a console starts
        with the other certificates; that sender's documents are « non vérifiés »).
        """
        trusted: dict[str, list[TrustedCertificate]] = {}
        for sender, paths in mapping.items():
            for path in paths:
                try:
                    certs = read_certificate_file(Path(path))
                except CertificateError as exc:
                    if problems is None:
                        raise
                    problems.append(f"émetteur « {sender} » : {exc}")
                    log.warning("certificat de confiance ignoré pour %r : %s", sender, exc)
                    continue
                trusted.setdefault(sender, []).extend(certs)
        return cls(trusted, accept_sha1=accept_sha1, clock=clock)

    @property
    def senders(self) -> tuple[str, ...]:
        """The senders for which some certificate is trusted."""
        return tuple(self._trusted)

    def certificates(self, sender: str) -> tuple[TrustedCertificate, ...]:
        """The certificates trusted for ``sender`` (empty when none)."""
        return self._trusted.get(sender.strip(), ())

    def check(self, document: bytes | str, sender: str) -> tuple[Signature, str]:
        """The verdict on ``document``'s signature and a French detail; never raises.

        ``document`` is the raw bytes as received (any declared encoding), or the
        text when the document came as text (protocol v1 ``xml``): its XML
        declaration is then ignored, as the characters are already decoded — a
        text re-encoded in UTF-8 while still declaring ISO-8859-1 would otherwise
        read wrong and fail to verify.
        """
        try:
            data = _without_declaration(document) if isinstance(document, str) else document
            return self._check(data, str(sender).strip())
        except Exception as exc:
            log.exception("vérification de signature CAP impossible (émetteur %r)", sender)
            return (
                Signature.INVALID,
                f"signature invalide : vérification impossible ({type(exc).__name__})",
            )

    # -- the steps -----------------------------------------------------------------

    def _check(self, document: bytes | str, sender: str) -> tuple[Signature, str]:
        parsed = _parse(document)
        if isinstance(parsed, str):
            return self._refused(sender, parsed)
        root = parsed
        signature, problem = _locate_signature(root)
        if signature is None:
            return self._refused(sender, problem)
        embedded = _embedded_certificate(signature)
        trusted = self._trusted.get(sender)
        if not trusted:
            signer = f" ; signé par {who(embedded)}" if embedded is not None else ""
            return (
                Signature.UNTRUSTED,
                f"aucun certificat de confiance pour l'émetteur « {sender} »{signer}",
            )
        problem = self._check_structure(signature)
        if problem:
            return Signature.INVALID, "signature invalide : " + problem
        return self._verify(document, root, signature, sender, trusted, embedded)

    def _refused(self, sender: str, problem: str) -> tuple[Signature, str]:
        """A document whose signature cannot even be read: untrusted sender first."""
        if not self._trusted.get(sender):
            return (
                Signature.UNTRUSTED,
                f"aucun certificat de confiance pour l'émetteur « {sender} » ({problem})",
            )
        return Signature.INVALID, "signature invalide : " + problem

    def _check_structure(self, signature: Any) -> str:
        """What must hold before any cryptography (French reason, "" when fine)."""
        signed_info = signature.find(f"{{{DS}}}SignedInfo")
        if signed_info is None:
            return "élément SignedInfo absent"
        method_el = signed_info.find(f"{{{DS}}}SignatureMethod")
        method_uri = "" if method_el is None else str(method_el.get("Algorithm", ""))
        method = _method_of(signature)
        if method is None or method not in _SIGNATURE_METHODS:
            return "algorithme de signature non pris en charge ({})".format(method_uri or "absent")
        if method not in self._methods:
            return f"algorithme {_short(method_uri)} refusé par la configuration (SHA-1)"
        references = signed_info.findall(f"{{{DS}}}Reference")
        if len(references) != 1:
            return f"{len(references)} références signées (une seule attendue : le document entier)"
        reference = references[0]
        uri = reference.get("URI")
        if uri != "":
            return "la signature ne couvre pas tout le document (référence « {} »)".format(
                uri if uri is not None else "absente"
            )
        transforms = [
            str(t.get("Algorithm", ""))
            for t in reference.iterfind(f"{{{DS}}}Transforms/{{{DS}}}Transform")
        ]
        if ENVELOPED not in transforms:
            return "transformation enveloped-signature absente"
        other = [t for t in transforms if t != ENVELOPED and t not in _C14N]
        if other:
            return "transformation non admise : {}".format(other[0] or "sans algorithme")
        digest_el = reference.find(f"{{{DS}}}DigestMethod")
        digest_uri = "" if digest_el is None else str(digest_el.get("Algorithm", ""))
        digest = next((d for d in DigestAlgorithm if d.value == digest_uri), None)
        if digest is None:
            return "algorithme d'empreinte non pris en charge ({})".format(digest_uri or "absent")
        if digest not in self._digests:
            return f"empreinte {_short(digest_uri)} refusée par la configuration (SHA-1)"
        return ""

    def _verify(
        self,
        document: bytes | str,
        root: Any,
        signature: Any,
        sender: str,
        trusted: Sequence[TrustedCertificate],
        embedded: x509.Certificate | None,
    ) -> tuple[Signature, str]:
        now = self._clock()
        method = _method_of(signature)
        # only certificates whose key can make this kind of signature; the one the
        # document names, when trusted, first (a single verification, usually)
        fitting = [t for t in trusted if method is not None and _key_fits(method, t)]
        fitting.sort(key=lambda t: t.certificate != embedded)
        modified = wrong_key = False
        outdated: list[str] = []
        malformed: list[str] = []
        for cert in fitting:
            validity = cert.validity_problem(now)
            at = now
            if validity:
                # verify within the certificate's lifetime, to say whether the
                # signature is right and only the certificate is out of date
                at = (
                    cert.not_after - timedelta(seconds=1)
                    if now > cert.not_after
                    else cert.not_before
                )
            try:
                result = self._signxml(document, cert.certificate, at)
            except InvalidDigest:
                modified = True  # SignedInfo verified with this key, content changed
                continue
            except InvalidCertificate as exc:
                malformed.append(str(exc))
                continue
            except InvalidSignature:
                wrong_key = True  # another key, or SignedInfo edited: next certificate
                continue
            except (SignXMLException, etree.LxmlError, ValueError, TypeError) as exc:
                # hostile or broken Signature content (bad base64, empty value, schema)
                log.info("signature CAP de %r refusée par signxml : %s", sender, exc)
                malformed.append(_brief(exc))
                continue
            if validity:
                outdated.append(validity)
                continue
            problem = _covers_document(result, root, signature, sender)
            if problem:
                return Signature.INVALID, "signature invalide : " + problem
            return Signature.VALID, self._signed_by(cert, signature)
        if modified:
            return Signature.INVALID, MODIFIED
        if outdated:
            return Signature.INVALID, "signature conforme mais " + outdated[0]
        if wrong_key and embedded is not None and any(t.certificate == embedded for t in fitting):
            # signed by the trusted certificate, yet its signature no longer matches
            # SignedInfo: the digests were edited along with the content
            return Signature.INVALID, MODIFIED
        if embedded is not None and not any(t.certificate == embedded for t in trusted):
            return Signature.INVALID, f"{UNKNOWN} (signé par {who(embedded)})"
        if malformed and not wrong_key:
            return Signature.INVALID, f"signature invalide : signature mal formée ({malformed[0]})"
        if not fitting:
            kind = "ECDSA" if method is not None and method.name.startswith("ECDSA_") else "RSA"
            return Signature.INVALID, f"{UNKNOWN} (signature {kind}, aucun certificat {kind})"
        return Signature.INVALID, UNKNOWN

    def _signxml(self, document: bytes | str, cert: x509.Certificate, at: datetime) -> Any:
        config = SignatureConfiguration(
            location="./",  # a direct child of <alert>
            expect_references=1,
            signature_methods=self._methods,
            digest_algorithms=self._digests,
            verification_time=at,
        )
        # a new verifier per call: XMLVerifier keeps per-call state on itself
        return XMLVerifier().verify(
            document, x509_cert=cert, parser=_parser(), expect_config=config
        )

    def _signed_by(self, cert: TrustedCertificate, signature: Any) -> str:
        detail = f"signé par {who(cert.certificate)}"
        method_el = signature.find(f"{{{DS}}}SignedInfo/{{{DS}}}SignatureMethod")
        digest_el = signature.find(f"{{{DS}}}SignedInfo/{{{DS}}}Reference/{{{DS}}}DigestMethod")
        uris = [str(el.get("Algorithm", "")) for el in (method_el, digest_el) if el is not None]
        if any(_is_sha1_uri(u) for u in uris):
            detail += " ; algorithme SHA-1 ancien, à faire remplacer par SHA-256 chez l'émetteur"
        return detail


# -- helpers ---------------------------------------------------------------------------


def _parser() -> Any:
    """A hardened parser: no entity expansion, no network, no DTD loading (lxml
    parsers are not thread-safe: one per use)."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _without_declaration(text: str) -> str:
    """``text`` without its ``<?xml …?>`` declaration (lxml refuses a str with one)."""
    return _DECLARATION.sub("", text, count=1)


def _parse(document: bytes | str) -> Any:
    """The root element, or a French reason why the document cannot be checked."""
    if not isinstance(document, bytes | str) or not document.strip():
        return "document vide"
    try:
        root = etree.fromstring(document, parser=_parser())
    except (etree.XMLSyntaxError, ValueError) as exc:
        return f"document XML illisible ({_brief(exc)})"
    docinfo = etree.ElementTree(root).docinfo
    if docinfo.internalDTD is not None or docinfo.externalDTD is not None or docinfo.doctype:
        return "document refusé : il déclare une DTD"
    if any(True for _ in root.iter(etree.Entity)):
        return "document refusé : il contient des entités"
    if etree.QName(root).localname != "alert":
        return f"ce n'est pas un document CAP (racine <{etree.QName(root).localname}>)"
    return root


def _locate_signature(root: Any) -> tuple[Any, str]:
    """The ``<ds:Signature>`` child of ``<alert>``, or None and why."""
    everywhere = list(root.iter(DS_SIGNATURE))
    if not everywhere:
        return None, "aucune signature XML-DSig dans le document"
    if len(everywhere) > 1:
        return None, f"{len(everywhere)} signatures dans le document (une seule admise)"
    signature = everywhere[0]
    if signature.getparent() is not root:
        return None, "signature mal placée : elle doit être un enfant direct de <alert>"
    return signature, ""


def _embedded_certificate(signature: Any) -> x509.Certificate | None:
    """The first certificate of ``KeyInfo/X509Data`` (only to name who signed)."""
    el = signature.find(f"{{{DS}}}KeyInfo/{{{DS}}}X509Data/{{{DS}}}X509Certificate")
    if el is None or not el.text:
        return None
    try:
        return x509.load_der_x509_certificate(b64decode("".join(el.text.split())))
    except ValueError:
        return None


def _method_of(signature: Any) -> SignatureMethod | None:
    el = signature.find(f"{{{DS}}}SignedInfo/{{{DS}}}SignatureMethod")
    uri = "" if el is None else str(el.get("Algorithm", ""))
    return next((m for m in SignatureMethod if m.value == uri), None)


def _key_fits(method: SignatureMethod, cert: TrustedCertificate) -> bool:
    """The certificate's key is of the kind the signature method needs."""
    key = cert.certificate.public_key()
    if method.name.startswith("ECDSA_"):
        return isinstance(key, ec.EllipticCurvePublicKey)
    return isinstance(key, rsa.RSAPublicKey)


def _covers_document(result: Any, root: Any, signature: Any, sender: str) -> str:
    """Why what signxml says was signed is not the whole document ("" when it is)."""
    signed = getattr(result, "signed_xml", None)
    if signed is None or signed.tag != root.tag:
        return "le contenu signé n'est pas le document <alert>"
    expected = _count_elements(root) - _count_elements(signature)
    if _count_elements(signed) != expected:
        return "le document contient des éléments non couverts par la signature"
    signed_sender = next(
        (el.text or "" for el in signed if etree.QName(el).localname == "sender"), ""
    )
    if signed_sender.strip() != sender:
        return f"l'émetteur signé « {signed_sender.strip()} » n'est pas « {sender} »"
    return ""


def _brief(exc: BaseException, limit: int = 120) -> str:
    """An exception's message fit for a detail line: first line, no lxml source
    suffix, long values cut."""
    text = (str(exc).splitlines() or [type(exc).__name__])[0]
    text = re.sub(r",? \(<string>, line \d+\)$", "", text).strip() or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _count_elements(node: Any) -> int:
    """Elements in ``node``'s subtree, itself included (comments and PIs not)."""
    return sum(1 for _ in node.iter(etree.Element))


def _short(uri: str) -> str:
    return uri.rsplit("#", 1)[-1]


def _is_sha1_uri(uri: str) -> bool:
    return _short(uri) in {"sha1", "rsa-sha1", "ecdsa-sha1", "dsa-sha1", "sha1-rsa-MGF1"}
