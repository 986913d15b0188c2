"""CSV export of the review (csu_console.storage.review_export) on the data set of
test_review: reporters pseudonymised with this database's secret unless revealed,
the ``export`` event logged with who, why, what and the file's SHA-256, and no
file left behind when the event cannot be written."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pytest
from test_review import PARIS, SHIFT, ZONES

from csu_console.core.review.export import CSV_HEADER, export_details, pseudonymise
from csu_console.core.review.filter import ReviewFilter
from csu_console.errors import StorageError
from csu_console.storage.review import ReviewReader
from csu_console.storage.review_export import (
    Record,
    ensure_pseudonym_key,
    export_csv,
    record_export,
)
from csu_console.storage.store import Store


def recorder(store: Store, f: ReviewFilter, path: Path, revealed: bool) -> Record:
    def record(rows: int, sha256: str) -> int:
        details = export_details(
            fmt="csv", review_filter=f, rows=rows, reason="Réquisition OPJ n° 2025-118",
            revealed=revealed, sha256=sha256, file_name=path.name,
        )  # fmt: skip
        return record_export(store, "poste-1", "chef", details)

    return record


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def test_pseudonym_key_is_made_once(store: Store, reader: ReviewReader) -> None:
    assert reader.pseudonym_key() is None
    key = ensure_pseudonym_key(store)
    assert len(key) == 32 and ensure_pseudonym_key(store) == key
    assert reader.pseudonym_key() == key


def test_csv_export_is_pseudonymised_and_logged(
    store: Store, reader: ReviewReader, tmp_path: Path
) -> None:
    f = ReviewFilter.for_period(SHIFT, zones={"nord"})
    path = tmp_path / "exports" / "revue.csv"
    path.parent.mkdir()
    key = ensure_pseudonym_key(store)
    seen: list[float] = []
    result = export_csv(
        reader, f, path, zones=ZONES, tz=PARIS, key=key,
        record=recorder(store, f, path, False), progress=seen.append,
    )  # fmt: skip
    rows = read(path)
    assert list(rows[0]) == list(CSV_HEADER) and result.rows == len(rows) == 3
    assert [r["identifiant"] for r in rows] == ["A1", "A3", "A5"]
    assert rows[0]["signalant"] == pseudonymise(key, "citoyen-A1") != "citoyen-A1"
    assert rows[1]["issues"] == "Verbalisation" and rows[0]["reçue le"] == "2025-06-02 06:10:00"
    assert result.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert path.read_bytes().startswith(b"\xef\xbb\xbf") and seen
    [(kind, operator, details)] = store.conn.execute(
        "SELECT kind, operator, details FROM events WHERE pk = ?", (result.event_pk,)
    ).fetchall()
    logged = json.loads(details)
    assert (kind, operator) == ("export", "chef")
    assert logged["rows"] == 3 and logged["sha256"] == result.sha256
    assert logged["reason"] == "Réquisition OPJ n° 2025-118" and logged["revealed"] is False
    assert logged["filter"]["zones"] == ["nord"] and logged["file"] == "revue.csv"
    assert store.verify_chain().ok
    assert [p.name for p in path.parent.iterdir()] == ["revue.csv"]  # no temporary left


def test_revealed_reporters(store: Store, reader: ReviewReader, tmp_path: Path) -> None:
    f = ReviewFilter.for_period(SHIFT, categories={"rixe"})
    path = tmp_path / "exports" / "revue.csv"
    path.parent.mkdir()
    export_csv(
        reader, f, path, zones=ZONES, tz=PARIS, key=None, record=recorder(store, f, path, True)
    )
    assert [r["signalant"] for r in read(path)] == ["citoyen-A1"]


def test_no_file_without_its_event(store: Store, reader: ReviewReader, tmp_path: Path) -> None:
    def refused(rows: int, sha256: str) -> int:
        raise StorageError("Base de données indisponible : database is locked")

    path = tmp_path / "exports" / "revue.csv"
    path.parent.mkdir()
    with pytest.raises(StorageError):
        export_csv(
            reader, ReviewFilter.for_period(SHIFT), path, zones=ZONES, tz=PARIS, key=b"k",
            record=refused,
        )  # fmt: skip
    assert list(path.parent.iterdir()) == []
    assert store.conn.execute("SELECT count(*) FROM events WHERE kind = 'export'").fetchone() == (
        0,
    )
