"""``hub.toml``: the hub's configuration, validated with every problem listed.

Same shape of messages as ``site.toml`` (file, place, key, « vouliez-vous dire »),
through the site config's helpers. Relative paths are read against the folder of
the file. Station tokens are kept as SHA-256 only (``csu-hub token`` makes them).
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import ssl
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from csu_console.config.checks import Invalid, id_list, number, path, text, url
from csu_console.config.fields import did_you_mean, read_text, validate_fields
from csu_console.config.schema import ConfigProblem, FieldSpec
from csu_console.errors import ConfigError
from csu_console.hub.cap_config import (
    CAP_HTTP_FIELDS,
    FEED_FIELDS,
    PARTNER_FIELDS,
    CapHttpConfig,
    FeedConfig,
    PartnerConfig,
    read_cap_http,
    read_feeds,
    read_partners,
)

DEFAULT_LISTEN = "127.0.0.1:8765"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_TOML_POS = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


@dataclass(frozen=True)
class UpstreamConfig:
    """``[[upstream]]``: a gateway the hub connects out to (protocol v1 client)."""

    name: str
    url: str
    token: str | None = None
    ca_file: Path | None = None


@dataclass(frozen=True)
class StationAccount:
    """``[[station]]``: an operator station allowed to connect, by its token's hash."""

    id: str
    name: str
    token_sha256: str
    #: Its Ed25519 public key (base64, ``csu-console keys show``), checked on every
    #: signed chain head; empty: pinned at first use (``docs/protocol.md`` § 10).
    public_key: str = ""


@dataclass(frozen=True)
class HubConfig:
    """The whole ``hub.toml``."""

    id: str
    csu: str
    host: str
    port: int
    data_dir: Path
    nats_urls: tuple[str, ...] = ()
    tls_cert: Path | None = None
    tls_key: Path | None = None
    alerts_days: float = 30.0
    max_gb: float = 10.0
    dedup_minutes: float = 10.0
    #: Citizen data in the streams (alerts, rejected frames): purged hourly after it.
    citizen_days: float = 30.0
    #: The stations' events in ``CSU_EVENTS`` (personal details in clear, with their
    #: salt): purged hourly after it; None (absent from hub.toml): ``citizen_days``.
    events_days: float | None = None
    ack_wait_s: float = 10.0
    upstreams: tuple[UpstreamConfig, ...] = ()
    stations: tuple[StationAccount, ...] = field(default_factory=tuple)
    source: Path | None = None
    #: ``POST /cap`` for the partners (None: not opened).
    cap_http: CapHttpConfig | None = None
    partners: tuple[PartnerConfig, ...] = ()
    #: Atom / RSS feeds of CAP documents the hub polls.
    feeds: tuple[FeedConfig, ...] = ()
    #: The automatic groups the hub decides for every station (``[groups]``,
    #: ``docs/protocol.md`` § 9.9): same category within this many metres and minutes
    #: of a group's first report; 0 turns them off (each report alone).
    group_radius_m: float = 150.0
    group_window_min: float = 15.0

    @property
    def book_days(self) -> float:
        """How long ``CSU_EVENTS`` keeps a station's event: ``events_days`` (else
        ``citizen_days``), never more than ``alerts_days`` (the stream's max_age)."""
        days = self.citizen_days if self.events_days is None else self.events_days
        return min(days, self.alerts_days)

    @property
    def listen(self) -> str:
        return f"{self.host}:{self.port}"

    def station(self, station_id: str) -> StationAccount | None:
        for account in self.stations:
            if account.id == station_id:
                return account
        return None

    def ssl_context(self) -> ssl.SSLContext | None:
        """The server's TLS context for ``wss`` (None: plain ``ws``)."""
        if self.tls_cert is None or self.tls_key is None:
            return None
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        ctx.load_cert_chain(self.tls_cert, self.tls_key)
        return ctx


def _name(value: Any) -> str:
    if not isinstance(value, str) or not _NAME.match(value):
        raise Invalid("nom de lettres, chiffres, - ou _ (64 au plus) attendu")
    return value


def parse_listen(value: Any) -> tuple[str, int]:
    expected = "adresse hôte:port attendue (ex. « 0.0.0.0:8765 »)"
    if not isinstance(value, str) or ":" not in value:
        raise Invalid(expected)
    host, _, port = value.rpartition(":")
    host = host.strip("[]")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise Invalid(expected)
    return host, int(port)


def _sha256(value: Any) -> str:
    if not isinstance(value, str) or not _SHA256.match(value.lower()):
        raise Invalid("empreinte SHA-256 (64 caractères hexadécimaux) attendue")
    return value.lower()


def _public_key(value: Any) -> str:
    from csu_console.core.witness import parse_public_key

    if not isinstance(value, str):
        raise Invalid("clé publique Ed25519 en base64 attendue (csu-console keys show)")
    try:
        parse_public_key(value)
    except ValueError as exc:
        raise Invalid(f"{exc} (csu-console keys show)") from exc
    return value.strip()


def _nats_urls(value: Any) -> tuple[str, ...]:
    urls = id_list(value) if value != [] else ()
    check = url(("nats", "tls"))
    for item in urls:
        check(item)
    return urls


HUB_FIELDS = {
    "id": FieldSpec(_name, required=True, doc="nom de ce hub (différent pour chaque hub)"),
    "csu": FieldSpec(_name, "csu", doc="nom du CSU présenté aux passerelles (le même partout)"),
    "listen": FieldSpec(parse_listen, ("127.0.0.1", 8765), doc="adresse d'écoute des postes"),
    "data_dir": FieldSpec(path, Path("data"), doc="dossier des données et journaux"),
    "ack_wait_s": FieldSpec(number(1, 300), 10.0, doc="délai avant de renvoyer une alerte"),
}
NATS_FIELDS = {"urls": FieldSpec(_nats_urls, (), doc="serveurs NATS ; vide : NATS intégré")}
TLS_FIELDS = {"cert": FieldSpec(path), "key": FieldSpec(path)}
RETENTION_FIELDS = {
    "alerts_days": FieldSpec(number(0, 3650, lo_open=True), 30.0),
    "max_gb": FieldSpec(number(0, 100_000, lo_open=True), 10.0),
    "dedup_minutes": FieldSpec(number(2, 1440), 10.0),
    "citizen_days": FieldSpec(number(0, 3650, lo_open=True), 30.0),
    "events_days": FieldSpec(
        number(0, 3650, lo_open=True),
        doc="événements des postes (CSU_EVENTS) purgés après ; absent : citizen_days",
    ),
}
GROUPS_FIELDS = {
    "radius_m": FieldSpec(number(0, 5000), 150.0, doc="groupes automatiques : distance (m)"),
    "window_min": FieldSpec(number(0, 1440), 15.0, doc="groupes automatiques : fenêtre (min)"),
}
UPSTREAM_FIELDS = {
    "name": FieldSpec(_name, required=True),
    "url": FieldSpec(url(("ws", "wss")), required=True),
    "token": FieldSpec(text(non_empty=True)),
    "token_env": FieldSpec(_name),
    "ca_file": FieldSpec(path),
}
STATION_FIELDS = {
    "id": FieldSpec(text(non_empty=True), required=True),
    "name": FieldSpec(text(), ""),
    "token_sha256": FieldSpec(_sha256, required=True),
    "public_key": FieldSpec(_public_key, "", doc="clé publique du poste (témoins signés)"),
}
SECTIONS = {
    "hub": HUB_FIELDS,
    "nats": NATS_FIELDS,
    "tls": TLS_FIELDS,
    "retention": RETENTION_FIELDS,
    "groups": GROUPS_FIELDS,
    "upstream": UPSTREAM_FIELDS,
    "station": STATION_FIELDS,
    "cap_http": CAP_HTTP_FIELDS,
    "partners": PARTNER_FIELDS,
    "feeds": FEED_FIELDS,
}


def check_hub_config(
    config_path: Path, environ: dict[str, str] | None = None
) -> tuple[HubConfig | None, list[ConfigProblem]]:
    """Read and validate ``hub.toml``; the config (None if any problem) and every problem."""
    env = dict(os.environ) if environ is None else environ
    problems: list[ConfigProblem] = []
    fname = config_path.name
    content = read_text(config_path, problems)
    if content is None:
        return None, problems
    try:
        data = tomllib.loads(content)
    except tomllib.TOMLDecodeError as exc:
        pos = _TOML_POS.search(str(exc))
        where = f"ligne {pos[1]}, colonne {pos[2]}" if pos else ""
        problems.append(
            ConfigProblem(fname, where, "", f"TOML invalide : {_TOML_POS.sub('', str(exc))}")
        )
        return None, problems
    base = config_path.parent

    for name in data:
        if name not in SECTIONS:
            problems.append(
                ConfigProblem(fname, "", name, "section inconnue", did_you_mean(name, SECTIONS))
            )

    def section(name: str) -> dict[str, Any]:
        raw = data.get(name, {})
        if not isinstance(raw, dict):
            problems.append(ConfigProblem(fname, f"[{name}]", "", "table attendue"))
            return {}
        values, found = validate_fields(raw, SECTIONS[name], file=fname, where=f"[{name}]")
        problems.extend(found)
        return values

    if "hub" not in data:
        problems.append(ConfigProblem(fname, "[hub]", "", "section obligatoire absente"))
    hub = section("hub")
    nats = section("nats")
    tls = section("tls")
    retention = section("retention")
    groups = section("groups")

    def resolve(p: Path) -> Path:
        return p if p.is_absolute() else base / p

    cert = resolve(tls["cert"]) if "cert" in tls else None
    tls_key = resolve(tls["key"]) if "key" in tls else None
    if (cert is None) != (tls_key is None):
        missing = "key" if tls_key is None else "cert"
        problems.append(
            ConfigProblem(fname, "[tls]", missing, "cert et key vont ensemble : l'un manque")
        )
    elif cert is not None and tls_key is not None:
        problems.extend(_check_tls(fname, cert, tls_key))

    upstreams = _upstreams(data.get("upstream", []), fname, resolve, env, problems)
    stations = _stations(data.get("station", []), fname, problems)
    cap_http = read_cap_http(data.get("cap_http"), fname, resolve, (cert, tls_key), problems)
    partners = read_partners(data.get("partners", []), fname, resolve, env, problems)
    feeds = read_feeds(data.get("feeds", []), fname, resolve, {p.name for p in partners}, problems)
    if isinstance(data.get("cap_http"), dict) and not partners:
        problems.append(
            ConfigProblem(fname, "[cap_http]", "", "aucun [[partners]] : personne ne peut poster")
        )
    if problems:
        return None, problems
    host, port = hub.get("listen", ("127.0.0.1", 8765))
    return (
        HubConfig(
            id=hub["id"],
            csu=hub.get("csu", "csu"),
            host=host,
            port=port,
            data_dir=resolve(hub.get("data_dir", Path("data"))),
            nats_urls=nats.get("urls", ()),
            tls_cert=cert,
            tls_key=tls_key,
            alerts_days=retention.get("alerts_days", 30.0),
            max_gb=retention.get("max_gb", 10.0),
            dedup_minutes=retention.get("dedup_minutes", 10.0),
            citizen_days=retention.get("citizen_days", 30.0),
            events_days=retention.get("events_days"),
            ack_wait_s=hub.get("ack_wait_s", 10.0),
            upstreams=tuple(upstreams),
            stations=tuple(stations),
            source=config_path,
            cap_http=cap_http,
            partners=tuple(partners),
            feeds=tuple(feeds),
            group_radius_m=groups.get("radius_m", 150.0),
            group_window_min=groups.get("window_min", 15.0),
        ),
        [],
    )


def _table_list(raw: Any, fname: str, label: str, problems: list[ConfigProblem]) -> list[Any]:
    if not isinstance(raw, list) or not all(isinstance(t, dict) for t in raw):
        problems.append(ConfigProblem(fname, f"[[{label}]]", "", "liste de tables attendue"))
        return []
    return raw


def _upstreams(
    raw: Any,
    fname: str,
    resolve: Any,
    env: dict[str, str],
    problems: list[ConfigProblem],
) -> list[UpstreamConfig]:
    out: list[UpstreamConfig] = []
    seen: set[str] = set()
    for i, item in enumerate(_table_list(raw, fname, "upstream", problems), start=1):
        where = f"[[upstream]] {i}" + (
            f" ({item['name']})" if isinstance(item.get("name"), str) else ""
        )
        values, found = validate_fields(item, UPSTREAM_FIELDS, file=fname, where=where)
        problems.extend(found)
        name = values.get("name")
        if name is not None:
            if name in seen:
                problems.append(ConfigProblem(fname, where, "name", "nom déjà utilisé"))
            seen.add(name)
        token = values.get("token")
        if "token_env" in values:
            if token is not None:
                problems.append(
                    ConfigProblem(
                        fname, where, "token_env", "token et token_env : un seul des deux"
                    )
                )
            token = env.get(values["token_env"])
            if not token:
                problems.append(
                    ConfigProblem(
                        fname,
                        where,
                        "token_env",
                        f"variable d'environnement {values['token_env']} vide ou absente",
                    )
                )
        ca = resolve(values["ca_file"]) if "ca_file" in values else None
        if ca is not None and not ca.is_file():
            problems.append(ConfigProblem(fname, where, "ca_file", f"fichier introuvable : {ca}"))
        if found or name is None or "url" not in values:
            continue
        out.append(UpstreamConfig(name, values["url"], token, ca))
    return out


def _stations(raw: Any, fname: str, problems: list[ConfigProblem]) -> list[StationAccount]:
    out: list[StationAccount] = []
    seen: set[str] = set()
    for i, item in enumerate(_table_list(raw, fname, "station", problems), start=1):
        where = f"[[station]] {i}" + (f" ({item['id']})" if isinstance(item.get("id"), str) else "")
        values, found = validate_fields(item, STATION_FIELDS, file=fname, where=where)
        problems.extend(found)
        ident = values.get("id")
        if ident is not None:
            if ident in seen:
                problems.append(ConfigProblem(fname, where, "id", "poste déjà déclaré"))
            seen.add(ident)
        if found:
            continue
        out.append(
            StationAccount(
                values["id"],
                values.get("name", ""),
                values["token_sha256"],
                values.get("public_key", ""),
            )
        )
    return out


def _check_tls(fname: str, cert: Path, key: Path) -> list[ConfigProblem]:
    problems = [
        ConfigProblem(fname, "[tls]", name, f"fichier introuvable : {p}")
        for name, p in (("cert", cert), ("key", key))
        if not p.is_file()
    ]
    if problems:
        return problems
    try:
        ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER).load_cert_chain(cert, key)
    except (ssl.SSLError, OSError) as exc:
        problems.append(
            ConfigProblem(fname, "[tls]", "cert", f"certificat ou clé illisible : {exc}")
        )
    return problems


def load_hub_config(config_path: Path) -> HubConfig:
    """The valid config, or :class:`ConfigError` listing every problem."""
    config, problems = check_hub_config(config_path)
    if config is None:
        lines = "\n".join(f"  {p}" for p in problems)
        raise ConfigError(f"configuration {config_path} invalide :\n{lines}", list(problems))
    return config


def token_hash(token: str) -> str:
    """The SHA-256 (hex) kept in ``hub.toml`` for a station token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    """A new random station token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)
