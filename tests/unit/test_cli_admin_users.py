"""``csu-console users enable|role`` and ``--reason`` (issue 20): the command line
does what the administration window does, logged the same way, and never leaves
the database without an active administrator."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from csu_console.cli import main
from csu_console.cli_access import ADMIN_PASSWORD_ENV
from csu_console.core.accounts import ScryptParams
from csu_console.core.roles import Role
from csu_console.storage.store import DB_NAME, Store

PASSWORD = "Secret-123"
FAST = ScryptParams(2**10, 8, 1)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    sys_stdin = sys.stdin
    sys.stdin = io.StringIO("")
    try:
        code = main(list(argv))
    finally:
        sys.stdin = sys_stdin
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def details(data: Path, kind: str) -> list[dict[str, object]]:
    store = Store(data / DB_NAME)
    try:
        rows = store.conn.execute(
            "SELECT operator, details FROM events WHERE kind = ? ORDER BY pk", (kind,)
        ).fetchall()
    finally:
        store.close()
    return [{"operator": o, **json.loads(d)} for o, d in rows]


def test_role_disable_enable_with_reasons(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    store = Store(data / DB_NAME)
    try:
        store.add_user("chef", Role.ADMIN, "Chef", PASSWORD, params=FAST, station="cli")
        store.add_user("dupont", Role.OPERATEUR, "Dupont", PASSWORD, params=FAST, station="cli")
    finally:
        store.close()
    monkeypatch.setenv(ADMIN_PASSWORD_ENV, PASSWORD)
    d = str(data)
    got = run(capsys, "users", "role", "dupont", "--role", "superviseur", "--reason", "promotion",
              "--data", d)  # fmt: skip
    assert got[:2] == (0, "compte « dupont » désormais Superviseur\n")
    assert run(capsys, "users", "disable", "dupont", "--reason", "départ", "--data", d)[:2] == (
        0, "compte « dupont » désactivé\n",
    )  # fmt: skip
    assert run(capsys, "users", "enable", "dupont", "--reason", "retour", "--data", d)[:2] == (
        0, "compte « dupont » réactivé\n",
    )  # fmt: skip
    changed = details(data, "user_role_changed")[-1]
    assert (changed["operator"], changed["before"], changed["role"], changed["reason"]) == (
        "chef", "operateur", "superviseur", "promotion"
    )  # fmt: skip
    assert details(data, "user_disabled")[-1]["reason"] == "départ"
    assert details(data, "user_enabled")[-1]["reason"] == "retour"

    code, _, err = run(capsys, "users", "disable", "chef", "--data", d)
    assert code != 0 and "dernier administrateur actif" in err
    code, _, err = run(capsys, "users", "role", "chef", "--role", "operateur", "--data", d)
    assert code != 0 and "dernier administrateur actif" in err
