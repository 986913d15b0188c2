"""``csu-console hold add|release|list`` (legal holds) and the administrator's
password that ``csu-console users`` asks once the database has an administrator;
in process on a real database file, and once each as a real command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from test_cli_logbook import run

from csu_console.core.accounts import ScryptParams
from csu_console.core.alerts import Alert, Category
from csu_console.core.protocol import AlertMessage
from csu_console.core.roles import Role
from csu_console.paths import REPO_DIR
from csu_console.storage.store import DB_NAME, Store

PV = "PV 2026/1234 – TJ Montbéliard"
ADMIN_PW = "Admin-2026"
CHEF_PW = "Salle-2026x"
FAST = ScryptParams(2**10, 8, 1)


def msg(seq: int, alert_id: str) -> AlertMessage:
    sent = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    return AlertMessage(seq, Alert("plateforme", alert_id, sent, Category.RIXE, 2, "Rixe"))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A database with two alerts, a supervisor and an operator (no administrator)."""
    directory = tmp_path / "data"
    store = Store(directory / DB_NAME)
    try:
        store.commit_batch([msg(1, "SIG-1"), msg(2, "SIG-2")], "poste-1")
        store.add_user("chef", Role.SUPERVISEUR, "Chef de salle", CHEF_PW, params=FAST)
        store.add_user("durand", Role.OPERATEUR, "", "Equipe-2026", params=FAST)
    finally:
        store.close()
    return directory


def events(data_dir: Path, kind: str) -> list[tuple[str | None, str | None, dict[str, object]]]:
    store = Store(data_dir / DB_NAME, readonly=True)
    try:
        rows = store.conn.execute(
            "SELECT station, operator, details FROM events WHERE kind = ? ORDER BY pk", (kind,)
        ).fetchall()
    finally:
        store.close()
    return [(s, o, json.loads(d)) for s, o, d in rows]


# --- hold ----------------------------------------------------------------------------------


def test_hold_add_list_release(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    d = str(data_dir)
    code, out, err = run(capsys, "hold", "add", "--alert", "2", "--reference", PV, "--data", d)
    assert (code, err) == (0, "")
    assert out == (
        f"alerte n° 2 sous réquisition « {PV} » (conservation n° 1) : "
        "exclue de la purge jusqu'à la levée\n"
    )
    code, out, _ = run(capsys, "hold", "list", "--data", d)
    assert code == 0
    assert out.splitlines()[0].split(" le ")[0].split() == [
        "n°",
        "1",
        "alerte",
        "n°",
        "2",
        "«",
        *PV.split(),
        "»",
    ]
    assert out.splitlines()[0].endswith("(cli) – active")
    assert out.splitlines()[-1] == "1 conservation(s) active(s)"
    code, out, _ = run(
        capsys, "hold", "release", "1", "--reason", "mainlevée du parquet", "--data", d
    )
    assert (code, out) == (
        0, f"conservation n° 1 levée (alerte n° 2, réquisition « {PV} ») ;"
        " la purge s'y applique de nouveau\n",
    )  # fmt: skip
    assert run(capsys, "hold", "list", "--data", d)[1] == "0 conservation(s) active(s)\n"
    out = run(capsys, "hold", "list", "--all", "--data", d)[1]
    assert "– levée le " in out and ": mainlevée du parquet" in out
    [(station, who, held)] = events(data_dir, "legal_hold")
    [(_, _, released)] = events(data_dir, "legal_hold_released")
    assert station == "cli" and who  # the system user
    assert held["reference"] == released["reference"] == PV
    assert released["release_reason"] == "mainlevée du parquet"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["add", "--alert", "9", "--reference", PV], "Alerte n° 9 introuvable"),
        (["add", "--alert", "1", "--reference", " "], "référence de la réquisition est oblig"),
        (["add", "--snapshot", "x", "--reference", PV], "Numéro de capture d'image invalide"),
        (["release", "7", "--reason", "fin"], "Conservation n° 7 inconnue"),
        (["release", "1", "--reason", " "], "Le motif de la levée est obligatoire"),
    ],
)
def test_hold_errors(
    capsys: pytest.CaptureFixture[str], data_dir: Path, argv: list[str], message: str
) -> None:
    if argv[0] == "release" and argv[1] == "1":
        run(capsys, "hold", "add", "--alert", "1", "--reference", PV, "--data", str(data_dir))
    code, out, err = run(capsys, "hold", *argv, "--data", str(data_dir))
    assert (code, out) == (2, "")
    assert message in err


def test_hold_an_alert_with_its_snapshots(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    store = Store(data_dir / DB_NAME)
    try:
        for pk in (3, 4):
            store.conn.execute(
                "INSERT INTO snapshots (pk, at, camera_id, alert_pk, path, sha256) VALUES"
                " (?, '2026-03-02T09:00:00+00:00', 'cam-01', 1, '/tmp/x.png', 'ab')",
                (pk,),
            )
    finally:
        store.close()
    argv = ["hold", "add", "--alert", "1", "--with-snapshots", "--reference", PV]
    code, out, _ = run(capsys, *argv, "--data", str(data_dir))
    assert code == 0
    assert [line.split(" sous ")[0] for line in out.splitlines()] == [
        "alerte n° 1", "capture d'image n° 3", "capture d'image n° 4",
    ]  # fmt: skip
    code, out, err = run(capsys, *argv, "--data", str(data_dir))
    assert (code, out) == (2, "") and "Alerte n° 1 déjà sous réquisition" in err
    assert len(events(data_dir, "legal_hold")) == 3


def test_hold_twice_with_the_same_reference(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    argv = ["hold", "add", "--alert", "1", "--reference", PV, "--data", str(data_dir)]
    assert run(capsys, *argv)[0] == 0
    code, _, err = run(capsys, *argv)
    assert code == 2 and "Alerte n° 1 déjà sous réquisition" in err
    assert len(events(data_dir, "legal_hold")) == 1


def test_hold_as_a_named_supervisor(
    capsys: pytest.CaptureFixture[str], data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    d = str(data_dir)
    monkeypatch.setenv("CSU_OPERATOR_PASSWORD", CHEF_PW)
    code, _, err = run(
        capsys, "hold", "add", "--alert", "1", "--reference", PV,
        "--operator", "chef", "--data", d,
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert events(data_dir, "legal_hold")[0][:2] == ("cli", "chef")
    assert events(data_dir, "login")[-1][1] == "chef"
    # An operator's account may not: refused, and logged.
    monkeypatch.setenv("CSU_OPERATOR_PASSWORD", "Equipe-2026")
    code, _, err = run(
        capsys, "hold", "release", "1", "--reason", "fin", "--operator", "durand", "--data", d
    )
    assert code == 2
    assert "Le compte « durand » (Opérateur) ne permet pas de placer ou lever une réq" in err
    assert events(data_dir, "legal_hold_released") == []
    assert "rôle sans droit" in str(events(data_dir, "login_failed")[-1][2]["cause"])


def test_hold_as_a_real_command(data_dir: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO_DIR)}
    argv = [sys.executable, "-m", "csu_console", "hold"]
    add = subprocess.run(
        [*argv, "add", "--alert", "1", "--reference", PV, "--data", str(data_dir)],
        capture_output=True, text=True, timeout=60, check=False, cwd=REPO_DIR, env=env,
    )  # fmt: skip
    assert add.returncode == 0, add.stderr
    listed = subprocess.run(
        [*argv, "list", "--data", str(data_dir)],
        capture_output=True, text=True, timeout=60, check=False, cwd=REPO_DIR, env=env,
    )  # fmt: skip
    assert PV in listed.stdout and "1 conservation(s) active(s)" in listed.stdout


# --- users: the administrator's password ---------------------------------------------------


@pytest.fixture(autouse=True)
def _cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Accounts made in process get a cheap scrypt (the default costs seconds)."""
    from csu_console.core import accounts

    def cheap(password: str, params: ScryptParams = FAST) -> accounts.PasswordHash:
        return accounts.hash_password(password, FAST)

    monkeypatch.setattr("csu_console.storage.users.hash_password", cheap)


@pytest.fixture
def with_admin(capsys: pytest.CaptureFixture[str], data_dir: Path) -> Path:
    """The first administrator, made without a gate (there was none yet)."""
    code, _, err = run(
        capsys, "users", "add", "admin1", "--role", "admin", "--password-stdin",
        "--data", str(data_dir), stdin=ADMIN_PW + "\n",
    )  # fmt: skip
    assert code == 0, err
    return data_dir


def test_once_an_admin_exists_users_asks_for_the_password(
    capsys: pytest.CaptureFixture[str], with_admin: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    prompts: list[str] = []

    def getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        return ADMIN_PW

    monkeypatch.setattr("getpass.getpass", getpass)
    code, out, err = run(capsys, "users", "list", "--data", str(with_admin))
    assert (code, err) == (0, "")
    assert prompts == ["Mot de passe de l'administrateur « admin1 » : "]
    assert "admin1" in out and "chef" in out
    assert events(with_admin, "login")[-1][:2] == ("cli", "admin1")


def test_a_wrong_admin_password_is_refused_and_logged(
    capsys: pytest.CaptureFixture[str], with_admin: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "mauvais")
    code, out, err = run(capsys, "users", "disable", "durand", "--data", str(with_admin))
    assert (code, out) == (2, "")
    assert err == (
        "csu-console : commande refusée, administrateur non reconnu : "
        "Identifiant ou mot de passe incorrect.\n"
    )
    assert events(with_admin, "user_disabled") == []
    assert events(with_admin, "login_failed")[-1][2] == {
        "login": "admin1", "cause": "mot de passe incorrect",
    }  # fmt: skip


def test_scripts_give_the_admin_password_on_stdin_or_in_the_environment(
    capsys: pytest.CaptureFixture[str], with_admin: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    d = str(with_admin)
    code, _, err = run(
        capsys, "users", "add", "martin", "--role", "superviseur", "--admin", "admin1",
        "--admin-password-stdin", "--password-stdin", "--data", d,
        stdin=f"{ADMIN_PW}\nReleve-2099\n",
    )  # fmt: skip
    assert (code, err) == (0, "")
    [(_, signed_by, added)] = [
        e for e in events(with_admin, "user_added") if e[2]["login"] == "martin"
    ]
    assert (signed_by, added["role"]) == ("admin1", "superviseur")
    monkeypatch.setenv("CSU_ADMIN_PASSWORD", ADMIN_PW)
    assert run(capsys, "users", "disable", "martin", "--data", d)[0] == 0
    assert events(with_admin, "user_disabled")[-1][1] == "admin1"


def test_a_supervisor_is_not_an_administrator(
    capsys: pytest.CaptureFixture[str], with_admin: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSU_ADMIN_PASSWORD", CHEF_PW)
    code, _, err = run(capsys, "users", "list", "--admin", "chef", "--data", str(with_admin))
    assert code == 2
    assert "Le compte « chef » (Superviseur) ne permet pas de gérer les comptes." in err


def test_several_admins_must_be_named(
    capsys: pytest.CaptureFixture[str], with_admin: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSU_ADMIN_PASSWORD", ADMIN_PW)
    d = str(with_admin)
    assert run(
        capsys, "users", "add", "admin2", "--role", "admin", "--password-stdin", "--data", d,
        stdin="Second-2026\n",
    )[0] == 0  # fmt: skip
    code, _, err = run(capsys, "users", "list", "--data", d)
    assert code == 2 and "plusieurs administrateurs" in err and "--admin IDENTIFIANT" in err
    assert run(capsys, "users", "list", "--admin", "admin1", "--data", d)[0] == 0


def test_the_gate_as_a_real_command(with_admin: Path) -> None:
    argv = [sys.executable, "-m", "csu_console", "users", "list", "--data", str(with_admin)]
    env = {**os.environ, "PYTHONPATH": str(REPO_DIR)}
    env.pop("CSU_ADMIN_PASSWORD", None)
    refused = subprocess.run(
        [*argv, "--admin-password-stdin"], input="faux\n", capture_output=True, text=True,
        timeout=60, check=False, cwd=REPO_DIR, env=env,
    )  # fmt: skip
    assert refused.returncode == 2
    assert "administrateur non reconnu" in refused.stderr
    allowed = subprocess.run(
        argv, capture_output=True, text=True, timeout=60, check=False, cwd=REPO_DIR,
        env={**env, "CSU_ADMIN_PASSWORD": ADMIN_PW},
    )  # fmt: skip
    assert allowed.returncode == 0, allowed.stderr
    assert "3 compte(s)" in allowed.stdout


def test_no_stdin_line_is_an_empty_password(
    capsys: pytest.CaptureFixture[str], with_admin: Path
) -> None:
    code, _, err = run(
        capsys, "users", "list", "--admin-password-stdin", "--data", str(with_admin), stdin=""
    )
    assert code == 2 and "Identifiant ou mot de passe incorrect" in err
