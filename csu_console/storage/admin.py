"""What the administration commands do to a database file (``csu-console logbook
verify``, ``users …``, ``purge``): open it, act, write a French report to ``out``
and return the exit code. Argument parsing and password prompts stay in
:mod:`csu_console.cli`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from csu_console.core.accounts import Account
from csu_console.core.retention import RetentionPolicy
from csu_console.core.roles import ROLE_LABELS, Role
from csu_console.errors import StorageError
from csu_console.storage.alert_audit import AlertReport, verify_alerts
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
    path: Path, login: str, role: Role, name: str, password: str, who: str, out: TextIO
) -> int:
    """Create an account."""
    store = Store(path)
    try:
        account = store.add_user(login, role, name, password, station=CLI_STATION, operator=who)
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
