"""Certificates the site trusts to sign CAP documents, per sender (no Qt).

Read from the files named in ``[[cap.trusted]]`` (PEM, one or several blocks, or
DER), described for the installer (subject, SHA-256 fingerprint, validity) and
checked (:func:`check_files`: unreadable files, private keys given by mistake,
certificates out of date). :mod:`csu_console.core.cap_signature` verifies with them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes


class CertificateError(ValueError):
    """A trusted certificate that cannot be loaded (the message says which and why)."""


@dataclass(frozen=True)
class TrustedCertificate:
    """One certificate the site trusts for a sender, and where it came from."""

    certificate: x509.Certificate
    source: str = ""  # the file it was read from, "" when given in memory

    @property
    def subject(self) -> str:
        """The subject as an RFC 4514 string (``CN=…,O=…``)."""
        return subject_of(self.certificate)

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the DER certificate, as ``AB:CD:…`` (what an installer compares)."""
        return fingerprint_of(self.certificate)

    @property
    def not_after(self) -> datetime:
        return self.certificate.not_valid_after_utc

    @property
    def not_before(self) -> datetime:
        return self.certificate.not_valid_before_utc

    def validity_problem(self, at: datetime) -> str:
        """Why the certificate is not valid at ``at`` (French), "" when it is."""
        if at > self.not_after:
            return f"certificat de confiance expiré le {day(self.not_after)} ({self.subject})"
        if at < self.not_before:
            since = day(self.not_before)
            return f"certificat de confiance valide seulement à partir du {since} ({self.subject})"
        return ""

    def describe(self) -> str:
        """« CN=…, empreinte SHA-256 AB:CD:…, valide jusqu'au 05/12/2027 »."""
        until = day(self.not_after)
        return f"{self.subject}, empreinte SHA-256 {self.fingerprint}, valide jusqu'au {until}"


def load_certificates(data: bytes, source: str = "") -> list[x509.Certificate]:
    """Every certificate in ``data``: PEM (one or several blocks) or DER.

    Raises :class:`CertificateError` naming ``source`` when there is none.
    """
    where = f"{source} : " if source else ""
    if b"PRIVATE KEY-----" in data and b"-----BEGIN CERTIFICATE-----" not in data:
        raise CertificateError(
            f"{where}clé privée donnée à la place du certificat (la clé reste chez l'émetteur)"
        )
    if b"-----BEGIN" in data:
        try:
            certs = x509.load_pem_x509_certificates(data)
        except ValueError as exc:
            raise CertificateError(f"{where}certificat PEM illisible ({exc})") from exc
        if not certs:
            raise CertificateError(f"{where}aucun certificat PEM dans le fichier")
        return certs
    try:
        return [x509.load_der_x509_certificate(data)]
    except ValueError as exc:
        raise CertificateError(
            f"{where}ni un certificat PEM (-----BEGIN CERTIFICATE-----) ni un DER"
        ) from exc


def check_files(mapping: Mapping[str, Sequence[Path]], at: datetime | None = None) -> list[str]:
    """Every problem of a trust table's files, in French, for the config checks:
    unreadable files, files without a certificate, certificates out of date at ``at``
    (now by default). Empty when all is well."""
    when = at or datetime.now(UTC)
    problems: list[str] = []
    for sender, paths in mapping.items():
        for path in paths:
            try:
                certs = read_certificate_file(Path(path))
            except CertificateError as exc:
                problems.append(f"émetteur « {sender} » : {exc}")
                continue
            problems += [
                f"émetteur « {sender} » : {path} : {p}"
                for p in (c.validity_problem(when) for c in certs)
                if p
            ]
    return problems


def read_certificate_file(path: Path) -> list[TrustedCertificate]:
    """The certificates of one file; :class:`CertificateError` naming it otherwise."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CertificateError(f"{path} : fichier illisible ({exc.strerror or exc})") from exc
    return [TrustedCertificate(c, str(path)) for c in load_certificates(data, str(path))]


def who(cert: x509.Certificate | None) -> str:
    """« CN=… (empreinte SHA-256 AB:CD:…:EF…) »: who signed, for a detail line (the
    first 8 bytes of the fingerprint, enough to tell two certificates apart)."""
    if cert is None:
        return "un certificat inconnu"
    return f"{subject_of(cert)} (empreinte SHA-256 {fingerprint_of(cert)[:23]}…)"


def subject_of(cert: x509.Certificate) -> str:
    """The subject, RFC 4514 (``CN=…,O=…``)."""
    try:
        return cert.subject.rfc4514_string() or "sujet vide"
    except ValueError:
        return "sujet illisible"


def fingerprint_of(cert: x509.Certificate) -> str:
    """SHA-256 of the DER certificate, ``AB:CD:…`` (as ``openssl x509 -fingerprint
    -sha256`` prints it)."""
    return cert.fingerprint(hashes.SHA256()).hex(":").upper()


def day(instant: datetime) -> str:
    """JJ/MM/AAAA."""
    return instant.strftime("%d/%m/%Y")
