"""``csu-console extractions`` (the register, listed or written to CSV) and ``hold
release`` of an extraction, which also releases its segments in the recorder's
index; in process on a real database file and a copy of the session's recordings."""

from __future__ import annotations

import codecs
import json
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from test_cli_logbook import run

from csu_console.core.recording import ExtractedFile, ExtractionRequest, Requisition
from csu_console.recorder.index import RecordingIndex
from csu_console.storage.extractions import chain_head, hold_segments, record_extraction
from csu_console.storage.store import DB_NAME, Store

REQ = Requisition("2026/4567", "Commissariat de Nîmes", "Lt Martin", date(2026, 12, 1))


@pytest.fixture
def data_dir(tmp_path: Path, recorded_site: Any) -> Path:
    """A database with one extraction of cam-01 whose segments are held in the
    site's recording folder (``<data>/recordings``: the demo site sets no
    ``[recorder] dir``)."""
    directory = tmp_path / "data"
    shutil.copytree(recorded_site.root, directory / "recordings")
    start = recorded_site.origin + timedelta(seconds=5)
    request = ExtractionRequest(("cam-01", "cam-02"), start, start + timedelta(seconds=10), REQ)
    name = "cam-01_x_UTC.mp4"
    made = ExtractedFile("cam-01", Path("/media/cle") / name, "c" * 64, 1000, start, start)
    none = ExtractedFile("cam-02", Path(), "", 0, start, start)
    store = Store(directory / DB_NAME)
    try:
        rec = record_extraction(store, request, "/media/cle", [made, none], "PV.pdf", "d" * 64,
                                chain_head(store), station="poste-1", operator="durand",
                                at=datetime(2026, 12, 4, 9, 0, tzinfo=UTC))  # fmt: skip
    finally:
        store.close()
    assert hold_segments(directory / "recordings", rec) == 4  # 0–10 and 10–20 of two cameras
    return directory


def test_the_register_is_listed_in_french(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    code, out, err = run(capsys, "extractions", "--data", str(data_dir))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == (
        "n° 1 le 04/12/2026 10:00 par durand (poste-1) – réquisition « 2026/4567 » du"
        " 01/12/2026, Commissariat de Nîmes, OPJ Lt Martin"
    )
    assert lines[1].startswith("    caméras cam-01, cam-02 du ") and lines[1].endswith(
        "1 fichier(s) dans /media/cle – conservée"
    )
    assert lines[2] == f"    cam-01_x_UTC.mp4  1000 octets  sha256 {'c' * 64}"
    assert lines[3] == "    sans enregistrement : cam-02"
    assert lines[-1] == "1 extraction(s)"


def test_the_register_to_csv_is_logged(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    out_file = tmp_path / "registre.csv"
    code, out, _ = run(capsys, "extractions", "--data", str(data_dir), "--csv", str(out_file))
    assert code == 0 and out.startswith(f"1 extraction(s) écrite(s) dans {out_file}")
    raw = out_file.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    rows = raw[3:].decode().split("\r\n")
    assert rows[0].startswith("N°;Date;Heure;Poste;Opérateur;N° de réquisition")
    assert rows[1].startswith("1;04/12/2026;10:00:00;poste-1;durand;2026/4567;")
    store = Store(data_dir / DB_NAME, readonly=True)
    try:
        [(station, details)] = store.conn.execute(
            "SELECT station, details FROM events WHERE kind = 'export'"
        ).fetchall()
    finally:
        store.close()
    logged = json.loads(details)
    assert station == "cli" and logged["what"] == "extractions" and logged["via"] == "cli"
    assert logged["rows"] == 1 and logged["file"] == "registre.csv"
    code, _, err = run(capsys, "extractions", "--data", str(data_dir), "--since", "hier")
    assert code == 2 and "--since : date ISO 8601 attendue" in err


def test_releasing_the_hold_releases_the_recorder_segments(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    index = RecordingIndex(data_dir / "recordings", create=False)
    try:
        assert index.held_references() == ["extraction:1"]
    finally:
        index.close()
    code, out, err = run(capsys, "hold", "release", "1", "--reason", "mainlevée du parquet",
                         "--data", str(data_dir))  # fmt: skip
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "conservation n° 1 levée (extraction vidéo 1, réquisition « 2026/4567 ») ;"
        " la purge s'y applique de nouveau",
        f"4 segment(s) de l'enregistreur libéré(s) ({data_dir / 'recordings'})",
    ]
    index = RecordingIndex(data_dir / "recordings", create=False)
    try:
        assert index.held_references() == []
    finally:
        index.close()
    code, out, _ = run(capsys, "extractions", "--data", str(data_dir))
    assert code == 0 and " – levée le " in out.splitlines()[1]
