"""Who acts in a ``csu-console`` data sub-command: the system user, an administrator
authenticated for ``users`` once the database has one, a supervisor or administrator
for ``hold`` (passwords from the environment, stdin or a prompt, never echoed)."""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from csu_console.config import default_config_dir
from csu_console.errors import AuthError, CsuError

#: Scripts give the administrator's (``users``) or the acting account's (``hold
#: --operator``) password here instead of at a prompt.
ADMIN_PASSWORD_ENV = "CSU_ADMIN_PASSWORD"
OPERATOR_PASSWORD_ENV = "CSU_OPERATOR_PASSWORD"


def who_runs() -> str:
    """The system user running an administration command (logged as the operator)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "inconnu"


def _lockout(args: argparse.Namespace) -> Any:
    """The site's ``[accounts]`` lockout rule (the defaults when the site is unreadable)."""
    from csu_console.config.loader import check_site
    from csu_console.core.accounts import LockoutPolicy

    site, _problems = check_site(getattr(args, "config", None) or default_config_dir())
    return site.accounts if site is not None else LockoutPolicy()


def _secret(env: str, from_stdin: bool, stdin: TextIO, prompt: str) -> str:
    """A password from ``$env``, the first line of stdin, or a prompt (never echoed)."""
    import os

    if os.environ.get(env):
        return os.environ[env]
    if from_stdin:
        return stdin.readline().rstrip("\r\n")
    return getpass.getpass(prompt)


def admin_gate(args: argparse.Namespace, path: Path, stdin: TextIO) -> str:
    """Who signs a ``users`` command: once the database has an administrator, an
    administrator authenticated by password (logged: ``login`` or ``login_failed``);
    before that (the very first administrator), the system user."""
    from csu_console.core.roles import Permission
    from csu_console.storage import admin as ops

    if not ops.has_admin(path):
        return who_runs()
    login = args.admin or ops.sole_admin(path)
    if login is None:
        raise CsuError(
            "plusieurs administrateurs : dites lequel autorise la commande (--admin IDENTIFIANT)"
        )
    password = _secret(
        ADMIN_PASSWORD_ENV, args.admin_password_stdin, stdin,
        f"Mot de passe de l'administrateur « {login} » : ",
    )  # fmt: skip
    try:
        ops.authenticate_as(path, login, password, Permission.MANAGE_USERS, _lockout(args))
    except AuthError as exc:
        raise CsuError(f"commande refusée, administrateur non reconnu : {exc}") from None
    return login


def hold_command(args: argparse.Namespace, path: Path, stdin: TextIO, out: TextIO) -> int:
    """``hold add|release|list``: see :mod:`csu_console.storage.holds`."""
    from csu_console.config import site_timezone
    from csu_console.core.holds import HoldTarget
    from csu_console.core.roles import Permission
    from csu_console.storage import admin as ops

    if args.hold_command == "list":
        tz = ZoneInfo(site_timezone(args.config or default_config_dir()))
        return ops.print_holds(path, args.all, tz, out)
    who = who_runs()
    if args.operator:
        password = _secret(
            OPERATOR_PASSWORD_ENV, False, stdin, f"Mot de passe de « {args.operator} » : "
        )
        ops.authenticate_as(path, args.operator, password, Permission.LEGAL_HOLD, _lockout(args))
        who = args.operator
    if args.hold_command == "release":
        recordings = recordings_dir(args, path.parent)
        return ops.end_hold(path, args.hold, args.reason, who, out, recordings)
    if args.alert is not None:
        target, ref = HoldTarget.ALERT, args.alert
    elif args.snapshot is not None:
        target, ref = HoldTarget.SNAPSHOT, args.snapshot
    else:
        target, ref = HoldTarget.EXTRACTION, args.extraction
    return ops.add_hold(
        path, target, ref, args.reference, who, out, with_snapshots=args.with_snapshots
    )


def recordings_dir(args: argparse.Namespace, data_dir: Path) -> Path:
    """The site's recording folder (``[recorder] dir``, else ``<data>/recordings``):
    where the holds of an extraction's segments are released."""
    from csu_console.config.loader import check_site

    site, _problems = check_site(getattr(args, "config", None) or default_config_dir())
    if site is None:
        return data_dir / "recordings"
    return Path(site.recorder.folder(data_dir))


def new_password(args: argparse.Namespace, stdin: TextIO) -> str:
    """A new account password: stdin's first line, or typed twice."""
    if args.password_stdin:
        return stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Mot de passe : ")
    if getpass.getpass("Confirmation : ") != first:
        raise CsuError("les deux saisies diffèrent")
    return first
