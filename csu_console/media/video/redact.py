"""Remove credentials from camera URLs before they reach a log line, a status or a screen.

Camera URLs often carry a user and password (``rtsp://admin:secret@10.0.0.5/``) or a
token in the query string. Every log line and every :class:`SourceStatus` detail
that mentions a URL goes through :func:`redact_url` (one URL) or
:func:`redact_text` (free text, such as a decoder's error message, that may quote
URLs).
"""

from __future__ import annotations

import re

MASK = "***"
SECRET_PARAMS = frozenset({"password", "passwd", "pass", "pwd", "token", "auth", "key", "secret"})

_URL_RE = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<rest>[^\s\"'<>]*)")
_QUERY_PAIR_RE = re.compile(r"(?P<key>[^&;=]*)(?P<eq>=?)(?P<value>[^&;]*)")


def _redact_query(query: str) -> str:
    def one(m: re.Match[str]) -> str:
        key = m.group("key")
        if m.group("eq") and key.lower() in SECRET_PARAMS:
            return f"{key}={MASK}"
        return m.group(0)

    return _QUERY_PAIR_RE.sub(one, query)


def _redact_rest(rest: str) -> str:
    """``rest`` is everything after ``scheme://``."""
    before_query = min((i for i in (rest.find("?"), rest.find("#")) if i != -1), default=len(rest))
    at = rest.rfind("@", 0, before_query)
    if at > 0:  # "udp://@239.0.0.1:1234": an empty user part is libVLC's "listen on"
        # Security first: a password with an unencoded "/" must not leak, so the
        # user part runs to the last "@" (a path containing "@" loses its host).
        rest = MASK + rest[at:]
    end = min((i for i in (rest.find(c) for c in "/?#") if i != -1), default=len(rest))
    authority, tail = rest[:end], rest[end:]
    query_at = tail.find("?")
    if query_at != -1:
        fragment_at = tail.find("#", query_at)
        stop = len(tail) if fragment_at == -1 else fragment_at
        tail = tail[: query_at + 1] + _redact_query(tail[query_at + 1 : stop]) + tail[stop:]
    return authority + tail


def redact_url(url: str) -> str:
    """``url`` without its user, password and secret query parameters.

    ``rtsp://user:pass@host/x?token=t&ch=1`` gives ``rtsp://***@host/x?token=***&ch=1``.
    Anything that is not a ``scheme://`` URL (a file path) is returned unchanged.
    Never raises: a malformed URL is redacted as far as it can be parsed.
    """
    m = _URL_RE.fullmatch(url.strip())
    if m is None:
        return url
    return m.group("scheme") + _redact_rest(m.group("rest"))


def redact_text(text: str) -> str:
    """``text`` with every URL in it passed through :func:`redact_url`."""
    return _URL_RE.sub(lambda m: m.group("scheme") + _redact_rest(m.group("rest")), text)
