"""CAP ``<resource>`` metadata. An embedded ``derefUri`` (base64) is decoded only to
measure it (size, SHA-256): the raw document already holds the blob, it is not kept
a second time."""

from __future__ import annotations

import binascii
import hashlib
from xml.etree.ElementTree import Element

from csu_console.core import validate as v
from csu_console.core.cap._xml import child_text, children, field
from csu_console.core.cap_facts import CapResource

_MAX_META = 300


def read_resources(info: Element, path: str, warnings: list[str]) -> list[CapResource]:
    """The resources of one ``<info>`` block, in order."""
    found: list[CapResource] = []
    for n, element in enumerate(children(info, "resource")):
        where = f"{path}.resource[{n}]" if n else f"{path}.resource"
        size: int | None = None
        size_text = child_text(element, "size")
        if size_text:
            if size_text.isascii() and size_text.isdigit() and len(size_text) <= 15:
                size = int(size_text)
            else:
                warnings.append(f"{where}.size : taille illisible ({v.describe(size_text[:40])})")
        embedded_bytes, embedded_sha256 = 0, ""
        deref = child_text(element, "derefUri")
        if deref:
            try:
                blob = binascii.a2b_base64(deref)
            except binascii.Error as exc:
                warnings.append(f"{where}.derefUri : base64 illisible ({exc}) : contenu ignoré")
            else:
                embedded_bytes, embedded_sha256 = len(blob), hashlib.sha256(blob).hexdigest()
        found.append(
            CapResource(
                desc=field(element, "resourceDesc", where, _MAX_META),
                mime_type=field(element, "mimeType", where, _MAX_META),
                size=size,
                uri=field(element, "uri", where, v.MAX_URL),
                digest=field(element, "digest", where, _MAX_META),
                embedded_bytes=embedded_bytes,
                embedded_sha256=embedded_sha256,
            )
        )
    return found
