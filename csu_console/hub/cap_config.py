"""``hub.toml``'s CAP intake: ``[cap_http]``, ``[[partners]]`` and ``[[feeds]]``.

``[cap_http]`` opens ``POST /cap`` for the partners (HTTPS with its own ``cert``
and ``key``, else the hub's ``[tls]``; plain HTTP only with ``plain_http = true``
on a loopback address, for a local relay). Each ``[[partners]]`` entry is one
bearer token (its SHA-256 in the file, or read from an environment variable or a
file), optionally restricted to some CAP ``sender`` values. Each ``[[feeds]]``
entry is an Atom or RSS feed polled every ``interval_s`` seconds.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from csu_console.config.checks import Invalid, id_list, number, path, text, url
from csu_console.config.fields import validate_fields
from csu_console.config.schema import ConfigProblem, FieldSpec

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class CapHttpConfig:
    """``[cap_http]``: where partners POST their CAP documents."""

    host: str
    port: int
    tls_cert: Path | None = None
    tls_key: Path | None = None

    @property
    def listen(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def scheme(self) -> str:
        return "https" if self.tls_cert is not None else "http"

    def ssl_context(self) -> ssl.SSLContext | None:
        """The server's TLS context (None: plain HTTP, loopback only)."""
        if self.tls_cert is None or self.tls_key is None:
            return None
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        ctx.load_cert_chain(self.tls_cert, self.tls_key)
        return ctx


@dataclass(frozen=True)
class PartnerConfig:
    """``[[partners]]``: one partner allowed to POST, by its bearer token's SHA-256."""

    name: str
    token_sha256: str
    #: CAP ``sender`` values this partner may send; empty: any.
    senders: tuple[str, ...] = ()


@dataclass(frozen=True)
class FeedConfig:
    """``[[feeds]]``: an Atom or RSS 2.0 feed of CAP documents, polled."""

    name: str
    url: str
    interval_s: float = 60.0
    #: The partner it belongs to (its ``senders`` then apply to the feed's documents).
    partner: str | None = None
    ca_file: Path | None = None


def _name(value: Any) -> str:
    if not isinstance(value, str) or not _NAME.match(value):
        raise Invalid("nom de lettres, chiffres, - ou _ (64 au plus) attendu")
    return value


def _sha256(value: Any) -> str:
    if not isinstance(value, str) or not _SHA256.match(value.lower()):
        raise Invalid("empreinte SHA-256 (64 caractères hexadécimaux) attendue")
    return value.lower()


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Invalid("true ou false attendu")
    return value


CAP_HTTP_FIELDS = {
    "listen": FieldSpec(text(non_empty=True), required=True, doc="hôte:port de POST /cap"),
    "cert": FieldSpec(path, doc="certificat TLS ; absent : celui de [tls]"),
    "key": FieldSpec(path, doc="clé TLS ; absente : celle de [tls]"),
    "plain_http": FieldSpec(_bool, False, doc="HTTP en clair (adresse locale seulement)"),
}
PARTNER_FIELDS = {
    "name": FieldSpec(_name, required=True),
    "token_sha256": FieldSpec(_sha256, doc="SHA-256 du jeton (csu-hub token <nom>)"),
    "token_env": FieldSpec(_name, doc="variable d'environnement qui contient le jeton"),
    "token_file": FieldSpec(path, doc="fichier qui contient le jeton"),
    "senders": FieldSpec(id_list, (), doc="valeurs CAP sender admises ; vide : toutes"),
}
FEED_FIELDS = {
    "name": FieldSpec(_name, doc="nom du flux (compteurs, journaux) ; défaut : partner"),
    "url": FieldSpec(url(("http", "https")), required=True),
    "interval_s": FieldSpec(number(10, 86400), 60.0, doc="secondes entre deux lectures"),
    "partner": FieldSpec(_name, doc="partenaire émetteur ([[partners]] name)"),
    "ca_file": FieldSpec(path, doc="autorité de certification du serveur du flux"),
}


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def read_cap_http(
    raw: Any,
    fname: str,
    resolve: Callable[[Path], Path],
    hub_tls: tuple[Path | None, Path | None],
    problems: list[ConfigProblem],
) -> CapHttpConfig | None:
    """``[cap_http]`` (None when absent or wrong: every problem noted)."""
    from csu_console.hub.config import parse_listen

    if raw is None:
        return None
    where = "[cap_http]"
    if not isinstance(raw, dict):
        problems.append(ConfigProblem(fname, where, "", "table attendue"))
        return None
    values, found = validate_fields(raw, CAP_HTTP_FIELDS, file=fname, where=where)
    problems.extend(found)
    if "listen" not in values:
        return None
    try:
        host, port = parse_listen(values["listen"])
    except Invalid as exc:
        problems.append(ConfigProblem(fname, where, "listen", exc.expected))
        return None
    cert = resolve(values["cert"]) if "cert" in values else None
    key = resolve(values["key"]) if "key" in values else None
    if (cert is None) != (key is None):
        missing = "key" if key is None else "cert"
        problems.append(ConfigProblem(fname, where, missing, "cert et key vont ensemble"))
        return None
    if cert is None:
        cert, key = hub_tls
    plain = values.get("plain_http", False)
    if plain:
        if not is_loopback(host):
            problems.append(
                ConfigProblem(
                    fname, where, "plain_http", "HTTP en clair admis sur 127.0.0.1 seulement"
                )
            )
            return None
        cert = key = None
    elif cert is None or key is None:
        problems.append(
            ConfigProblem(
                fname,
                where,
                "cert",
                "HTTPS obligatoire : donnez cert et key (ici ou dans [tls])",
            )
        )
        return None
    elif "cert" in values:
        problems.extend(_check_pair(fname, where, cert, key))
    return CapHttpConfig(host, port, cert, key)


def _check_pair(fname: str, where: str, cert: Path, key: Path | None) -> list[ConfigProblem]:
    assert key is not None
    out = [
        ConfigProblem(fname, where, name, f"fichier introuvable : {p}")
        for name, p in (("cert", cert), ("key", key))
        if not p.is_file()
    ]
    if out:
        return out
    try:
        ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER).load_cert_chain(cert, key)
    except (ssl.SSLError, OSError) as exc:
        out.append(ConfigProblem(fname, where, "cert", f"certificat ou clé illisible : {exc}"))
    return out


def _tables(raw: Any, fname: str, label: str, problems: list[ConfigProblem]) -> list[Any]:
    if not isinstance(raw, list) or not all(isinstance(t, dict) for t in raw):
        problems.append(ConfigProblem(fname, f"[[{label}]]", "", "liste de tables attendue"))
        return []
    return raw


def read_partners(
    raw: Any,
    fname: str,
    resolve: Callable[[Path], Path],
    env: dict[str, str],
    problems: list[ConfigProblem],
) -> list[PartnerConfig]:
    """``[[partners]]``: exactly one of token_sha256, token_env, token_file each."""
    out: list[PartnerConfig] = []
    seen_names: set[str] = set()
    seen_tokens: set[str] = set()
    for i, item in enumerate(_tables(raw, fname, "partners", problems), start=1):
        name_raw = item.get("name")
        where = f"[[partners]] {i}" + (f" ({name_raw})" if isinstance(name_raw, str) else "")
        values, found = validate_fields(item, PARTNER_FIELDS, file=fname, where=where)
        problems.extend(found)
        name = values.get("name")
        if name is not None:
            if name in seen_names:
                problems.append(ConfigProblem(fname, where, "name", "nom déjà utilisé"))
            seen_names.add(name)
        given = [k for k in ("token_sha256", "token_env", "token_file") if k in values]
        digest: str | None = None
        if len(given) != 1:
            if not any(k in item for k in ("token_sha256", "token_env", "token_file")):
                problems.append(
                    ConfigProblem(
                        fname,
                        where,
                        "token_sha256",
                        "jeton attendu : token_sha256, token_env ou token_file (un seul)",
                    )
                )
            elif len(given) > 1:
                problems.append(
                    ConfigProblem(
                        fname, where, given[1], "token_sha256, token_env, token_file : un seul"
                    )
                )
        elif given[0] == "token_sha256":
            digest = values["token_sha256"]
        elif given[0] == "token_env":
            token = env.get(values["token_env"], "").strip()
            if not token:
                problems.append(
                    ConfigProblem(
                        fname,
                        where,
                        "token_env",
                        f"variable d'environnement {values['token_env']} vide ou absente",
                    )
                )
            else:
                digest = hashlib.sha256(token.encode("utf-8")).hexdigest()
        else:
            token_path = resolve(values["token_file"])
            try:
                token = token_path.read_text(encoding="utf-8").strip()
            except (OSError, UnicodeDecodeError) as exc:
                problems.append(
                    ConfigProblem(fname, where, "token_file", f"fichier illisible : {exc}")
                )
            else:
                if not token:
                    problems.append(
                        ConfigProblem(fname, where, "token_file", f"fichier vide : {token_path}")
                    )
                else:
                    digest = hashlib.sha256(token.encode("utf-8")).hexdigest()
        if digest is not None:
            if digest in seen_tokens:
                problems.append(
                    ConfigProblem(fname, where, given[0], "même jeton qu'un autre partenaire")
                )
            seen_tokens.add(digest)
        if found or name is None or digest is None:
            continue
        out.append(PartnerConfig(name, digest, tuple(values.get("senders", ()))))
    return out


def read_feeds(
    raw: Any,
    fname: str,
    resolve: Callable[[Path], Path],
    partners: set[str],
    problems: list[ConfigProblem],
) -> list[FeedConfig]:
    """``[[feeds]]``: the name defaults to the partner's, else to the URL's host."""
    out: list[FeedConfig] = []
    seen: set[str] = set()
    for i, item in enumerate(_tables(raw, fname, "feeds", problems), start=1):
        label = item.get("name") or item.get("url")
        where = f"[[feeds]] {i}" + (f" ({label})" if isinstance(label, str) else "")
        values, found = validate_fields(item, FEED_FIELDS, file=fname, where=where)
        problems.extend(found)
        if found or "url" not in values:
            continue
        partner = values.get("partner")
        if partner is not None and partner not in partners:
            problems.append(
                ConfigProblem(fname, where, "partner", f"partenaire inconnu : {partner}")
            )
            continue
        name = values.get("name") or partner or _host_name(values["url"])
        if name in seen:
            problems.append(
                ConfigProblem(fname, where, "name", f"nom « {name} » déjà utilisé : donnez name")
            )
            continue
        seen.add(name)
        ca = resolve(values["ca_file"]) if "ca_file" in values else None
        if ca is not None and not ca.is_file():
            problems.append(ConfigProblem(fname, where, "ca_file", f"fichier introuvable : {ca}"))
            continue
        out.append(FeedConfig(name, values["url"], values.get("interval_s", 60.0), partner, ca))
    return out


def _host_name(feed_url: str) -> str:
    host = urlsplit(feed_url).hostname or "flux"
    return re.sub(r"[^A-Za-z0-9_-]", "-", host)[:64].strip("-") or "flux"
