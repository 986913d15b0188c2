"""``[[station]] public_key`` in ``hub.toml`` (the key that signs the station's chain
heads), validated; the demo registers its stations' keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from csu_console.cli import main
from csu_console.core.witness import public_key_b64
from csu_console.demo_hub import demo_public_keys, write_hub_toml
from csu_console.hub.config import check_hub_config, load_hub_config, token_hash
from csu_console.storage.station_key import key_path, load_key

TOKEN = "jeton-de-test-assez-long-0123456789"


def _toml(tmp_path: Path, key_line: str) -> Path:
    path = tmp_path / "hub.toml"
    path.write_text(
        f'[hub]\nid = "h"\n[[station]]\nid = "poste-1"\ntoken_sha256 = "{token_hash(TOKEN)}"\n'
        f"{key_line}\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("value", "problem"),
    [('"pas-du-base64!"', "base64 illisible"), ('"AAAA"', "32 octets attendus, 3 reçus"),
     ("12", "clé publique Ed25519 en base64 attendue")],
)  # fmt: skip
def test_a_bad_public_key_is_named(tmp_path: Path, value: str, problem: str) -> None:
    config, problems = check_hub_config(_toml(tmp_path, f"public_key = {value}"))
    assert config is None
    [found] = problems
    assert found.field == "public_key" and problem in found.message


def test_keys_init_then_show_give_the_line_for_hub_toml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "poste-1"
    assert main(["keys", "init", "--data-dir", str(data)]) == 0
    created = capsys.readouterr().out
    assert main(["keys", "show", "--data-dir", str(data)]) == 0
    shown = capsys.readouterr().out
    line = f'public_key = "{public_key_b64(load_key(key_path(data)))}"'
    assert line in created and line in shown
    assert main(["keys", "init", "--data-dir", str(data)]) == 0  # never replaced
    assert line in capsys.readouterr().out
    config = load_hub_config(_toml(tmp_path, line))
    assert config.stations[0].public_key == line.split('"')[1]


def test_the_demo_registers_its_stations_keys(tmp_path: Path) -> None:
    stations = ["poste-1", "poste-2"]
    keys = demo_public_keys(tmp_path, stations)
    assert keys["poste-1"] == public_key_b64(load_key(key_path(tmp_path)))
    assert keys["poste-2"] == public_key_b64(load_key(key_path(tmp_path / "poste-2")))
    hub_dir = tmp_path / "hub"
    hub_dir.mkdir()
    path = write_hub_toml(hub_dir, "ws://127.0.0.1:1/", 8765, dict.fromkeys(stations, TOKEN), keys)
    config = load_hub_config(path)
    assert {s.id: s.public_key for s in config.stations} == keys
