"""A CAP document as received: its bytes (any declared encoding) or text, refused when
hostile (DTD, entities, external references) or over the frame limit.

Bytes are decoded here, by Python's codecs, before any XML parsing: the byte-order
mark first (UTF-8, UTF-16, UTF-32), else the ``encoding`` of the XML declaration,
else UTF-8. A document declared ISO-8859-1 (or Latin-1) is read as windows-1252,
as browsers do: real feeds write their apostrophes and euros that way. Working on
text lets the DTD check see ``<!DOCTYPE`` whatever the encoding (a UTF-16 DTD would
slip through a check on bytes), and the C parser then never meets a DTD.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError
from xml.etree.ElementTree import fromstring as _fast_fromstring

import defusedxml
from defusedxml.ElementTree import fromstring

from csu_console.core import validate as v
from csu_console.core.protocol import MAX_FRAME_BYTES
from csu_console.errors import ValidationError

CAP_NAMESPACE = "urn:oasis:names:tc:emergency:cap:1.2"
DSIG_NAMESPACE = "http://www.w3.org/2000/09/xmldsig#"
#: A CAP document is at most what one protocol v1 frame may carry.
MAX_CAP_BYTES = MAX_FRAME_BYTES

# A DTD starts with "<!DOCTYPE" (and entities are declared inside one); this is
# a deliberately wider net: any case, whitespace after "<!".
_DTD_MARK = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_DECLARED = re.compile(
    rb"<\?xml[ \t\r\n][^>]*?encoding[ \t\r\n]*=[ \t\r\n]*"
    rb"""["']([A-Za-z][A-Za-z0-9._:-]{0,39})["']"""
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: same first two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_C1 = re.compile("[\x80-\x9f]")
_LATIN1 = frozenset({"latin_1", "iso8859_1"})
# windows-1252 for the C1 range of a "Latin-1" document, where it defines a character.
_C1_AS_CP1252 = {
    b: bytes([b]).decode("cp1252")
    for b in range(0x80, 0xA0)
    if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}


@dataclass(frozen=True)
class Document:
    """A parsed CAP document: its root ``<alert>``, its raw bytes, its encoding."""

    root: Element
    data: bytes
    encoding: str
    warnings: tuple[str, ...] = ()

    @property
    def signed(self) -> bool:
        """It carries an XML-DSig ``<Signature>`` (enveloped: a child of ``<alert>``)."""
        return next(self.root.iter(f"{{{DSIG_NAMESPACE}}}Signature"), None) is not None


def load(xml: object) -> Document:
    """Decode, size-check and parse ``xml`` (str or bytes); ValidationError otherwise."""
    if isinstance(xml, str):
        try:
            data = xml.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValidationError(
                f"cap : caractère invalide U+{ord(xml[exc.start]):04X} à la position {exc.start}"
            ) from None
        _check_size(len(data))
        return Document(_parse(xml), data, "utf-8")
    if isinstance(xml, bytes | bytearray | memoryview):
        data = bytes(xml)
        _check_size(len(data))
        text, encoding, warnings = decode(data)
        return Document(_parse(text), data, encoding, warnings)
    raise ValidationError(f"cap : document XML attendu, reçu {v.describe(xml)}")


def _check_size(size: int) -> None:
    if size > MAX_CAP_BYTES:
        raise ValidationError(
            f"cap : document trop volumineux ({size} octets, maximum {MAX_CAP_BYTES} : 1 Mio)"
        )


def decode(data: bytes) -> tuple[str, str, tuple[str, ...]]:
    """The document's text, the codec used (BOM, else declaration, else UTF-8) and a
    warning when bytes said to be UTF-8 are not (read as windows-1252 instead)."""
    encoding = "utf-8"
    body = data
    bom = False
    for mark, name in _BOMS:
        if data.startswith(mark):
            encoding, body, bom = name, data[len(mark) :], True
            break
    else:
        if data.startswith(b"<\x00"):
            encoding = "utf-16-le"
        elif data.startswith(b"\x00<"):
            encoding = "utf-16-be"
        else:
            declared = _DECLARED.match(data.lstrip(b" \t\r\n")[:200])
            if declared is not None:
                name = declared[1].decode("ascii")
                try:
                    encoding = codecs.lookup(name).name
                except LookupError:
                    raise ValidationError(
                        f"cap : encodage déclaré inconnu ({v.describe(name)})"
                    ) from None
                if encoding.startswith(("utf_16", "utf-16", "utf_32", "utf-32")):
                    # Declared UTF-16/32 but readable as ASCII up to here: it is not.
                    raise ValidationError(
                        f"cap : encodage déclaré {name} sans marque d'ordre des octets "
                        "(le document est lisible en ASCII)"
                    )
    warnings: tuple[str, ...] = ()
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        if encoding != "utf-8" or bom:
            raise ValidationError(
                f"cap : octets invalides pour l'encodage {encoding} à la position {exc.start} "
                f"({exc.reason})"
            ) from None
        # Real feeds declare UTF-8 and send Latin-1: read, and say so.
        text = body.decode("latin-1").translate(_C1_AS_CP1252)
        warnings = (
            f"cap : octets non UTF-8 à la position {exc.start} : document lu en windows-1252",
        )
        return text.removeprefix("\ufeff"), "cp1252", warnings
    if encoding.replace("-", "_") in _LATIN1 and _C1.search(text):
        text = text.translate(_C1_AS_CP1252)
    return text.removeprefix("\ufeff"), encoding, warnings


def _parse(xml: str) -> Element:
    if _DTD_MARK.search(xml) is None:
        # No DTD, hence no entity can be declared and nothing external can be
        # referenced: the C parser is safe here, and ~4x faster than defusedxml's
        # pure-Python one (CAP is the costliest message in an alert storm).
        try:
            return _check_root(_fast_fromstring(xml))
        except ParseError as exc:
            raise ValidationError(f"cap : XML mal formé : {exc}") from None
    try:
        root: Element = fromstring(xml, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DTDForbidden:
        raise ValidationError("cap : XML refusé (DTD interdite)") from None
    except defusedxml.EntitiesForbidden:
        raise ValidationError("cap : XML refusé (déclaration d'entité interdite)") from None
    except defusedxml.ExternalReferenceForbidden:
        raise ValidationError("cap : XML refusé (référence externe interdite)") from None
    except defusedxml.DefusedXmlException as exc:
        raise ValidationError(f"cap : XML refusé ({exc})") from None
    except ParseError as exc:
        raise ValidationError(f"cap : XML mal formé : {exc}") from None
    return _check_root(root)


def _check_root(root: Element) -> Element:
    if root.tag != f"{{{CAP_NAMESPACE}}}alert":
        namespace, _, local = root.tag.rpartition("}")
        namespace = namespace.lstrip("{") or "aucun"
        raise ValidationError(
            f"cap : racine <{local}> (espace de noms {namespace}) inattendue, "
            f"attendu <alert> de {CAP_NAMESPACE}"
        )
    return root
