"""The CSV export of the review (csu_console.core.review.export): local times (both
clock changes), labels, pseudonymised reporters (HMAC-SHA256, checked against the
standard library), formulas defused, fields quoted; what the ``export`` event says;
who may reveal reporters."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from csu_console.core.review.export import (
    CSV_HEADER,
    LocalClock,
    csv_row,
    export_details,
    local_text,
    pseudonymise,
    reporters_key,
    text_field,
    write_csv,
)
from csu_console.core.review.filter import ReviewFilter
from csu_console.core.review.rows import AlertRow
from csu_console.core.roles import Role
from csu_console.errors import UserFacingError

PARIS = ZoneInfo("Europe/Paris")

# --- CSV -----------------------------------------------------------------------------

ROW = AlertRow(
    pk=7, received_at="2025-06-02T04:10:00.000+00:00", category="rixe", priority=1,
    title="Rixe ; bagarre", address="1 place de la Gare", commune="Ville", lat=48.7,
    lon=2.25, source="plateforme", alert_id="A7", category_raw=None, reporter="citoyen-42",
    state="closed", ack_at="2025-06-02T04:10:30.000+00:00",
    dispatch_at="2025-06-02T04:12:00.000+00:00", closed_at="2025-06-02T12:30:00.000+00:00",
    ack_s=30.0, dispatch_s=120.4, escalated=True, outcomes=("interpellation", "autre"),
    operators=("durand", "martin"), zones=("nord", "quartier-x"),
)  # fmt: skip
END = datetime(2025, 6, 2, 12, tzinfo=UTC)


def test_csv_row_in_local_time_with_a_pseudonymised_reporter() -> None:
    key = bytes(32)
    cells = dict(zip(CSV_HEADER, csv_row(ROW, PARIS, END, key, {"nord": "Nord"}),
                     strict=True))  # fmt: skip
    assert cells["reçue le"] == "2025-06-02 06:10:00"
    assert cells["zones"] == "Nord / quartier-x"
    assert (cells["commune"], cells["commune déclarée"]) == ("", "Ville")  # no territory given
    placed = csv_row(ROW, PARIS, END, key, None, lambda zones: f"Lieu de {zones[0]}")
    placed_cells = dict(zip(CSV_HEADER, placed, strict=True))
    assert (placed_cells["commune"], placed_cells["commune déclarée"]) == ("Lieu de nord", "Ville")
    assert cells["état en fin de période"] == "Patrouille engagée"
    assert cells["clôturée le"] == ""  # after the end of the period
    assert (cells["délai de prise en compte (s)"], cells["délai d'engagement (s)"]) == ("30", "120")
    assert cells["issues"] == "Interpellation / Autre"
    assert cells["signalant"] == pseudonymise(key, "citoyen-42")
    assert cells["signalant"].startswith("sig-") and len(cells["signalant"]) == 20
    assert pseudonymise(key, "citoyen-42") != pseudonymise(bytes([1] * 32), "citoyen-42")
    assert csv_row(ROW, PARIS, END, None)[-1] == "citoyen-42"


def test_write_csv_reads_back() -> None:
    out = io.StringIO()
    progress: list[int] = []
    rows = [ROW._replace(pk=i) for i in range(1, 2501)]
    n = write_csv(rows, out, tz=PARIS, end=END, key=b"k", progress=progress.append)
    assert n == 2500 and progress == [1000, 2000]
    back = list(csv.reader(io.StringIO(out.getvalue()), delimiter=";"))
    assert back[0] == list(CSV_HEADER) and len(back) == 2501
    assert back[1][6] == "Rixe ; bagarre"  # quoted, not split


def test_export_details_and_reveal() -> None:
    f = ReviewFilter(datetime(2025, 6, 2, 4, tzinfo=UTC), END)
    details = export_details(
        fmt="csv", review_filter=f, rows=3, reason="  réquisition\n n° 12 ", revealed=False,
        sha256="ab", file_name="x.csv",
    )  # fmt: skip
    assert details["reason"] == "réquisition n° 12" and details["filter"]["end"].startswith(
        "2025-06-02T12:00"
    )
    with pytest.raises(UserFacingError, match="motif de l'export est obligatoire"):
        export_details(
            fmt="csv", review_filter=f, rows=3, reason=" ", revealed=False, sha256="",
            file_name="x.csv",
        )  # fmt: skip
    assert reporters_key(Role.SUPERVISEUR, False, b"k") == b"k"
    assert reporters_key(Role.ADMIN, True, b"k") is None
    with pytest.raises(UserFacingError, match="Superviseur"):
        reporters_key(Role.SUPERVISEUR, True, b"k")


@pytest.mark.parametrize("key", [b"", b"k", bytes(range(32)), b"x" * 64, b"y" * 100])
def test_pseudonyms_are_hmac_sha256(key: bytes) -> None:
    for value in ("citoyen-42", "é", "x" * 500):
        expected = hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:16]
        assert pseudonymise(key, value) == "sig-" + expected
    assert pseudonymise(key, None) == pseudonymise(key, "") == ""


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ("Rixe", "Rixe"),
        ("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""),
        ("+33 6 12", "'+33 6 12"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("a;b", '"a;b"'),
        ("ligne\nsuivante", '"ligne\nsuivante"'),
        ("", ""),
    ],
)  # fmt: skip
def test_free_text_fields_are_defused_and_quoted(value: str, field: str) -> None:
    assert text_field(value) == field


def test_local_clock_matches_local_text_across_both_changes() -> None:
    clock = LocalClock(PARIS)
    for start in (datetime(2025, 3, 29, 20, tzinfo=UTC), datetime(2025, 10, 25, 20, tzinfo=UTC)):
        at = start
        while at < start + timedelta(days=1):
            text = at.isoformat(timespec="milliseconds")
            assert clock.text(text) == local_text(text, PARIS), text
            at += timedelta(seconds=37.123)
    assert clock.text("2025-10-26T00:30:00.000+00:00") == "2025-10-26 02:30:00"  # summer
    assert clock.text("2025-10-26T01:30:00.000+00:00") == "2025-10-26 02:30:00"  # winter
    assert clock.text(None) == ""


def test_a_defused_title_reads_back_whole() -> None:
    out = io.StringIO()
    write_csv([ROW._replace(title="=1+1;2")], out, tz=PARIS, end=END, key=None)
    [header, row] = list(csv.reader(io.StringIO(out.getvalue()), delimiter=";"))
    assert dict(zip(header, row, strict=True))["titre"] == "'=1+1;2"
