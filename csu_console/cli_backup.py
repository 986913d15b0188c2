"""``csu-console backup --to DIR`` and ``csu-console restore --from DIR``.

The passphrase of the encrypted secrets comes from ``$CSU_BACKUP_PASSPHRASE``, from
the first line of standard input (``--passphrase-stdin``) or is asked at the
terminal; it is never an argument (it would show in ``ps`` and the shell history).
"""

from __future__ import annotations

import argparse
import getpass
import os
from pathlib import Path
from typing import Any, TextIO

from csu_console.config import default_config_dir
from csu_console.errors import UserFacingError

PASSPHRASE_ENV = "CSU_BACKUP_PASSPHRASE"


def add_backup_commands(sub: Any) -> None:
    """The ``backup`` and ``restore`` parsers (called by :func:`csu_console.cli.build_parser`)."""
    b = sub.add_parser("backup", help="sauvegarder base, preuves et configuration")
    b.add_argument("--to", dest="to", type=Path, required=True,
                   help="dossier des sauvegardes (une par sous-dossier daté)")  # fmt: skip
    b.add_argument("--with-secrets", "--avec-secrets", dest="with_secrets", action="store_true",
                   help="inclure, chiffrés par une phrase de passe, les identifiants des"
                   " caméras et la clé du poste (exclus sinon)")  # fmt: skip
    b.add_argument("--keep", "--garder", dest="keep", type=int, default=0,
                   help="ne garder que les N dernières sauvegardes de ce dossier")  # fmt: skip
    r = sub.add_parser("restore", help="restaurer une sauvegarde (console arrêtée)")
    r.add_argument("--from", dest="source", type=Path, required=True,
                   help="dossier de la sauvegarde (sauvegarde-AAAAMMJJ-HHMMSS)")  # fmt: skip
    r.add_argument("--replace", "--remplacer", dest="replace", action="store_true",
                   help="remplacer les données présentes (mises de côté)")  # fmt: skip
    r.add_argument("--check", "--verifier", dest="check_only", action="store_true",
                   help="vérifier la sauvegarde sans rien restaurer")  # fmt: skip
    r.add_argument("--with-secrets", "--avec-secrets", dest="with_secrets", action="store_true",
                   help="restaurer aussi les secrets chiffrés (phrase demandée)")  # fmt: skip
    for p in (b, r):
        p.add_argument("--data-dir", "--data", dest="data_dir", type=Path, default=None,
                       help="dossier des données (défaut : celui de l'utilisateur)")  # fmt: skip
        p.add_argument("--config", type=Path, default=None,
                       help="dossier du site (sauvegarde : défaut, celui de la console ;"
                       " restauration : seulement si donné)")  # fmt: skip
        p.add_argument("--passphrase-stdin", action="store_true",
                       help=f"phrase de passe en première ligne de l'entrée standard"
                       f" (sinon ${PASSPHRASE_ENV}, sinon demandée)")  # fmt: skip


def _passphrase(args: argparse.Namespace, stdin: TextIO, confirm: bool) -> str:
    if args.passphrase_stdin:
        return stdin.readline().rstrip("\n")
    if os.environ.get(PASSPHRASE_ENV):
        return os.environ[PASSPHRASE_ENV]
    first = getpass.getpass("Phrase de passe des secrets : ")
    if confirm and getpass.getpass("Confirmez : ") != first:
        raise UserFacingError("les deux phrases de passe diffèrent")
    return first


def backup_command(args: argparse.Namespace, stdin: TextIO, out: TextIO) -> int:
    """Run ``backup`` or ``restore``; 0 on success (errors raise ``UserFacingError``)."""
    from csu_console.backup.make import make_backup, prune
    from csu_console.backup.restore import check_backup, restore_backup
    from csu_console.cli_access import who_runs

    data_dir = Path(args.data_dir)
    if args.command == "backup":
        passphrase = _passphrase(args, stdin, confirm=True) if args.with_secrets else None
        config = args.config or default_config_dir()
        result = make_backup(data_dir, args.to, config_dir=config, passphrase=passphrase)
        out.write(f"sauvegarde écrite : {result.path}\n")
        out.write(f"{result.files} fichiers, {result.bytes} octets, {result.events} événements\n")
        out.write(f"manifeste SHA-256 : {result.manifest_sha256}\n")
        out.write(
            "secrets : chiffrés dans secrets.enc\n"
            if result.secrets
            else "secrets : exclus (identifiants des caméras, clé du poste)\n"
        )
        for removed in prune(args.to, args.keep):
            out.write(f"ancienne sauvegarde supprimée : {removed}\n")
        return 0
    if args.check_only:
        meta = check_backup(args.source)
        out.write(f"sauvegarde intacte : {args.source}\n")
        out.write(f"créée le {meta.get('created_at')}, {meta['verified_events']} événements\n")
        return 0
    passphrase = _passphrase(args, stdin, confirm=False) if args.with_secrets else None
    restored = restore_backup(
        args.source,
        data_dir,
        config_dir=args.config,
        passphrase=passphrase,
        replace=args.replace,
        who=who_runs(),
    )
    out.write(f"sauvegarde restaurée dans {restored.data_dir} : {restored.files} fichiers,")
    out.write(f" main courante intacte ({restored.events} événements)\n")
    if restored.moved_aside is not None:
        out.write(f"données remplacées mises de côté : {restored.moved_aside}\n")
    out.write(f"configuration : {'restaurée' if restored.config else 'non restaurée'}\n")
    out.write(f"secrets : {'restaurés' if restored.secrets else 'non restaurés'}\n")
    return 0
