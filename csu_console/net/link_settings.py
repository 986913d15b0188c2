"""How a station reaches its gateway or hubs (``[gateway]`` in ``site.toml``): the
addresses, the token, TLS, the heartbeat and the reconnection pacing. Plain data,
checked once (:meth:`LinkSettings.validate`); the link (:mod:`csu_console.net.link`)
uses it."""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from csu_console.core import protocol
from csu_console.core.alerts import Category
from csu_console.errors import LinkError


@dataclass
class LinkSettings:
    """How to reach the gateway; see ``[gateway]`` in ``site.toml``.

    ``url`` is the first address; ``urls``, when given, every address in order of
    preference (hubs of one CSU, ``docs/protocol.md`` § 9.8): a lost or refused
    connection moves to the next one at once. ``features``: the hub extension's
    features asked in ``hello`` (none: a plain protocol-v1 client).
    """

    url: str
    station: str
    token: str | None = None
    ca_file: Path | None = None
    ping_interval_s: float = 5.0
    ping_timeout_s: float = 10.0
    reconnect_min_s: float = 0.5
    reconnect_max_s: float = 5.0
    open_timeout_s: float = 5.0
    priority_rules: Mapping[Category, int] | None = field(default=None)
    #: The site's CAP parser (geocodes, trusted certificates); None: plain ``parse_cap``.
    cap_parser: protocol.CapParser | None = field(default=None)
    urls: tuple[str, ...] = ()
    features: tuple[str, ...] = ()

    @property
    def candidates(self) -> tuple[str, ...]:
        """Every address to try, in order."""
        return self.urls or (self.url,)

    def validate(self) -> None:
        """Raise :class:`LinkError` for a URL or CA file that cannot work."""
        for url in self.candidates:
            parts = urlsplit(url)
            if parts.scheme not in ("ws", "wss") or not parts.hostname:
                raise LinkError(f"URL de passerelle invalide : {url!r} (ws:// ou wss:// attendu)")
        if self.ca_file is not None and not self.ca_file.is_file():
            raise LinkError(f"fichier d'autorité de certification introuvable : {self.ca_file}")

    def ssl_context(self, url: str | None = None) -> ssl.SSLContext | None:
        """Verifying TLS context for wss:// (system CAs, or the municipal CA file)."""
        if urlsplit(url or self.url).scheme != "wss":
            return None
        if self.ca_file is not None:
            return ssl.create_default_context(cafile=str(self.ca_file))
        return ssl.create_default_context()
