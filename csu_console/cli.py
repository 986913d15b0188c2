"""``csu-console``: the console and its sub-commands (config check, export, demo, map,
logbook verify, users, purge, hold, extractions, signals, backup, restore)."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import Any, TextIO

from csu_console.cli_access import (
    ADMIN_PASSWORD_ENV,
    OPERATOR_PASSWORD_ENV,
    admin_gate,
    hold_command,
    new_password,
    who_runs,
)
from csu_console.cli_backup import add_backup_commands, backup_command
from csu_console.cli_export import db_path, export
from csu_console.cli_extractions import add_extractions_command, extractions_command
from csu_console.cli_signals import add_signals_command, signals_command
from csu_console.config import default_config_dir
from csu_console.demo_access import (
    DEMO_DATA_DIR,
    command_data_dir,
    data_dir_notice,
)
from csu_console.errors import CsuError
from csu_console.heap import limit_arenas
from csu_console.paths import default_data_dir

SUBCOMMANDS = (
    "run", "config", "export", "demo", "map", "logbook", "users", "purge", "camera", "hold",
    "keys", "extractions", "signals", "backup", "restore",
)  # fmt: skip


def _add_run_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", type=Path, default=None, help="dossier du site (défaut : démo)")
    p.add_argument("--data-dir", type=Path, default=None, help="dossier des données")
    p.add_argument(
        "--gateway",
        help="URL ws:// ou wss:// de la passerelle ; plusieurs serveurs d'alertes séparés"
        " par des virgules (bascule de l'un à l'autre)",
    )
    p.add_argument("--gateway-ca", type=Path, help="autorité de certification (PEM)")
    p.add_argument("--station", help="identifiant du poste")
    p.add_argument("--lang", choices=("fr", "en"), help="langue de l'interface")


def build_parser() -> argparse.ArgumentParser:
    """The full command line."""
    parser = argparse.ArgumentParser(
        prog="csu-console", description="Console opérateur du Centre de Surveillance Urbain"
    )
    sub = parser.add_subparsers(dest="command")
    _add_run_options(sub.add_parser("run", help="lancer la console (par défaut)"))

    cfg = sub.add_parser("config", help="configuration du site")
    cfg_sub = cfg.add_subparsers(dest="config_command", required=True)
    check = cfg_sub.add_parser("check", help="valider et lister toutes les erreurs")
    check.add_argument("--config", type=Path, default=None)
    _add_config_commands(cfg_sub)

    exp = sub.add_parser("export", help="exporter les enregistrements")
    _add_data_option(exp)
    exp.add_argument("--what", choices=("alerts", "rejected", "events"), default="alerts")
    exp.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    exp.add_argument("--since", help="date ISO 8601 (UTC si sans décalage), incluse")
    exp.add_argument("--until", help="date ISO 8601 (UTC si sans décalage), exclue")
    exp.add_argument(
        "--why", required=True, help="motif de l'export (journalisé avec l'utilisateur)"
    )

    demo = sub.add_parser(
        "demo", help="console + serveur d'alertes (csu-hub) + passerelle simulée, site de démo"
    )
    _add_run_options(demo)
    demo.add_argument("--rate", type=float, default=6.0, help="alertes par minute")
    demo.add_argument("--burst", type=int, default=6, help="alertes envoyées au départ")
    demo.add_argument(
        "--autologin",
        metavar="IDENTIFIANT",
        default="demo",
        help="compte connecté sans mot de passe, créé opérateur s'il manque (défaut : demo)",
    )
    demo.add_argument(
        "--reset",
        action="store_true",
        help="effacer d'abord les données de la démo (alertes, comptes, main courante, "
        "clichés, journaux) et repartir de zéro",
    )
    demo.add_argument(
        "--stations",
        type=int,
        default=1,
        choices=range(1, 5),
        metavar="N",
        help="nombre de postes ouverts sur le même serveur d'alertes (1 à 4 ; défaut : 1)",
    )
    demo.add_argument(
        "--sans-historique",
        action="store_true",
        help="ne pas écrire au premier démarrage 26 semaines de signalements simulés "
        "(signaux faibles, tendances, carte de chaleur)",
    )
    demo.add_argument(
        "--sans-hub",
        action="store_true",
        help="relier la console directement au simulateur, sans serveur d'alertes",
    )
    # A second station of the demo: joins the hub the first one started.
    demo.add_argument("--join", help=argparse.SUPPRESS)
    demo.add_argument("--stream-port", type=int, help=argparse.SUPPRESS)

    map_cmd = sub.add_parser("map", help="fond de carte hors ligne")
    map_sub = map_cmd.add_subparsers(dest="map_command", required=True)
    imp = map_sub.add_parser("import", help="convertir un extrait OSM (.osm.pbf) en carte .csumap")
    imp.add_argument("pbf", type=Path, metavar="FICHIER.osm.pbf")
    imp.add_argument("--bbox", help="emprise à garder : minlon,minlat,maxlon,maxlat")
    imp.add_argument("--out", type=Path, help="carte à écrire (défaut : même nom en .csumap)")
    _add_admin_commands(sub)
    from csu_console.media.video.probe import add_probe_parser

    add_probe_parser(sub)
    return parser


def _add_config_commands(cfg_sub: Any) -> None:
    """``config export|import|history|restore`` (the installer's setup, issue 8)."""
    exp = cfg_sub.add_parser("export", help="exporter caméras et zones en GeoJSON (sans secrets)")
    exp.add_argument("--out", type=Path, required=True, help="dossier où écrire les fichiers")
    imp = cfg_sub.add_parser("import", help="importer un GeoJSON de caméras ou de zones")
    imp.add_argument("file", type=Path, metavar="FICHIER.geojson")
    imp.add_argument("--reason", default="", help="motif du changement (journalisé)")
    hist = cfg_sub.add_parser("history", help="lister les versions gardées")
    restore = cfg_sub.add_parser("restore", help="restaurer une version gardée")
    restore.add_argument("version", metavar="VERSION")
    for p in (exp, imp, hist, restore):
        p.add_argument("--config", type=Path, default=None, help="dossier du site")
    for p in (imp, restore):
        _add_data_option(p)


def _add_data_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data-dir", "--data", dest="data_dir", type=Path, default=None,
                   help="dossier des données (défaut : celui de l'utilisateur)")  # fmt: skip


def _add_admin_commands(sub: Any) -> None:
    """``logbook verify``, ``users add|passwd|disable|list``, ``purge``."""
    logbook = sub.add_parser("logbook", help="main courante")
    lb_sub = logbook.add_subparsers(dest="logbook_command", required=True)
    verify = lb_sub.add_parser("verify", help="vérifier la chaîne d'empreintes")
    _add_data_option(verify)
    verify.add_argument("--witness", type=Path, action="append", default=[],
                        help="base d'un autre poste : ses témoins de ce poste")  # fmt: skip
    verify.add_argument("--heads", type=Path, action="append", default=[],
                        help="témoins exportés du hub (csu-hub heads --json)")  # fmt: skip
    verify.add_argument("--nats", help="NATS du hub (nats://…) : ses témoins (CSU_HEADS)")
    verify.add_argument("--station", help="identifiant de ce poste (défaut : sa clé)")
    keys = sub.add_parser("keys", help="clé du poste (témoins signés de la main courante)")
    k_sub = keys.add_subparsers(dest="keys_command", required=True)
    _add_data_option(k_sub.add_parser("init", help="créer la clé du poste (installation)"))
    _add_data_option(k_sub.add_parser("show", help="afficher la clé publique pour hub.toml"))

    users = sub.add_parser("users", help="comptes locaux")
    u_sub = users.add_subparsers(dest="users_command", required=True)
    add = u_sub.add_parser("add", help="créer un compte")
    add.add_argument("login")
    add.add_argument("--role", required=True, help="operateur, superviseur, installateur, admin")
    add.add_argument("--name", default="", help="nom affiché (défaut : l'identifiant)")
    passwd = u_sub.add_parser("passwd", help="changer un mot de passe (lève le verrouillage)")
    passwd.add_argument("login")
    for p in (add, passwd):
        p.add_argument("--password-stdin", action="store_true",
                       help="lire le mot de passe sur l'entrée standard (scripts)")  # fmt: skip
    disable = u_sub.add_parser("disable", help="désactiver un compte")
    disable.add_argument("login")
    enable = u_sub.add_parser("enable", help="réactiver un compte désactivé")
    enable.add_argument("login")
    role = u_sub.add_parser("role", help="changer le rôle d'un compte")
    role.add_argument("login")
    role.add_argument("--role", required=True, help="operateur, superviseur, installateur, admin")
    for p in (add, passwd, disable, enable, role):
        p.add_argument("--reason", default="", help="motif (journalisé)")
    for p in (add, passwd, disable, enable, role,
              u_sub.add_parser("list", help="lister les comptes")):  # fmt: skip
        _add_data_option(p)
        p.add_argument(
            "--admin", metavar="IDENTIFIANT",
            help="administrateur qui autorise la commande, dès que la base en a un (défaut :"
            " le seul administrateur) ; mot de passe demandé, ou pris dans "
            f"${ADMIN_PASSWORD_ENV}, ou en première ligne de l'entrée standard avec"
            " --admin-password-stdin",
        )  # fmt: skip
        p.add_argument("--admin-password-stdin", action="store_true", help=argparse.SUPPRESS)
    _add_hold_commands(sub)
    add_extractions_command(sub)
    add_signals_command(sub)
    add_backup_commands(sub)

    purge = sub.add_parser("purge", help="appliquer les durées de conservation (RGPD)")
    purge.add_argument("--dry-run", action="store_true", help="compter sans rien effacer")
    purge.add_argument("--config", type=Path, default=None, help="dossier du site")
    _add_data_option(purge)


def _add_hold_commands(sub: Any) -> None:
    """``hold add|release|list``: legal holds (judicial requisitions)."""
    hold = sub.add_parser("hold", help="réquisitions judiciaires : conserver malgré la purge")
    h_sub = hold.add_subparsers(dest="hold_command", required=True)
    add = h_sub.add_parser("add", help="placer un enregistrement sous réquisition")
    what = add.add_mutually_exclusive_group(required=True)
    what.add_argument("--alert", metavar="N°", help="numéro de l'alerte")
    what.add_argument("--snapshot", metavar="N°", help="numéro de la capture d'image")
    what.add_argument("--extraction", metavar="ID", help="numéro de l'extraction vidéo (registre)")
    add.add_argument(
        "--with-snapshots",
        action="store_true",
        help="avec --alert : conserver aussi les captures d'image de l'alerte",
    )
    add.add_argument(
        "--reference",
        required=True,
        help="référence de la réquisition (« PV 2026/1234 – TJ Montbéliard »)",
    )
    release = h_sub.add_parser("release", help="lever une conservation (mainlevée)")
    release.add_argument("hold", type=int, metavar="N°", help="numéro de la conservation")
    release.add_argument("--reason", required=True, help="motif de la levée")
    listing = h_sub.add_parser("list", help="lister les conservations actives")
    listing.add_argument("--all", action="store_true", help="aussi les conservations levées")
    for p in (add, release):
        p.add_argument(
            "--operator", metavar="IDENTIFIANT",
            help="compte superviseur ou administrateur qui agit (mot de passe demandé, ou"
            f" ${OPERATOR_PASSWORD_ENV}) ; défaut : l'utilisateur du système",
        )  # fmt: skip
    for p in (add, release, listing):
        _add_data_option(p)
        p.add_argument("--config", type=Path, default=None, help="dossier du site")


def config_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``config check|export|import|history|restore`` (see :mod:`csu_console.config.commands`)."""
    from csu_console.config import commands

    config_dir = args.config or default_config_dir()
    command = args.config_command
    if command == "export":
        return commands.config_export(config_dir, args.out, out, err)
    if command == "import":
        args.config = config_dir
        return commands.config_import(args, who_runs(), out, err)
    if command == "history":
        return commands.config_history(config_dir, out)
    if command == "restore":
        args.config = config_dir
        return commands.config_restore(args, who_runs(), out)
    return commands.config_check(config_dir, out)


def _run_options(args: argparse.Namespace, data_default: Path | None = None) -> Any:
    from csu_console.startup import RunOptions

    return RunOptions(
        config_dir=args.config or default_config_dir(),
        data_dir=args.data_dir or data_default or default_data_dir(),
        gateway=args.gateway,
        gateway_ca=args.gateway_ca,
        station=args.station,
        language=args.lang,
        # Only the demo has --autologin: a real station always logs in.
        autologin=getattr(args, "autologin", None),
    )


def demo(args: argparse.Namespace) -> int:
    """``csu-console demo``: see :mod:`csu_console.demo_run`."""
    from csu_console.demo_run import run_demo

    return run_demo(args, _run_options(args, DEMO_DATA_DIR))


def _parse_bbox(text: str | None) -> tuple[float, float, float, float] | None:
    if text is None:
        return None
    try:
        a, b, c, d = (float(v) for v in text.split(","))
    except ValueError:
        raise CsuError(f"--bbox : minlon,minlat,maxlon,maxlat attendu, reçu {text!r}") from None
    return a, b, c, d


def _default_map_out(pbf: Path) -> Path:
    name = pbf.name
    for suffix in (".osm.pbf", ".pbf"):
        if name.endswith(suffix):
            return pbf.with_name(name[: -len(suffix)] + ".csumap")
    return pbf.with_name(name + ".csumap")


def map_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``map import``: an OSM extract to a ``.csumap`` file, with a progress bar on ``err``."""
    from csu_console.mapdata.mapfile import import_osm

    bbox = _parse_bbox(args.bbox)
    target = args.out or _default_map_out(args.pbf)

    def bar(done: int, total: int) -> None:
        filled = 20 * done // max(total, 1)
        err.write(f"\r[{'#' * filled}{'.' * (20 - filled)}] {100 * done // max(total, 1)} %")
        err.flush()

    try:
        report = import_osm(args.pbf, target, bbox, bar)
    finally:
        err.write("\n")
    out.write(
        f"carte écrite : {report.path} ({report.summary()}) "
        f"en {report.elapsed_s:.1f} s, {report.size_bytes / 1e6:.1f} Mo\n"
    )
    return 0


def _site_timezone(args: argparse.Namespace) -> contextlib.AbstractContextManager[None]:
    """The events a sub-command writes (users, export, config import, purge…) carry
    the site's local time, like the console's, not the machine's (often UTC)."""
    from csu_console.config import site_timezone
    from csu_console.storage.store import use_timezone

    return use_timezone(site_timezone(getattr(args, "config", None) or default_config_dir()))


def admin(args: argparse.Namespace, stdin: TextIO, out: TextIO) -> int:
    """``logbook verify``, ``users add|passwd|disable|enable|role|list``, ``purge``, ``hold``."""
    from csu_console.config import load_site
    from csu_console.core.roles import parse_role
    from csu_console.storage import admin as ops

    path = db_path(args)
    if args.command == "logbook":
        from csu_console.witness_cli import verify_witnesses

        code = ops.verify_logbook(path, out)
        if code == 2:
            return code
        witnessed = verify_witnesses(
            path, out, args.witness, args.heads, args.station, nats=args.nats
        )
        return max(code, witnessed)
    if args.command == "purge":
        site = load_site(args.config or default_config_dir())
        zones = [(z.id, z.area) for z in site.zones]
        return ops.purge(
            path, site.retention, site.site.timezone, who_runs(), args.dry_run, out, zones
        )
    if args.command == "hold":
        return hold_command(args, path, stdin, out)
    who = admin_gate(args, path, stdin)
    command = args.users_command
    if command == "add":
        role = parse_role(args.role)
        password = new_password(args, stdin)
        return ops.add_user(path, args.login, role, args.name, password, who, out, args.reason)
    if command == "passwd":
        return ops.set_password(path, args.login, new_password(args, stdin), who, out)
    if command in ("disable", "enable", "role"):
        new_role = parse_role(args.role) if command == "role" else None
        return ops.change_user(path, command, args.login, who, out, args.reason, new_role)
    return ops.list_users(path, out)


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``csu-console``."""
    limit_arenas()  # before any thread allocates (heap.py)
    args_list = list(sys.argv[1:] if argv is None else argv)
    first = next((a for a in args_list if not a.startswith("-")), None)
    if first not in SUBCOMMANDS and not {"-h", "--help"} & set(args_list):
        args_list.insert(0, "run")
    args = build_parser().parse_args(args_list)
    if args.command not in ("run", "demo") and getattr(args, "data_dir", Path()) is None:
        # Without --data-dir, the data sub-commands say which folder they chose.
        args.data_dir, why = command_data_dir(None, Path.cwd())
        print(data_dir_notice(args.data_dir, why, Path.cwd()), file=sys.stderr)
    with _site_timezone(args):
        return _dispatch(args)


def _dispatch(args: argparse.Namespace) -> int:
    try:
        if args.command == "config":
            return config_command(args, sys.stdout, sys.stderr)
        if args.command == "export":
            return export(args, sys.stdout)
        if args.command == "demo":
            return demo(args)
        if args.command == "map":
            return map_import(args, sys.stdout, sys.stderr)
        if args.command == "camera":
            from csu_console.media.video.probe import probe_command

            return probe_command(args, sys.stdout, sys.stderr)
        if args.command == "keys":
            from csu_console.witness_cli import keys_command

            return keys_command(args.keys_command, db_path(args).parent, sys.stdout)
        if args.command == "extractions":
            return extractions_command(args, db_path(args), sys.stdout)
        if args.command == "signals":
            return signals_command(args, db_path(args), sys.stdout)
        if args.command in ("backup", "restore"):
            return backup_command(args, sys.stdin, sys.stdout)
        if args.command in ("logbook", "users", "purge", "hold"):
            return admin(args, sys.stdin, sys.stdout)
        from csu_console.app import run_console

        return run_console(_run_options(args))
    except CsuError as exc:
        print(f"csu-console : {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
