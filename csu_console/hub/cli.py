"""``csu-hub`` command line: run, check, status, token."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from csu_console.errors import ConfigError, CsuError
from csu_console.heap import limit_arenas
from csu_console.hub.config import (
    check_hub_config,
    load_hub_config,
    new_token,
    parse_listen,
    token_hash,
)
from csu_console.logs import enable_crash_traces, install_crash_hooks, setup_logging

DEFAULT_CONFIG = Path("/etc/csu-hub/hub.toml")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="csu-hub", description="Hub d'alertes du CSU (NATS JetStream)")
    sub = p.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="lancer le hub")
    run.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    run.add_argument("--nats", help="serveurs NATS (nats://a,nats://b,…) ; sinon [nats] urls")
    run.add_argument("--data-dir", type=Path, help="dossier des données (remplace [hub] data_dir)")
    run.add_argument("--listen", help="hôte:port des postes (remplace [hub] listen)")
    run.add_argument("-v", "--verbose", action="store_true")
    check = sub.add_parser("check", help="vérifier hub.toml (toutes les erreurs)")
    check.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    status = sub.add_parser("status", help="liaisons amont, postes, santé de NATS")
    status.add_argument("--config", type=Path, default=None)
    status.add_argument("--nats", help="serveurs NATS (sinon ceux du hub de --config)")
    status.add_argument("--data-dir", type=Path)
    status.add_argument("--json", action="store_true", help="sortie JSON")
    heads = sub.add_parser("heads", help="témoins signés des mains courantes (CSU_HEADS)")
    heads.add_argument("--config", type=Path, default=None)
    heads.add_argument("--nats", help="serveurs NATS (sinon ceux du hub de --config)")
    heads.add_argument("--data-dir", type=Path)
    heads.add_argument("--station", help="un seul poste")
    heads.add_argument("--json", action="store_true",
                       help="un témoin par ligne (csu-console logbook verify --heads)")  # fmt: skip
    collect = sub.add_parser(
        "collect", help="copier alertes et événements de JetStream dans PostgreSQL (revue)"
    )
    collect.add_argument("--postgres", required=True, metavar="DSN",
                         help="base PostgreSQL de la revue centrale (postgresql://…)")  # fmt: skip
    collect.add_argument("--config", type=Path, default=None)
    collect.add_argument("--nats", help="serveurs NATS (sinon ceux du hub de --config)")
    collect.add_argument("--data-dir", type=Path)
    collect.add_argument(
        "--check", action="store_true", help="vérifier la continuité des chaînes copiées"
    )
    collect.add_argument(
        "--site", type=Path, help="dossier de configuration du site ([priorities] des postes)"
    )
    collect.add_argument(
        "--purge", action="store_true",
        help="appliquer une fois la conservation à la base centrale (cron), puis s'arrêter",
    )  # fmt: skip
    collect.add_argument("--dry-run", action="store_true",
                         help="avec --purge : compter sans rien modifier")  # fmt: skip
    for name, what in (("citizen", "signalements citoyens (titre, lieu)"),
                       ("personal", "données personnelles (alertes, événements)"),
                       ("rejected", "messages refusés")):  # fmt: skip
        collect.add_argument(f"--{name}-days", type=int, metavar="JOURS",
                             help=f"conservation : {what} ; sinon --site")  # fmt: skip
    collect.add_argument("--batch", type=int, default=500, help="messages par transaction")
    collect.add_argument("--ack-wait", type=float, default=30.0,
                         help="secondes avant qu'un message non acquitté revienne")  # fmt: skip
    collect.add_argument("-v", "--verbose", action="store_true")
    token = sub.add_parser("token", help="nouveau jeton pour un poste (ou un partenaire CAP)")
    token.add_argument("station", help="identifiant du poste, ou nom du partenaire avec --partner")
    token.add_argument("--partner", action="store_true",
                       help="jeton d'un partenaire qui poste du CAP ([[partners]])")  # fmt: skip
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``csu-hub``."""
    limit_arenas()  # before any thread allocates (heap.py)
    args = _parser().parse_args(argv)
    try:
        if args.command == "token":
            return _partner_token(args.station) if args.partner else _token(args.station)
        if args.command == "check":
            return _check(args.config)
        if args.command == "status":
            return _status(args)
        if args.command == "heads":
            return _heads(args)
        if args.command == "collect":
            return _collect(args)
        return _run(args)
    except CsuError as exc:
        print(f"csu-hub : {exc}", file=sys.stderr)
        return 2


def _token(station: str) -> int:
    token = new_token()
    print(f"Jeton du poste {station} (à saisir dans le poste, à ne pas conserver ici) :")
    print(f"  {token}")
    print("À coller dans hub.toml :")
    print("[[station]]")
    print(f'id = "{station}"')
    print(f'token_sha256 = "{token_hash(token)}"')
    return 0


def _partner_token(name: str) -> int:
    token = new_token()
    print(
        f"Jeton du partenaire {name} (à lui transmettre par un canal sûr, à ne pas conserver ici) :"
    )
    print(f"  {token}")
    print("Il l'envoie en en-tête « Authorization: Bearer <jeton> » de POST /cap.")
    print("À coller dans hub.toml :")
    print("[[partners]]")
    print(f'name = "{name}"')
    print(f'token_sha256 = "{token_hash(token)}"')
    return 0


def _check(path: Path) -> int:
    config, problems = check_hub_config(path)
    if config is None:
        print(f"{path} : {len(problems)} problème(s)", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    scheme = "wss" if config.tls_cert else "ws"
    nats = ", ".join(config.nats_urls) or f"intégré ({config.data_dir / 'nats'})"
    print(f"{path} : valide")
    print(f"  hub {config.id} (CSU « {config.csu} ») sur {scheme}://{config.listen}")
    print(f"  NATS : {nats}")
    print(f"  {len(config.upstreams)} amont(s), {len(config.stations)} poste(s)")
    if config.cap_http is not None:
        print(f"  réception CAP : POST {config.cap_http.scheme}://{config.cap_http.listen}/cap, "
              f"{len(config.partners)} partenaire(s)")  # fmt: skip
    for feed in config.feeds:
        print(f"  flux CAP {feed.name} : {feed.url} toutes les {feed.interval_s:g} s")
    citizen = min(config.citizen_days, config.alerts_days)
    print(f"  conservation : alertes {config.alerts_days:g} j, données citoyennes {citizen:g} j, "
          f"événements des postes {config.book_days:g} j (purge toutes les heures)")  # fmt: skip
    return 0


def _run(args: argparse.Namespace) -> int:
    from csu_console.hub.server import HubServer

    config = load_hub_config(args.config)
    if args.data_dir is not None:
        config = replace(config, data_dir=args.data_dir)
    if args.listen is not None:
        host, port = parse_listen(args.listen)
        config = replace(config, host=host, port=port)
    setup_logging(
        config.data_dir, logging.DEBUG if args.verbose else logging.INFO, filename="hub.log"
    )
    install_crash_hooks()
    enable_crash_traces(config.data_dir, "csu-hub")
    urls = tuple(u.strip() for u in args.nats.split(",") if u.strip()) if args.nats else None
    server = HubServer(config, urls)
    try:
        asyncio.run(server.run())
    except ConfigError:
        raise
    except OSError as exc:
        logging.getLogger("csu.hub").error("le hub s'arrête : %s", exc)
        return 1
    return 0


def _nats_urls(args: argparse.Namespace) -> tuple[list[str], list[str], Path | None]:
    """NATS servers from --nats, --config or --data-dir; the hub's stations; its data dir."""
    from csu_console.hub.server import data_dir_nats_url

    stations: list[str] = []
    urls: str | None = args.nats
    data_dir = args.data_dir
    if args.config is not None:
        config = load_hub_config(args.config)
        stations = [s.id for s in config.stations]
        data_dir = data_dir or config.data_dir
        urls = urls or (",".join(config.nats_urls) or None)
    if urls is None and data_dir is not None:
        urls = data_dir_nats_url(data_dir)
    if urls is None:
        raise ConfigError("serveurs NATS inconnus : donnez --nats, --config ou --data-dir")
    return [u.strip() for u in urls.split(",") if u.strip()], stations, data_dir


def _collect(args: argparse.Namespace) -> int:
    from csu_console.central.check import print_check

    if args.check:
        return print_check(args.postgres)
    site = None
    if args.site is not None:
        from csu_console.config import load_site

        site = load_site(args.site)
    policy = _central_retention(args, site)
    zones = [(z.id, z.area) for z in site.zones] if site is not None else []
    if args.purge:
        from csu_console.central.purge import print_purge

        return print_purge(args.postgres, policy, zones, dry_run=args.dry_run)
    if args.dry_run:
        raise ConfigError("--dry-run va avec --purge")
    from csu_console.central.collector import CollectSettings, collect

    urls, _stations, data_dir = _nats_urls(args)
    level = logging.DEBUG if args.verbose else logging.INFO
    if data_dir is not None:
        setup_logging(data_dir, level, filename="collect.log")
    else:
        logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    install_crash_hooks()
    rules = site.priorities if site is not None else None
    settings = CollectSettings(
        urls, args.postgres, batch=max(1, args.batch), ack_wait_s=max(1.0, args.ack_wait),
        priority_rules=rules, retention=policy, zones=zones,
    )  # fmt: skip
    return collect(settings)


def _central_retention(args: argparse.Namespace, site: Any) -> Any:
    """The central purge's periods: --site's [retention], then the options."""
    from csu_console.core.retention import RetentionPolicy

    policy = site.retention if site is not None else RetentionPolicy()
    changes = {
        key: value
        for key, value in (
            ("citizen_days", args.citizen_days),
            ("personal_data_days", args.personal_days),
            ("rejected_days", args.rejected_days),
        )
        if value is not None
    }
    try:
        return replace(policy, **changes)
    except ValueError as exc:
        raise ConfigError(f"conservation : {exc}") from exc


def _heads(args: argparse.Namespace) -> int:
    import nats

    from csu_console.hub.book import list_heads
    from csu_console.witness_cli import heads_json

    urls = ",".join(_nats_urls(args)[0])

    async def read() -> list[Any]:
        nc = await nats.connect(servers=[u for u in urls.split(",") if u], connect_timeout=3,
                                max_reconnect_attempts=1)  # fmt: skip
        try:
            return await list_heads(nc.jetstream(), args.station)
        finally:
            await nc.close()

    try:
        heads = asyncio.run(read())
    except (OSError, TimeoutError, Exception) as exc:  # noqa: BLE001 - any client failure
        print(f"csu-hub heads : NATS injoignable ({urls}) : {exc}", file=sys.stderr)
        return 1
    if args.json:
        sys.stdout.write(heads_json(heads))
        return 0
    if not heads:
        print("aucun témoin" + (f" de {args.station}" if args.station else ""))
    for h in heads:
        reason = "fin de vacation" if h.reason == "shift_close" else "minute"
        print(f"{h.station:<16} n° {h.seq:<8} {h.at}  {h.hash[:16]}…  {reason}")
    return 0


def _status(args: argparse.Namespace) -> int:
    from csu_console.hub.status import collect, render, to_json

    servers, stations, _data_dir = _nats_urls(args)
    urls = ",".join(servers)
    try:
        report = asyncio.run(collect(servers, stations))
    except (OSError, TimeoutError, Exception) as exc:  # noqa: BLE001 - any client failure
        print(f"csu-hub status : NATS injoignable ({urls}) : {exc}", file=sys.stderr)
        return 1
    print(to_json(report) if args.json else render(report))
    healthy = report["nats"].get("jetstream") and all(
        h.get("state") == "ok" for h in report["hubs"].values()
    )
    return 0 if healthy else 1
