"""``csu-console config export|import|history|restore`` and the test points of
``config check``, on a temporary copy of the demo site."""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest

from csu_console.cli import main
from csu_console.config import check_site, default_config_dir, load_site
from csu_console.config.secrets import Credentials, SecretStore, default_secrets_path
from csu_console.config.test_points import TestPoint, make_point, save_points
from csu_console.storage.store import DB_NAME, Store

FILES = ("cameras.geojson", "zones.geojson")
SECRET = "Tr0ub4dor&3"


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    target = tmp_path / "config"
    shutil.copytree(default_config_dir(), target)
    return target


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _bytes(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in FILES}


def _cameras(site_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((site_dir / "cameras.geojson").read_text(encoding="utf-8"))
    return data


def _events(data_dir: Path) -> list[dict[str, Any]]:
    store = Store(data_dir / DB_NAME, readonly=True)
    try:
        rows = [r for r in store.iter_rows("events", None, None) if r["kind"] == "config_changed"]
    finally:
        store.close()
    return [json.loads(r["details"]) | {"operator": r["operator"]} for r in rows]


def test_export_writes_geojson_without_credentials(
    capsys: pytest.CaptureFixture[str], site_dir: Path, tmp_path: Path
) -> None:
    cams = _cameras(site_dir)  # an older site that kept credentials in its URLs
    url = cams["features"][0]["properties"]["stream_main"]
    cams["features"][0]["properties"]["stream_main"] = url.replace("://", f"://admin:{SECRET}@")
    (site_dir / "cameras.geojson").write_text(json.dumps(cams), encoding="utf-8")
    out_dir = tmp_path / "export"
    code, out, err = run(
        capsys, "config", "export", "--out", str(out_dir), "--config", str(site_dir)
    )
    assert (code, err) == (0, "")
    assert "9 caméras" in out and "10 zones" in out and "sans identifiants" in out
    text = (out_dir / "cameras.geojson").read_text(encoding="utf-8")
    assert SECRET not in text and "admin" not in text
    exported = json.loads(text)["features"][0]["properties"]["stream_main"]
    assert exported == url
    site = load_site(site_dir)
    copy = out_dir.parent / "copy"
    shutil.copytree(site_dir, copy)
    for name in FILES:
        shutil.copy(out_dir / name, copy / name)
    assert load_site(copy).zones == site.zones


def test_import_with_errors_lists_them_all_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], site_dir: Path, tmp_path: Path
) -> None:
    cams = _cameras(site_dir)
    f = cams["features"]
    f[1]["properties"]["id"] = "cam-01"
    f[2]["geometry"]["coordinates"] = [24.96, 60.18]
    f[3]["properties"]["stream_main"] = "10.0.0.5/live"
    f[4]["properties"]["fov_deg"] = 400
    bad = tmp_path / "import.geojson"
    bad.write_text(json.dumps(cams), encoding="utf-8")
    before = _bytes(site_dir)
    data_dir = tmp_path / "data"
    code, out, err = run(
        capsys, "config", "import", str(bad), "--config", str(site_dir), "--data-dir", str(data_dir)
    )
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert lines[-1] == "4 problème(s) : rien n'a été importé"
    assert all(line.startswith("import.geojson: feature ") for line in lines[:-1])
    assert _bytes(site_dir) == before
    assert not (site_dir / "history").exists()
    assert not (data_dir / DB_NAME).exists()


def test_import_history_restore(
    capsys: pytest.CaptureFixture[str], site_dir: Path, tmp_path: Path
) -> None:
    original = _bytes(site_dir)
    cams = _cameras(site_dir)
    cams["features"][1]["properties"]["heading_deg"] = 90
    main_url = cams["features"][1]["properties"]["stream_main"]
    with_creds = main_url.replace("://", f"://admin:{SECRET}@")
    cams["features"][1]["properties"]["stream_main"] = with_creds
    new_file = tmp_path / "cameras-v2.geojson"
    new_file.write_text(json.dumps(cams), encoding="utf-8")
    data_dir = tmp_path / "data"

    code, out, err = run(
        capsys,
        "config", "import", str(new_file), "--config", str(site_dir),
        "--data-dir", str(data_dir), "--reason", "cam-02 réorientée",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert "identifiants de flux de 1 caméra(s) rangés à part" in out
    site = load_site(site_dir)
    assert site.cameras[1].heading_deg == 90.0
    assert site.cameras[1].stream_main == main_url  # credentials not in the GeoJSON
    assert SECRET not in (site_dir / "cameras.geojson").read_text(encoding="utf-8")
    secrets = default_secrets_path(data_dir)
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o600
    assert SecretStore(secrets).get("cam-02") == Credentials("admin", SECRET)
    [event] = _events(data_dir)
    assert event["key"] == "import"
    assert event["cameras_edited"][0]["fields"] == ["heading_deg"]
    assert SECRET not in json.dumps(event)

    code, out, _ = run(capsys, "config", "history", "--config", str(site_dir))
    assert code == 0
    [line] = out.splitlines()
    version = line.split()[0]
    assert "import" in line and "cam-02 réorientée" in line

    code, out, err = run(
        capsys, "config", "restore", version, "--config", str(site_dir), "--data-dir", str(data_dir)
    )
    assert (code, err) == (0, "")
    assert _bytes(site_dir) == original
    assert "pour annuler : csu-console config restore " in out
    events = _events(data_dir)
    assert [e["key"] for e in events] == ["import", "restore"]
    assert events[1]["cameras_edited"][0]["values"] == {"heading_deg": [90.0, 75.0]}

    code, out, _ = run(capsys, "config", "history", "--config", str(site_dir))
    assert len(out.splitlines()) == 2


def test_restore_of_an_unknown_version_exits_2(
    capsys: pytest.CaptureFixture[str], site_dir: Path, tmp_path: Path
) -> None:
    code, _, err = run(
        capsys, "config", "restore", "20200101T000000Z-1", "--config", str(site_dir),
        "--data-dir", str(tmp_path / "data"),
    )  # fmt: skip
    assert code == 2
    assert "« 20200101T000000Z-1 » introuvable" in err


def test_check_runs_the_test_points(capsys: pytest.CaptureFixture[str], site_dir: Path) -> None:
    site = load_site(site_dir)
    good = make_point("Gare", 24.9410, 60.1712, site.cameras, site.zones)
    save_points(site_dir, [good])
    code, out, _ = run(capsys, "config", "check", "--config", str(site_dir))
    assert code == 0
    assert out.endswith(" : configuration valide (9 caméras, 10 zones, 1 points test vérifiés)\n")

    save_points(site_dir, [good, TestPoint("Faux", 24.9410, 60.1712, ("cam-08",))])
    code, out, _ = run(capsys, "config", "check", "--config", str(site_dir))
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("test_points.json: point test « Faux » ")
    assert "attendu cam-08 ; maintenant " in lines[0]
    assert lines[-1] == f"1 problème(s) de points test dans {site_dir}"
    assert check_site(site_dir)[1] == []  # the site itself is still valid
