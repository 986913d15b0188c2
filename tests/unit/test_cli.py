"""Tests of the ``csu-console`` command line: ``config check`` and ``export``."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from csu_console.cli import build_parser, main
from csu_console.config import check_site, site_timezone
from csu_console.core.alerts import Alert, Category, Location, Reporter
from csu_console.core.cap import CAP_NAMESPACE
from csu_console.core.protocol import AlertMessage, Rejection, decode_frame
from csu_console.demo_access import mark_demo_data, reset_demo_data
from csu_console.paths import REPO_DIR
from csu_console.storage.store import DB_NAME, Store, iso

T0 = datetime(2024, 6, 1, 10, 0, tzinfo=UTC)
ALERT_CSV_COLUMNS = {
    "source",
    "id",
    "category",
    "priority",
    "sent",
    "received_at",
    "state",
    "lat",
    "lon",
    "title",
}

CAP_WITHOUT_POSITION = f"""<alert xmlns="{CAP_NAMESPACE}">
  <identifier>METEO-7</identifier>
  <sender>meteo@prefecture.example</sender>
  <sent>2024-06-01T13:30:00+02:00</sent>
  <msgType>Alert</msgType>
  <info><event>Orages violents</event><area><areaDesc>Département</areaDesc></area></info>
</alert>"""


def json_alert(seq: int, alert_id: str) -> AlertMessage:
    alert = Alert(
        source="plateforme",
        id=alert_id,
        sent=T0 - timedelta(minutes=1),
        category=Category.RIXE,
        priority=1,
        title=f"Rixe, « {alert_id} »",
        description="deux lignes\npour le CSV",
        location=Location(48.8566, 2.3522, "Place, 1", 10.0),
        commune="Villeneuve",
        reporter=Reporter("voisin", True),
    )
    return AlertMessage(seq, alert)


def decoded(frame: object) -> AlertMessage | Rejection:
    result = decode_frame(json.dumps(frame).encode(), True)
    assert isinstance(result, AlertMessage | Rejection)
    return result


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A database filled through Store.commit_batch, one hour per batch."""
    directory = tmp_path / "data"
    store = Store(directory / DB_NAME)
    try:
        store.commit_batch([json_alert(1, "A1")], "poste-1", T0)
        store.commit_batch(
            [decoded({"type": "cap", "seq": 2, "xml": CAP_WITHOUT_POSITION})],
            "poste-1",
            T0 + timedelta(hours=1),
        )
        store.commit_batch(
            [json_alert(3, "A3"), decoded({"type": "alerte", "seq": 4})],
            "poste-2",
            T0 + timedelta(hours=2),
        )
    finally:
        store.close()
    return directory


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def export(capsys: pytest.CaptureFixture[str], data_dir: Path, *argv: str) -> str:
    code, out, err = run(capsys, "export", "--data-dir", str(data_dir), "--why", "essai", *argv)
    assert (code, err) == (0, "")
    return out


def jsonl(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


# --- config check -------------------------------------------------------------------


def test_config_check_on_the_demo_site(
    capsys: pytest.CaptureFixture[str], config_dir: Path
) -> None:
    code, out, err = run(capsys, "config", "check", "--config", str(config_dir))
    assert (code, err) == (0, "")
    assert out == f"{config_dir} : configuration valide (9 caméras, 10 zones)\n"


def test_config_check_lists_every_problem(
    capsys: pytest.CaptureFixture[str], config_dir: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "config"
    shutil.copytree(config_dir, broken)
    site = broken / "site.toml"
    site.write_text(
        site.read_text(encoding="utf-8").replace('"ws://127.0.0.1:8765/"', '"http://x/"'),
        encoding="utf-8",
    )
    cameras = json.loads((broken / "cameras.geojson").read_text(encoding="utf-8"))
    cameras["features"][1]["properties"]["heading_deg"] = "nord"
    (broken / "cameras.geojson").write_text(json.dumps(cameras), encoding="utf-8")
    zones = json.loads((broken / "zones.geojson").read_text(encoding="utf-8"))
    zones["features"][0]["properties"]["zoning"] = ""
    (broken / "zones.geojson").write_text(json.dumps(zones), encoding="utf-8")

    code, out, err = run(capsys, "config", "check", "--config", str(broken))

    assert (code, err) == (1, "")
    lines = out.splitlines()
    assert lines[-1] == f"3 problème(s) dans {broken}"
    problems = lines[:-1]
    assert len(problems) == 3
    assert problems[0].startswith("site.toml: [gateway]: url : ")
    assert problems[1].startswith("cameras.geojson: feature 2 (cam-02): heading_deg : ")
    assert '"nord"' in problems[1]
    assert problems[2].startswith("zones.geojson: feature 1 (secteur-centre): zoning : ")
    _, found = check_site(broken)
    assert problems == [str(p) for p in found]


def test_config_check_missing_directory(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "config", "check", "--config", str(tmp_path / "absent"))
    assert code == 1
    assert out.splitlines()[-1].endswith(f"problème(s) dans {tmp_path / 'absent'}")


def test_entry_point_is_installed(config_dir: Path) -> None:
    script = Path(sys.executable).with_name("csu-console")
    assert script.exists(), "pip install -e . n'a pas été fait"
    proc = subprocess.run(
        [str(script), "config", "check", "--config", str(config_dir)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "configuration valide (9 caméras, 10 zones)" in proc.stdout


# --- export -------------------------------------------------------------------------


def test_export_alerts_jsonl(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    rows = jsonl(export(capsys, data_dir, "--what", "alerts", "--format", "jsonl"))
    assert [(r["source"], r["id"], r["seq"]) for r in rows] == [
        ("plateforme", "A1", 1),
        ("meteo@prefecture.example", "METEO-7", 2),
        ("plateforme", "A3", 3),
    ]
    first, cap, _ = rows
    assert set(first) >= ALERT_CSV_COLUMNS
    assert first == {
        "source": "plateforme",
        "id": "A1",
        "category": "rixe",
        "category_raw": None,
        "priority": 1,
        "sent": iso(T0 - timedelta(minutes=1)),
        "received_at": iso(T0),
        "state": "new",
        "lat": 48.8566,
        "lon": 2.3522,
        "address": "Place, 1",
        "commune": "Villeneuve",
        "title": "Rixe, « A1 »",
        "description": "deux lignes\npour le CSV",
        "fmt": "json",
        "seq": 1,
        "area": None,
        "expires": None,
        "issuer_state": None,
        "version": 0,
    }
    assert (cap["lat"], cap["lon"], cap["fmt"]) == (None, None, "cap")
    assert cap["category"] == "meteo"  # issue 17: a risk category, the event kept
    assert cap["category_raw"] == "Orages violents"


def test_export_is_the_default_format_and_table(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    default = export(capsys, data_dir)
    assert default == export(capsys, data_dir, "--what", "alerts", "--format", "jsonl")


def test_export_alerts_csv(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    out = export(capsys, data_dir, "--what", "alerts", "--format", "csv")
    reader = csv.DictReader(io.StringIO(out))
    assert reader.fieldnames is not None
    assert set(reader.fieldnames) >= ALERT_CSV_COLUMNS
    rows = list(reader)
    assert [r["id"] for r in rows] == ["A1", "METEO-7", "A3"]
    assert (rows[0]["lat"], rows[0]["lon"], rows[0]["priority"]) == ("48.8566", "2.3522", "1")
    assert (rows[1]["lat"], rows[1]["lon"]) == ("", "")  # CAP without position
    assert rows[0]["title"] == "Rixe, « A1 »"
    assert rows[0]["description"] == "deux lignes\npour le CSV"
    assert rows[0]["received_at"] == iso(T0)


def test_export_rejected(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    [row] = jsonl(export(capsys, data_dir, "--what", "rejected"))
    raw = base64.b64decode(row["raw_b64"])
    assert raw == json.dumps({"type": "alerte", "seq": 4}).encode()
    assert "raw" not in row
    assert row["raw_sha256"] == hashlib.sha256(raw).hexdigest()
    assert (row["seq"], row["raw_size"], row["is_text"]) == (4, len(raw), 1)
    assert row["reason"] == "type de message inconnu : chaîne 'alerte'"
    assert row["received_at"] == iso(T0 + timedelta(hours=2))

    out = export(capsys, data_dir, "--what", "rejected", "--format", "csv")
    [csv_row] = list(csv.DictReader(io.StringIO(out)))
    assert base64.b64decode(csv_row["raw_b64"]) == raw


def test_export_events(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    rows = jsonl(export(capsys, data_dir, "--what", "events"))
    assert [(r["kind"], r["station"], r["at"]) for r in rows] == [
        ("received", "poste-1", iso(T0)),
        ("received", "poste-1", iso(T0 + timedelta(hours=1))),
        ("received", "poste-2", iso(T0 + timedelta(hours=2))),
    ]
    cap_received = json.loads(rows[1]["details"])
    assert {k: cap_received[k] for k in ("seq", "fmt")} == {"seq": 2, "fmt": "cap"}
    assert {"raw_sha256", "alert_sha256", "alert_parts"} <= set(cap_received)
    out = export(capsys, data_dir, "--what", "events", "--format", "csv")
    assert out.splitlines()[0] == (
        "pk,alert_pk,at,kind,station,operator,details,at_local,details_sha256,prev_hash,hash"
    )


@pytest.mark.parametrize(
    ("bounds", "ids"),
    [
        (["--since", "2024-06-01T11:00:00+00:00"], ["METEO-7", "A3"]),
        (["--since", "2024-06-01T13:00:00+02:00"], ["METEO-7", "A3"]),  # same instant
        (["--since", "2024-06-01T11:00:00"], ["METEO-7", "A3"]),  # no offset: UTC
        (["--since", "2024-06-01T11:00:00.001Z"], ["A3"]),
        (["--until", "2024-06-01T11:00:00Z"], ["A1"]),  # until is excluded
        (["--since", "2024-06-01T10:30Z", "--until", "2024-06-01T11:30Z"], ["METEO-7"]),
        (["--since", "2024-06-02"], []),
    ],
)
def test_export_since_until(
    capsys: pytest.CaptureFixture[str], data_dir: Path, bounds: list[str], ids: list[str]
) -> None:
    rows = jsonl(export(capsys, data_dir, "--what", "alerts", *bounds))
    assert [r["id"] for r in rows] == ids


def test_export_since_applies_to_events_and_rejected(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    since = ["--since", "2024-06-01T11:30:00Z"]
    assert len(jsonl(export(capsys, data_dir, "--what", "events", *since))) == 1
    assert len(jsonl(export(capsys, data_dir, "--what", "rejected", *since))) == 1
    until = ["--until", "2024-06-01T11:30:00Z"]
    assert jsonl(export(capsys, data_dir, "--what", "rejected", *until)) == []


def test_export_empty_csv_prints_nothing(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    assert export(capsys, data_dir, "--format", "csv", "--since", "2030-01-01") == ""


def test_export_missing_database(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "export", "--data-dir", str(tmp_path / "vide"), "--why", "x")
    assert (code, out) == (2, "")
    assert err == f"csu-console export : base introuvable : {tmp_path / 'vide' / DB_NAME}\n"


def test_export_bad_date(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, err = run(
        capsys, "export", "--data-dir", str(data_dir), "--why", "x", "--since", "hier"
    )
    assert (code, out) == (2, "")
    assert err == "csu-console : --since : date ISO 8601 attendue, reçu 'hier'\n"


def test_export_changes_no_record_and_is_logged_with_who_and_why(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    def records() -> list[tuple[Any, ...]]:
        db = sqlite3.connect(data_dir / DB_NAME)
        try:
            return db.execute("SELECT * FROM alerts ORDER BY pk").fetchall()
        finally:
            db.close()

    before = records()
    out = export(capsys, data_dir, "--what", "alerts", "--since", "2024-06-01T11:00:00Z")
    assert records() == before
    (logged,) = [r for r in jsonl(export(capsys, data_dir, "--what", "events")) if
                 r["kind"] == "export"]  # fmt: skip
    details = json.loads(logged["details"])
    assert details["what"] == "alerts" and details["rows"] == len(jsonl(out)) == 2
    assert details["reason"] == "essai" and details["since"] == "2024-06-01T11:00:00Z"
    assert logged["operator"]  # the system user running the command


def test_export_without_a_reason_is_refused(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["export", "--data-dir", str(data_dir)])
    assert exc.value.code == 2
    assert "--why" in capsys.readouterr().err


# --- map import --------------------------------------------------------------------------

DEMO_PBF = REPO_DIR / "assets" / "osm" / "helsinki-centre.osm.pbf"


def test_map_import_writes_a_map_that_loads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from csu_console.mapdata.mapfile import MapFile

    pbf = tmp_path / "helsinki-centre.osm.pbf"
    shutil.copyfile(DEMO_PBF, pbf)
    assert main(["map", "import", str(pbf), "--bbox", "24.936,60.165,24.952,60.178"]) == 0
    out, err = capsys.readouterr()
    target = tmp_path / "helsinki-centre.csumap"
    assert out.startswith(f"carte écrite : {target} (")
    assert "routes" in out and "bâtiments" in out
    assert "] 100 %" in err and "\r[" in err
    with MapFile(target) as m:
        assert m.bbox == pytest.approx((24.936, 60.165, 24.952, 60.178))
        assert m.count()["road"] > 500


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (b"garbage" * 50, [], "n'est pas un fichier OpenStreetMap PBF"),
        (None, [], "tronqué"),
        (None, ["--bbox", "1,2,3"], "--bbox"),
    ],
    ids=["garbage", "truncated", "bad-bbox"],
)
def test_map_import_bad_input_exits_2(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: bytes | None,
    args: list[str],
    message: str,
) -> None:
    pbf = tmp_path / "bad.osm.pbf"
    pbf.write_bytes(DEMO_PBF.read_bytes()[:4000] if content is None else content)
    assert main(["map", "import", str(pbf), "--out", str(tmp_path / "o.csumap"), *args]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert not (tmp_path / "o.csumap").exists()


def test_only_the_demo_logs_in_without_a_password() -> None:
    from csu_console.cli import _run_options, build_parser

    parser = build_parser()
    with pytest.raises(SystemExit):  # a real station always shows the login screen
        parser.parse_args(["run", "--operator", "M. Durand"])
    assert _run_options(parser.parse_args(["run"])).autologin is None
    assert _run_options(parser.parse_args(["demo"])).autologin == "demo"
    demo = parser.parse_args(["demo", "--autologin", "martin"])
    assert _run_options(demo).autologin == "martin"


def _offset_in(at: str, zone: str) -> str:
    """The UTC offset ``zone`` had at ``at`` (« +01:00 » in a Paris winter)."""
    local = datetime.fromisoformat(at).astimezone(ZoneInfo(zone)).isoformat()
    return local[-6:]


def test_command_line_events_carry_the_sites_local_time(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    """Issue 14: the events a sub-command writes were in the machine's zone (UTC
    here); their local time is the site's (the demo's: Europe/Paris)."""
    export(capsys, data_dir)
    [logged] = [r for r in jsonl(export(capsys, data_dir, "--what", "events"))
                if r["kind"] == "export"]  # fmt: skip
    assert logged["at_local"].endswith(_offset_in(logged["at"], "Europe/Paris"))
    assert not logged["at_local"].endswith("+00:00")
    assert datetime.fromisoformat(logged["at_local"]) == datetime.fromisoformat(logged["at"])


def test_site_timezone_is_read_on_its_own(tmp_path: Path) -> None:
    """The command line's zone: ``[site] timezone`` (or « fuseau »), else Paris."""
    (tmp_path / "site.toml").write_text('[site]\nfuseau = "America/Martinique"\n')
    assert site_timezone(tmp_path) == "America/Martinique"
    (tmp_path / "site.toml").write_text('[site]\ntimezone = "Mars/Olympus"\n')
    assert site_timezone(tmp_path) == "Europe/Paris"
    (tmp_path / "site.toml").write_text("pas du toml [")
    assert site_timezone(tmp_path) == "Europe/Paris"
    assert site_timezone(tmp_path / "absent") == "Europe/Paris"


def test_demo_reset_wipes_a_demo_folder_only(tmp_path: Path) -> None:
    """Issue 14: ``csu-console demo --reset`` starts the demo on a clean folder; it
    never wipes a folder that is not a demo's."""
    assert build_parser().parse_args(["demo", "--reset"]).reset is True
    demo = tmp_path / "demo"
    mark_demo_data(demo)
    (demo / "logs").mkdir()
    (demo / DB_NAME).write_bytes(b"alertes")
    out = io.StringIO()
    assert reset_demo_data(demo, out) == 0
    assert not demo.exists() and "données de démonstration effacées" in out.getvalue()
    assert reset_demo_data(demo, io.StringIO()) == 0  # nothing left: nothing to do

    real = tmp_path / "exploitation"
    real.mkdir()
    (real / DB_NAME).write_bytes(b"main courante")
    out = io.StringIO()
    assert reset_demo_data(real, out) == 2
    assert (real / DB_NAME).read_bytes() == b"main courante"
    assert "n'est pas un dossier de démonstration" in out.getvalue()
