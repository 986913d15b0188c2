"""``hub.toml``: every problem listed at once, with file, place, key and a hint."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from csu_console.errors import ConfigError
from csu_console.hub.cli import main
from csu_console.hub.config import check_hub_config, load_hub_config, token_hash

EXAMPLE = Path(__file__).resolve().parents[3] / "config" / "hub.example.toml"
HASH = "a" * 64


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "hub.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_example_is_valid() -> None:
    config, problems = check_hub_config(EXAMPLE, {"CSU_HUB_PLATEFORME_TOKEN": "secret"})
    assert problems == []
    assert config is not None
    assert (config.id, config.csu, config.host, config.port) == (
        "hub-a",
        "csu-montbeliard",
        "0.0.0.0",
        8765,
    )
    assert config.nats_urls == ()
    assert config.upstreams[0].token == "secret"
    assert [s.id for s in config.stations] == ["poste-1", "poste-2"]
    assert config.alerts_days == 30 and config.dedup_minutes == 10
    assert config.citizen_days == 30


def test_events_days_defaults_to_citizen_days_within_alerts_days(tmp_path: Path) -> None:
    base = '[hub]\nid = "h"\n[retention]\nalerts_days = 20\ncitizen_days = 7\n'
    config = load_hub_config(write(tmp_path, base))
    assert config.events_days is None and config.book_days == 7
    config = load_hub_config(write(tmp_path, base + "events_days = 3\n"))
    assert config.events_days == 3 and config.book_days == 3
    config = load_hub_config(write(tmp_path, base + "events_days = 90\n"))
    assert config.book_days == 20  # the stream's max_age keeps nothing longer anyway
    _config, problems = check_hub_config(write(tmp_path, base + "events_days = 0\n"))
    assert [p.field for p in problems] == ["events_days"]


def test_defaults_and_relative_paths(tmp_path: Path) -> None:
    path = write(tmp_path, '[hub]\nid = "hub-b"\n')
    config = load_hub_config(path)
    assert config.listen == "127.0.0.1:8765"
    assert config.data_dir == tmp_path / "data"
    assert config.upstreams == () and config.stations == ()
    assert config.ssl_context() is None


def test_every_problem_is_listed(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"""
[hub]
id = "hub a"
listen = "localhost"
dat_dir = "x"

[nats]
urls = ["http://a:4222"]

[retention]
alerts_days = 0
dedup_minutes = 1

[tls]
cert = "absent.crt"

[[upstream]]
name = "plateforme"
url = "http://x"
token = "t"
token_env = "ABSENT_VAR"

[[upstream]]
name = "plateforme"
url = "ws://y"
ca_file = "absent.pem"

[[station]]
id = "poste-1"
token_sha256 = "abc"

[[station]]
id = "poste-1"
token_sha256 = "{HASH}"
nmae = "x"

[extra]
""",
    )
    config, problems = check_hub_config(path, {})
    assert config is None
    text = "\n".join(str(p) for p in problems)
    expected = [
        "hub.toml: [hub]: id : nom de lettres",
        "hub.toml: [hub]: listen : adresse hôte:port attendue",
        "hub.toml: [hub]: dat_dir : clé inconnue — vouliez-vous dire « data_dir » ?",
        "hub.toml: [nats]: urls : URL nats:// ou tls:// attendue",
        "hub.toml: [retention]: alerts_days : nombre > 0",
        "hub.toml: [retention]: dedup_minutes : nombre 2–1440 attendu, reçu 1",
        "hub.toml: [tls]: key : cert et key vont ensemble",
        "hub.toml: [[upstream]] 1 (plateforme): url : URL ws:// ou wss:// attendue",
        "hub.toml: [[upstream]] 1 (plateforme): token_env : token et token_env : un seul",
        "hub.toml: [[upstream]] 1 (plateforme): token_env : variable d'environnement ABSENT_VAR",
        "hub.toml: [[upstream]] 2 (plateforme): name : nom déjà utilisé",
        "hub.toml: [[upstream]] 2 (plateforme): ca_file : fichier introuvable",
        "hub.toml: [[station]] 1 (poste-1): token_sha256 : empreinte SHA-256",
        "hub.toml: [[station]] 2 (poste-1): id : poste déjà déclaré",
        "hub.toml: [[station]] 2 (poste-1): nmae : clé inconnue — vouliez-vous dire « name » ?",
        "hub.toml: extra : section inconnue",
    ]
    for line in expected:
        assert line in text, f"absent : {line}\n---\n{text}"
    with pytest.raises(ConfigError) as err:
        load_hub_config(path)
    assert len(err.value.problems) == len(problems)


def test_missing_hub_section_and_bad_toml(tmp_path: Path) -> None:
    _config, problems = check_hub_config(write(tmp_path, "[nats]\nurls = []\n"))
    assert any("[hub]" in str(p) and "obligatoire" in str(p) for p in problems)
    _config, problems = check_hub_config(write(tmp_path, "[hub\nid = 1"))
    assert len(problems) == 1 and "TOML invalide" in str(problems[0])
    assert "ligne 1" in str(problems[0])
    _config, problems = check_hub_config(tmp_path / "absent.toml")
    assert "fichier absent" in str(problems[0])


def test_tls_files_are_loaded(tmp_path: Path) -> None:
    cert, key = tmp_path / "hub.crt", tmp_path / "hub.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    path = write(tmp_path, '[hub]\nid = "h"\n[tls]\ncert = "hub.crt"\nkey = "hub.key"\n')
    config = load_hub_config(path)
    assert config.ssl_context() is not None
    key.write_text("pas une clé", encoding="utf-8")
    _config, problems = check_hub_config(path)
    assert any("certificat ou clé illisible" in str(p) for p in problems)


def test_token_command_prints_a_token_and_its_hash(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["token", "poste-7"]) == 0
    out = capsys.readouterr().out.splitlines()
    token = out[1].strip()
    assert len(token) >= 40
    assert 'id = "poste-7"' in out
    assert f'token_sha256 = "{token_hash(token)}"' in out
    assert main(["token", "poste-7"]) == 0
    assert capsys.readouterr().out.splitlines()[1].strip() != token


def test_check_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write(tmp_path, '[hub]\nid = "hub-a"\n[retention]\ncitizen_days = 7\n')
    assert main(["check", "--config", str(good)]) == 0
    out = capsys.readouterr().out
    assert "valide" in out
    assert "conservation : alertes 30 j, données citoyennes 7 j, événements des postes 7 j" in out
    bad = tmp_path / "bad.toml"
    bad.write_text('[hub]\nid = "a b"\nlisten = 3\n', encoding="utf-8")
    assert main(["check", "--config", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "2 problème(s)" in err and "listen" in err and "id" in err


def test_module_entry_point_runs() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "csu_console.hub", "token", "poste-1"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert proc.returncode == 0 and "token_sha256" in proc.stdout
