"""The site's CAP parser: :func:`parse_cap` with the site's geocodes and trusted
certificates, as one picklable callable.

The alert link runs in a child process (``spawn``): its settings cross a pipe, and
loaded certificates do not pickle. :class:`SiteCapParser` keeps the certificates as
bytes and builds its signature checker on first use, in the process that parses.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from csu_console.core.alerts import Alert, Category
from csu_console.core.cap.parser import parse_cap
from csu_console.core.cap_facts import GeocodeResolver, SignatureChecker

log = logging.getLogger("csu.cap")


@dataclass
class SiteCapParser:
    """``parse_cap(xml, rules, geocodes=…, signatures=…)`` for one site
    (a :data:`~csu_console.core.protocol.CapParser`)."""

    geocodes: GeocodeResolver | None = None
    #: sender -> trusted certificates (PEM or DER bytes).
    trusted: Mapping[str, tuple[bytes, ...]] = field(default_factory=dict)
    _checker: SignatureChecker | None = field(default=None, init=False, repr=False)

    @classmethod
    def from_files(
        cls, geocodes: GeocodeResolver | None, trusted: Mapping[str, tuple[Path, ...]]
    ) -> SiteCapParser:
        """Read the certificate files now (an unreadable one is logged and skipped:
        ``config check`` names it; the console still starts)."""
        loaded: dict[str, tuple[bytes, ...]] = {}
        for sender, paths in trusted.items():
            blobs = []
            for path in paths:
                try:
                    blobs.append(path.read_bytes())
                except OSError as exc:
                    log.warning("certificat de %s illisible, ignoré : %s (%s)", sender, path, exc)
            loaded[sender] = tuple(blobs)
        return cls(geocodes, loaded)

    def __call__(
        self, xml: str | bytes, priority_rules: Mapping[Category, int] | None = None
    ) -> Alert:
        return parse_cap(xml, priority_rules, geocodes=self.geocodes, signatures=self._signatures())

    def _signatures(self) -> SignatureChecker | None:
        if self._checker is None and any(self.trusted.values()):
            from csu_console.core.cap_signature import CapSignatureVerifier

            try:
                self._checker = CapSignatureVerifier(self.trusted)
            except ValueError as exc:  # a certificate that does not load
                log.warning("certificats CAP de confiance inutilisables : %s", exc)
                self.trusted = {}
        return self._checker

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_checker"] = None
        return state
