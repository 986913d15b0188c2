"""Answers to RTSP/HTTP authentication challenges (Basic and Digest, RFC 2617/7616 MD5).

Only the diagnosis (:mod:`classify`) talks to cameras itself; the decoders
(FFmpeg, libVLC) do their own authentication with the credentials in the URL.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re

_PARAM_RE = re.compile(r'(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))')


def parse_challenges(values: list[str]) -> dict[str, dict[str, str]]:
    """``WWW-Authenticate`` header values to ``{"digest": {...}, "basic": {...}}``."""
    out: dict[str, dict[str, str]] = {}
    for value in values:
        scheme, _, rest = value.strip().partition(" ")
        params = {
            m.group(1).lower(): m.group(2) or m.group(3) or "" for m in _PARAM_RE.finditer(rest)
        }
        out.setdefault(scheme.lower(), params)
    return out


def _md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def authorization(
    challenges: dict[str, dict[str, str]], method: str, uri: str, user: str, password: str
) -> str | None:
    """The ``Authorization`` header answering ``challenges``, Digest preferred; None
    when no scheme we know is offered."""
    digest = challenges.get("digest")
    if digest is not None and digest.get("algorithm", "MD5").upper() == "MD5":
        realm, nonce = digest.get("realm", ""), digest.get("nonce", "")
        ha1 = _md5(f"{user}:{realm}:{password}")
        ha2 = _md5(f"{method}:{uri}")
        fields = [
            f'username="{user}"',
            f'realm="{realm}"',
            f'nonce="{nonce}"',
            f'uri="{uri}"',
        ]
        qops = [q.strip() for q in digest.get("qop", "").split(",") if q.strip()]
        if "auth" in qops:
            cnonce, nc = os.urandom(8).hex(), "00000001"
            response = _md5(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")
            fields += ["qop=auth", f"nc={nc}", f'cnonce="{cnonce}"']
        else:
            response = _md5(f"{ha1}:{nonce}:{ha2}")
        fields.append(f'response="{response}"')
        if "opaque" in digest:
            fields.append(f'opaque="{digest["opaque"]}"')
        return "Digest " + ", ".join(fields)
    if "basic" in challenges:
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        return f"Basic {token}"
    return None
