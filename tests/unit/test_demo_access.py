"""Finding the demo from the command line (csu_console.demo_access and the CLI):
the demo prints how to log back in; the data sub-commands run from the checkout
find the demo's data, and always say which data folder they use."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from csu_console import demo_access
from csu_console.cli import main
from csu_console.core.accounts import check_new_password
from csu_console.demo_access import DEMO_PASSWORD, command_data_dir, demo_hint
from csu_console.hub.config import token_hash
from csu_console.paths import REPO_DIR, default_data_dir
from csu_console.storage.store import DB_NAME, Store


@pytest.fixture
def demo_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A demo data folder inside a stand-in checkout, with the demo's account."""
    repo = tmp_path / "checkout"
    data = repo / "var" / "demo"
    data.mkdir(parents=True)
    store = Store(data / DB_NAME)
    store.autologin("demo", "poste-1", "Opérateur démo", DEMO_PASSWORD)
    store.close()
    monkeypatch.setattr(demo_access, "REPO_DIR", repo)
    monkeypatch.setattr(demo_access, "DEMO_DATA_DIR", data)
    return data


def test_the_demo_password_is_a_valid_one() -> None:
    check_new_password(DEMO_PASSWORD, "demo")


def test_the_demo_prints_how_to_log_back_in_and_where_its_data_is() -> None:
    hint = demo_hint("demo", REPO_DIR / "var" / "demo", REPO_DIR)
    assert f"identifiant : demo    mot de passe : {DEMO_PASSWORD}" in hint
    assert "csu-console users add chef --role superviseur --data-dir var/demo" in hint
    elsewhere = demo_hint("demo", REPO_DIR / "var" / "demo", REPO_DIR / "docs")
    assert f"--data-dir {REPO_DIR / 'var' / 'demo'}" in elsewhere


def test_the_rule(demo_data: Path, tmp_path: Path) -> None:
    repo = demo_data.parents[1]
    given = tmp_path / "ailleurs"
    assert command_data_dir(given, repo)[0] == given
    assert command_data_dir(None, repo)[0] == demo_data
    assert command_data_dir(None, repo / "docs")[0] == demo_data
    assert command_data_dir(None, tmp_path)[0] == default_data_dir()  # not in the checkout
    (demo_data / DB_NAME).unlink()
    assert command_data_dir(None, repo)[0] == default_data_dir()  # no demo data yet


def test_users_list_from_the_checkout_finds_the_demo_account_and_says_where(
    demo_data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before: ``users`` read ~/.local/share/csu-console while the demo used var/demo."""
    monkeypatch.chdir(demo_data.parents[1])
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["users", "list"]) == 0
    out, err = capsys.readouterr()
    assert "demo" in out
    assert "dossier des données : var/demo (données de la démo" in err


def test_a_given_data_dir_is_used_silently_elsewhere_the_users_folder_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    main(["logbook", "verify", "--data-dir", str(tmp_path / "d")])
    assert "dossier des données" not in capsys.readouterr().err
    monkeypatch.setattr("csu_console.demo_access.default_data_dir", lambda: tmp_path / "u")
    main(["logbook", "verify"])
    assert "dossier des données : u (dossier de l'utilisateur ;" in capsys.readouterr().err


def test_the_demo_prints_the_hint_and_gives_its_account_the_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``csu-console demo`` itself (a real simulator; the console and the camera
    streams replaced by recorders)."""
    import csu_console.app
    import csu_console.demo_run

    seen: list[Any] = []
    monkeypatch.setattr(csu_console.app, "run_console", lambda opts: seen.append(opts) or 0)
    monkeypatch.setattr(csu_console.demo_run, "_start_demo_streams", lambda _opts: None)
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--data-dir", "donnees", "--rate", "0", "--burst", "0"]) == 0
    [opts] = seen
    assert (opts.autologin, opts.autologin_password) == ("demo", DEMO_PASSWORD)
    # on the demo's hub (csu-hub and its NATS, stopped with the demo), with its token
    assert opts.gateway.startswith("ws://127.0.0.1:") and opts.station == "poste-1"
    hub_toml = (tmp_path / "donnees" / "hub" / "hub.toml").read_text(encoding="utf-8")
    assert f'listen = "{opts.gateway[5:-1]}"' in hub_toml
    assert token_hash(opts.gateway_token) in hub_toml
    out = capsys.readouterr().out
    assert f"mot de passe : {DEMO_PASSWORD}" in out
    assert "--data-dir donnees" in out
