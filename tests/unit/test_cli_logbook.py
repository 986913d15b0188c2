"""The administration commands of ``csu-console``: ``logbook verify``, ``users …`` and
``purge``, run in process on a real database file."""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from csu_console.cli import main
from csu_console.core.protocol import AlertMessage
from csu_console.core.roles import Role
from csu_console.paths import REPO_DIR
from csu_console.storage.store import DB_NAME, Store

PASSWORD = "Secret-123"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "data"
    store = Store(directory / DB_NAME)
    try:
        for n in range(3):
            store.add_event("note", None, "poste-1", "durand", {"text": f"note {n}"})
    finally:
        store.close()
    return directory


def run(capsys: pytest.CaptureFixture[str], *argv: str, stdin: str = "") -> tuple[int, str, str]:
    sys_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        code = main(list(argv))
    finally:
        sys.stdin = sys_stdin
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- logbook verify ------------------------------------------------------------------------


def test_verify_an_intact_chain(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, err = run(capsys, "logbook", "verify", "--data", str(data_dir))
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "chaîne intacte : 3 événements"
    assert out.splitlines()[1].startswith("dernière empreinte : ")


@pytest.mark.expected_logs("csu.logbook")
def test_verify_names_the_first_broken_event(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    conn = sqlite3.connect(data_dir / DB_NAME)
    conn.executescript(
        "DROP TRIGGER events_no_update; UPDATE events SET operator = 'martin' WHERE pk = 2;"
    )
    conn.close()
    code, out, _err = run(capsys, "logbook", "verify", "--data-dir", str(data_dir))
    assert code == 1
    assert out.startswith("chaîne rompue après 1 événements intacts : événement n° 2 (")
    assert ", note) : événement modifié" in out


def test_verify_without_a_database(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _out, err = run(capsys, "logbook", "verify", "--data", str(tmp_path / "vide"))
    assert code == 2
    assert "base introuvable" in err
    assert not (tmp_path / "vide").exists()  # verify never creates anything


def test_verify_as_a_real_command(data_dir: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "csu_console", "logbook", "verify", "--data", str(data_dir)],
        capture_output=True, text=True, timeout=60, check=False, cwd=REPO_DIR,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "chaîne intacte : 3 événements" in proc.stdout


@pytest.mark.expected_logs("csu.logbook")
def test_an_alert_edited_with_the_sqlite3_cli_is_named(data_dir: Path) -> None:
    """The tamper test of issue 16: an alert row edited with the real ``sqlite3``
    command after the fact; ``logbook verify``, a real process, names it."""
    from csu_console.core.alerts import Alert, Category, Location

    store = Store(data_dir / DB_NAME)
    try:
        at = datetime(2025, 6, 2, 8, 0, tzinfo=UTC)
        alerts = [
            Alert("plateforme", f"SIG-{n}", at, Category.RIXE, 2, title=f"Rixe {n}",
                  location=Location(48.85, 2.35, "1 place de la Mairie"))
            for n in (1, 2)
        ]  # fmt: skip
        store.commit_batch([AlertMessage(n, a) for n, a in enumerate(alerts, 1)], "poste-1", at)
    finally:
        store.close()

    def verify() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "csu_console", "logbook", "verify", "--data", str(data_dir)],
            capture_output=True, text=True, timeout=60, check=False, cwd=REPO_DIR,
            env={**os.environ, "PYTHONPATH": str(REPO_DIR)},
        )  # fmt: skip

    intact = verify()
    assert intact.returncode == 0, intact.stdout + intact.stderr
    assert "alertes intactes : 2 vérifiées" in intact.stdout
    edit = "UPDATE alerts SET address = '3 rue Basse', priority = 1 WHERE alert_id = 'SIG-2';"
    sqlite = shutil.which("sqlite3")
    if sqlite is not None:
        subprocess.run([sqlite, str(data_dir / DB_NAME), edit], check=True, timeout=30)
    else:  # the sqlite3 module does the same edit where the command is not installed
        conn = sqlite3.connect(data_dir / DB_NAME)
        conn.executescript(edit)
        conn.close()
    proc = verify()
    assert proc.returncode == 1
    assert "chaîne intacte : 5 événements" in proc.stdout  # the chain alone sees nothing
    assert "alertes modifiées ou supprimées : 1 sur 2 vérifiées" in proc.stdout
    assert (
        "alerte n° 2 (plateforme / SIG-2) : alerte modifiée après sa réception — "
        "classement (catégorie, priorité), titre et lieu (titre, coordonnées, adresse, "
        "précision, commune, zone CAP) (événement n° 5)"
    ) in proc.stdout


# --- users ---------------------------------------------------------------------------------


def test_users_add_list_passwd_disable(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    d = str(data_dir)
    code, out, err = run(
        capsys, "users", "add", "dupont", "--role", "opérateur", "--name", "Jeanne Dupont",
        "--password-stdin", "--data", d, stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert (code, err, out) == (0, "", "compte « dupont » créé (Opérateur)\n")
    code, out, _ = run(
        capsys, "users", "passwd", "dupont", "--password-stdin", "--data", d, stdin="Nouveau-456\n"
    )
    assert (code, out) == (0, "mot de passe de « dupont » changé\n")
    code, out, _ = run(capsys, "users", "list", "--data", d)
    assert code == 0
    assert out.splitlines()[0].split() == ["dupont", "Opérateur", "actif", "Jeanne", "Dupont"]
    assert out.splitlines()[-1] == "1 compte(s)"
    assert run(capsys, "users", "disable", "dupont", "--data", d)[:2] == (
        0, "compte « dupont » désactivé\n",
    )  # fmt: skip
    assert "désactivé" in run(capsys, "users", "list", "--data", d)[1]
    store = Store(data_dir / DB_NAME)
    try:
        account = store.user("dupont")
        kinds = [r[0] for r in store.conn.execute("SELECT kind FROM events WHERE pk > 3")]
        assert store.verify_chain().ok
    finally:
        store.close()
    assert account is not None and account.role is Role.OPERATEUR and account.disabled
    assert kinds == ["user_added", "password_changed", "user_disabled"]


@pytest.mark.parametrize(
    ("argv", "stdin", "message"),
    [
        (["add", "dupont", "--role", "chef"], PASSWORD, "Rôle inconnu « chef »"),
        (["add", "dupont", "--role", "admin"], "court", "Mot de passe trop faible"),
        (["add", "Dupont", "--role", "admin"], PASSWORD, "Identifiant « Dupont » invalide"),
        (["passwd", "personne"], PASSWORD, "Compte « personne » inconnu"),
        (["disable", "personne"], "", "Compte « personne » inconnu"),
    ],
)
def test_users_errors(
    capsys: pytest.CaptureFixture[str], data_dir: Path, argv: list[str], stdin: str, message: str
) -> None:
    extra = ["--password-stdin"] if argv[0] in ("add", "passwd") else []
    code, out, err = run(capsys, "users", *argv, *extra, "--data", str(data_dir), stdin=stdin)
    assert (code, out) == (2, "")
    assert message in err


def test_users_add_asks_twice_without_stdin(
    capsys: pytest.CaptureFixture[str], data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter([PASSWORD, "Autre-123"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    code, _out, err = run(
        capsys, "users", "add", "dupont", "--role", "admin", "--data", str(data_dir)
    )
    assert code == 2 and "les deux saisies diffèrent" in err


# --- purge ---------------------------------------------------------------------------------


def test_purge_dry_run_then_real(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    config = tmp_path / "config"
    shutil.copytree(REPO_DIR / "config", config)
    site = (config / "site.toml").read_text(encoding="utf-8")
    site = site.replace("personal_data_days = 90", "personal_data_days = 1")
    (config / "site.toml").write_text(site, encoding="utf-8")
    store = Store(data_dir / DB_NAME)
    try:  # make the notes old enough
        store.add_event(
            "note", None, "p", "d", {"text": "vieux"}, at=datetime(2020, 1, 1, tzinfo=UTC)
        )
    finally:
        store.close()
    d, c = str(data_dir), str(config)
    code, out, _ = run(capsys, "purge", "--dry-run", "--config", c, "--data", d)
    expected = (
        "à purger : 0 alertes (données personnelles), 0 signalements citoyens (titre et lieu "
        "scellés), 1 événements (détails personnels), 0 trames rejetées, 0 captures "
        "(0 fichiers)\n"
    )
    assert (code, out) == (0, expected)
    code, out, _ = run(capsys, "purge", "--config", c, "--data", d)
    assert code == 0 and out.startswith("purgés : 0 alertes (données personnelles), 0 sig")
    assert "1 événements (détails personnels)" in out
    assert run(capsys, "logbook", "verify", "--data", d)[0] == 0
