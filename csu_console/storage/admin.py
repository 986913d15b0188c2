"""What the administration commands do to a database file (``csu-console logbook
verify``, ``users …``, ``purge``, ``hold …``): open it, act, write a French report to ``out``
and return the exit code. Argument parsing and password prompts stay in
:mod:`csu_console.cli`.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from csu_console.core.accounts import Account, LockoutPolicy
from csu_console.core.holds import HoldTarget, clean_target_ref
from csu_console.core.logbook import EventKind
from csu_console.core.retention import RetentionPolicy
from csu_console.core.roles import PERMISSION_LABELS, ROLE_LABELS, Permission, Role, allowed
from csu_console.errors import AuthError, StorageError
from csu_console.storage.alert_audit import AlertReport, verify_alerts
from csu_console.storage.holds import hold_alert, list_holds, place_holds, release_hold
from csu_console.storage.retention import PurgeZones
from csu_console.storage.schema import SCHEMA_VERSION
from csu_console.storage.store import Store

CLI_STATION = "cli"


def _existing(path: Path) -> Path:
    if not path.exists():
        raise StorageError(f"base introuvable : {path}")
    return path


def verify_logbook(path: Path, out: TextIO) -> int:
    """0 and « chaîne intacte : N événements », or 1 naming the first broken event."""
    store = Store(_existing(path), readonly=True)
    try:
        version = int(store.conn.execute("PRAGMA user_version").fetchone()[0])
        if version < SCHEMA_VERSION:
            out.write(
                f"base en version {version}, sans chaîne d'empreintes : ouvrez-la une fois "
                "avec la console (ou « csu-console users list ») pour la migrer\n"
            )
            return 2
        report = store.verify_chain()
        alerts = verify_alerts(store.conn)
    finally:
        store.close()
    code = 0
    if report.broken is not None:
        out.write(f"chaîne rompue après {report.count} événements intacts : {report.broken}\n")
        code = 1
    else:
        out.write(f"chaîne intacte : {report.count} événements\n")
        out.write(f"dernière empreinte : {report.head}\n")
    return max(code, _write_alerts(alerts, out))


def _write_alerts(report: AlertReport, out: TextIO) -> int:
    """The alerts' part of ``logbook verify``: 1 when a row does not match its event."""
    legacy = ""
    if report.legacy:
        legacy = f" ({report.legacy} antérieures à l'empreinte, non vérifiables)"
    if report.ok:
        out.write(f"alertes intactes : {report.checked} vérifiées{legacy}\n")
        return 0
    count = len(report.problems) + report.more
    out.write(f"alertes modifiées ou supprimées : {count} sur {report.checked} vérifiées{legacy}\n")
    for problem in report.problems:
        out.write(f"  {problem}\n")
    if report.more:
        out.write(f"  … et {report.more} autres\n")
    return 1


def add_user(
    path: Path,
    login: str,
    role: Role,
    name: str,
    password: str,
    who: str,
    out: TextIO,
    reason: str = "",
) -> int:
    """Create an account."""
    store = Store(path)
    try:
        account = store.add_user(
            login, role, name, password, station=CLI_STATION, operator=who, reason=reason
        )
    finally:
        store.close()
    out.write(f"compte « {account.login} » créé ({ROLE_LABELS[account.role]})\n")
    return 0


def set_password(path: Path, login: str, password: str, who: str, out: TextIO) -> int:
    """Change a password (and lift a lockout)."""
    store = Store(_existing(path))
    try:
        store.set_password(login, password, station=CLI_STATION, operator=who)
    finally:
        store.close()
    out.write(f"mot de passe de « {login} » changé\n")
    return 0


def disable_user(path: Path, login: str, who: str, out: TextIO) -> int:
    """Disable an account."""
    store = Store(_existing(path))
    try:
        store.disable_user(login, station=CLI_STATION, operator=who)
    finally:
        store.close()
    out.write(f"compte « {login} » désactivé\n")
    return 0


def change_user(
    path: Path, command: str, login: str, who: str, out: TextIO, reason: str, role: Role | None
) -> int:
    """``users disable|enable|role``: never the last active administrator."""
    store = Store(_existing(path))
    try:
        if command == "disable":
            store.disable_user(login, station=CLI_STATION, operator=who, reason=reason)
            done = "désactivé"
        elif command == "enable":
            store.enable_user(login, station=CLI_STATION, operator=who, reason=reason)
            done = "réactivé"
        else:
            assert role is not None
            store.set_role(login, role, station=CLI_STATION, operator=who, reason=reason)
            done = f"désormais {ROLE_LABELS[role]}"
    finally:
        store.close()
    out.write(f"compte « {login} » {done}\n")
    return 0


def _state(account: Account, now: datetime) -> str:
    if account.disabled:
        return "désactivé"
    if account.locked_until is not None and account.locked(now):
        return f"verrouillé jusqu'à {account.locked_until.astimezone():%H:%M:%S}"
    return "actif"


def list_users(path: Path, out: TextIO) -> int:
    """One line per account: login, role, state, display name."""
    store = Store(_existing(path))
    try:
        accounts = store.list_users()
    finally:
        store.close()
    now = datetime.now(UTC)
    for a in accounts:
        out.write(
            f"{a.login:<20} {ROLE_LABELS[a.role]:<15} {_state(a, now):<30} {a.display_name}\n"
        )
    out.write(f"{len(accounts)} compte(s)\n")
    return 0


def purge(
    path: Path,
    policy: RetentionPolicy,
    timezone: str,
    who: str,
    dry_run: bool,
    out: TextIO,
    zones: PurgeZones = (),
) -> int:
    """Apply the retention policy (or count what it would do); ``zones``: the
    site's, kept on the citizen reports whose place is sealed."""
    store = Store(_existing(path), tz=ZoneInfo(timezone))
    try:
        report = store.purge(
            policy, dry_run=dry_run, station=CLI_STATION, operator=who, zones=zones
        )
    finally:
        store.close()
    out.write(report.summary() + "\n")
    return 0


# -- who acts: an administrator's password for ``users``, a role for ``hold`` ----------


def has_admin(path: Path) -> bool:
    """True when the database exists and holds an active administrator account:
    from then on ``csu-console users`` asks for an administrator's password."""
    if not path.exists():
        return False
    store = Store(path, readonly=True)
    try:
        row = store.conn.execute(
            "SELECT 1 FROM users WHERE role = ? AND NOT disabled LIMIT 1", (Role.ADMIN.value,)
        ).fetchone()
    except sqlite3.OperationalError:
        return False  # a database from before the accounts (no users table yet)
    finally:
        store.close()
    return row is not None


def sole_admin(path: Path) -> str | None:
    """The login of the only active administrator (None: none, or several)."""
    store = Store(_existing(path), readonly=True)
    try:
        rows = store.conn.execute(
            "SELECT login FROM users WHERE role = ? AND NOT disabled", (Role.ADMIN.value,)
        ).fetchall()
    finally:
        store.close()
    return rows[0][0] if len(rows) == 1 else None


def authenticate_as(
    path: Path, login: str, password: str, permission: Permission, policy: LockoutPolicy
) -> Account:
    """Log ``login`` in on the command line's station (``login`` or ``login_failed``
    events, lockout as at a console) and check that its role allows ``permission``;
    :class:`AuthError` with the French reason otherwise (also logged)."""
    store = Store(_existing(path))
    try:
        account = store.authenticate(login, password, CLI_STATION, policy)
        if not allowed(account.role, permission):
            store.add_event(
                EventKind.LOGIN_FAILED, None, CLI_STATION, None,
                {"login": login, "cause": f"rôle sans droit : {PERMISSION_LABELS[permission]}"},
            )  # fmt: skip
            raise AuthError(
                f"Le compte « {login} » ({ROLE_LABELS[account.role]}) ne permet pas de "
                f"{PERMISSION_LABELS[permission]}."
            )
    finally:
        store.close()
    return account


# -- legal holds (``csu-console hold``) -------------------------------------------------


def add_hold(
    path: Path,
    target: HoldTarget,
    ref: str,
    reference: str,
    who: str,
    out: TextIO,
    *,
    with_snapshots: bool = False,
) -> int:
    """Put a record under a judicial requisition (an alert with its snapshots when
    asked: the images go before the alert in the purge)."""
    store = Store(_existing(path))
    try:
        if with_snapshots and target is HoldTarget.ALERT:
            pk = int(clean_target_ref(target, ref))
            holds = hold_alert(store, pk, reference, with_snapshots=True,
                               station=CLI_STATION, operator=who)  # fmt: skip
        else:
            holds = place_holds(store, [(target, ref)], reference, station=CLI_STATION,
                                operator=who)  # fmt: skip
    finally:
        store.close()
    for hold in holds:
        out.write(
            f"{hold.describe()} sous réquisition « {hold.reference} » "
            f"(conservation n° {hold.pk}) : exclue de la purge jusqu'à la levée\n"
        )
    return 0


def end_hold(
    path: Path,
    hold_pk: int,
    reason: str,
    who: str,
    out: TextIO,
    recordings_dir: Path | None = None,
) -> int:
    """Release a hold; a video extraction's also releases its source segments in the
    recorder index of ``recordings_dir`` (once no other hold keeps the extraction)."""
    from csu_console.storage.extractions import segments_after_release

    store = Store(_existing(path))
    try:
        hold = release_hold(store, hold_pk, reason, station=CLI_STATION, operator=who)
        out.write(
            f"conservation n° {hold.pk} levée ({hold.describe()}, réquisition "
            f"« {hold.reference} ») ; la purge s'y applique de nouveau\n"
        )
        segments = segments_after_release(store.conn, hold, recordings_dir)
    finally:
        store.close()
    if segments:
        out.write(f"{segments} segment(s) de l'enregistreur libéré(s) ({recordings_dir})\n")
    return 0


def print_holds(path: Path, every: bool, tz: tzinfo | None, out: TextIO) -> int:
    """One line per hold (active ones, or ``every`` one), newest first."""
    store = Store(_existing(path), readonly=True)
    try:
        holds = list_holds(store.conn, active_only=not every)
    finally:
        store.close()

    def when(at: datetime) -> str:
        return at.astimezone(tz).strftime("%d/%m/%Y %H:%M")

    for h in holds:
        state = "active" if h.active else "levée"
        line = (
            f"n° {h.pk:<5} {h.describe():<24} « {h.reference} » le {when(h.held_at)} "
            f"par {h.held_by or '?'} ({h.station or '?'}) – {state}"
        )
        if h.released_at is not None:
            line += f" le {when(h.released_at)} par {h.released_by or '?'} : {h.release_reason}"
        out.write(line + "\n")
    out.write(f"{len(holds)} conservation(s){'' if every else ' active(s)'}\n")
    return 0
