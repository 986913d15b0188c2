"""The review by commune and by zone of any zoning, from the geometry: an alert is
counted in the commune its position lies in, whatever commune the citizen typed;
the per-commune reports' data hold each commune's alerts only. On the station's
SQLite and on the central PostgreSQL alike (see ``commune_report_data``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import psycopg
import pytest
from commune_report_data import AUDINCOURT, MONTBELIARD, PARIS, PERIOD, ZONES, Communes, build

from csu_console.central.load import copy_station
from csu_console.central.reader import PgReviewReader, connect
from csu_console.core.review.commune_report import key_figures, previous_period
from csu_console.core.review.filter import ReviewFilter
from csu_console.core.review.places import ReviewZones
from csu_console.errors import UserFacingError
from csu_console.storage.review import ReviewReader
from csu_console.storage.review_communes import load_commune_reports
from csu_console.storage.review_load import load_review
from csu_console.storage.store import Store

NOW = datetime(2025, 6, 3, 8, tzinfo=UTC)


@pytest.fixture
def communes(store: Store) -> Communes:
    return build(store)


@pytest.fixture
def local(store: Store, communes: Communes) -> Iterator[ReviewReader]:
    del communes
    ro = Store(store.path, readonly=True)
    yield ReviewReader(ro.conn)
    ro.close()


def names(data: Communes, reader: ReviewReader, **filters: object) -> list[str]:
    review = load_review(reader, ReviewFilter.for_period(PERIOD, **filters), ZONES)
    assert review.indicators.alerts.count == len(review.rows)
    return data.names(r.pk for r in review.rows)


def test_the_commune_filter_follows_the_geometry_not_the_typed_text(
    local: ReviewReader, communes: Communes
) -> None:
    # M1 says « Audincourt » but lies in Montbéliard's Secteur Gare; A1 the reverse;
    # X1 says « Montbéliard » but lies outside every zone.
    assert names(communes, local, communes={MONTBELIARD}) == ["M1", "M2"]
    assert names(communes, local, communes={AUDINCOURT}) == ["A1", "A2"]
    assert names(communes, local, communes={MONTBELIARD, AUDINCOURT}) == [
        "A1", "A2", "M1", "M2"]  # fmt: skip
    assert names(communes, local, communes={"Montbéliard"}) == []  # keys, not typed text
    assert names(communes, local) == ["A1", "A2", "M1", "M2", "X1"]


def test_zones_of_a_custom_zoning_filter(local: ReviewReader, communes: Communes) -> None:
    assert names(communes, local, zones={"i-halles"}) == ["M2"]
    assert names(communes, local, zones={"s-gare"}) == ["M1"]
    assert names(communes, local, zones={"s-sud"}, communes={AUDINCOURT}) == ["A2"]
    assert names(communes, local, zones={"s-sud"}, communes={MONTBELIARD}) == []
    review = load_review(local, ReviewFilter.for_period(PERIOD), ZONES)
    assert review.indicators.alerts.by_zone["i-halles"] == 1
    groups = {zoning.label: [r.id for r in refs] for zoning, refs in ZONES.zoning_groups()}
    assert groups["Îlots de vidéoprotection"] == ["i-halles"]
    assert groups["Secteurs de police municipale"] == ["s-centre", "s-gare", "s-sud"]


def test_plain_zones_know_no_commune(local: ReviewReader, communes: Communes) -> None:
    plain = list(ZONES)  # (id, area) pairs, as before issue 19
    f = ReviewFilter.for_period(PERIOD, communes={MONTBELIARD})
    assert load_review(local, f, plain).rows == ()
    assert ReviewZones().commune_of(("s-gare",)) is None


def test_commune_reports_hold_their_own_alerts(local: ReviewReader, communes: Communes) -> None:
    mont, aud = load_commune_reports(
        local, PERIOD, ZONES, [MONTBELIARD, AUDINCOURT], centre="CSU", tz=PARIS,
        author="Claire Chef (Superviseur)", printed_at=NOW,
    )  # fmt: skip
    assert mont.commune.label == "Montbéliard (25388)"
    assert communes.names(a.pk for a in mont.alerts) == ["M1", "M2"]
    assert communes.names(a.pk for a in aud.alerts) == ["A1", "A2"]
    assert (mont.current.count, mont.before.count) == (2, 1)  # M0 the day before
    assert (aud.current.count, aud.before.count) == (2, 1)  # A0
    assert mont.previous == previous_period(PERIOD, PARIS)
    assert mont.previous.end == PERIOD.start
    assert mont.interventions == 1 and aud.interventions == 0
    assert mont.current.by_outcome == {"interpellation": 1, "": 1}
    assert len(mont.points) == 2 and all(6.77 < lon < 6.82 for lon, _lat, _c in mont.points)
    assert mont.outline.commune and {n for n, _r in mont.outline.zones} == {
        "Secteur Gare", "Les Halles"}  # fmt: skip
    assert not aud.outline.commune  # drawn by its secteurs only
    assert dict(mont.sectors)["Îlots de vidéoprotection"] == (("Les Halles", 1),)
    assert dict(aud.sectors)["Secteurs de police municipale"] == (
        ("Secteur Centre", 1), ("Secteur Sud", 1))  # fmt: skip
    figures = {row[0]: row[1:] for row in key_figures(mont)}
    assert figures["Alertes reçues"] == ("2", "1", "+1 (+100 %)")
    assert figures["Prise en compte : délai médian"][0] == "35 s"  # 30 and 40 s
    assert figures["Interventions de la police municipale"] == ("1", "0", "+1 (nouveau)")
    assert mont.review_filter.to_details()["communes"] == [MONTBELIARD]
    assert mont.file_stem == "rapport-25388-montbeliard-20250602"


def test_an_unknown_commune_is_refused(local: ReviewReader, communes: Communes) -> None:
    del communes
    with pytest.raises(UserFacingError, match="commune inconnue du territoire : 99999"):
        load_commune_reports(local, PERIOD, ZONES, ["99999"], centre="CSU", tz=PARIS,
                             author="x", printed_at=NOW)  # fmt: skip


def test_the_central_database_reads_the_same_communes(
    store: Store, local: ReviewReader, communes: Communes, pg_dsn: str
) -> None:
    with psycopg.connect(pg_dsn, autocommit=True) as pg:
        copy_station(store.conn, pg, "poste-1")
    central = PgReviewReader(connect(pg_dsn))
    try:
        for filters in ({"communes": {MONTBELIARD}}, {"communes": {AUDINCOURT}},
                        {"zones": {"i-halles"}}):  # fmt: skip
            f = ReviewFilter.for_period(PERIOD, **filters)  # type: ignore[arg-type]
            assert load_review(central, f, ZONES) == load_review(local, f, ZONES)
        assert names(communes, central, communes={MONTBELIARD}) == ["M1", "M2"]
        kwargs = {"centre": "CSU", "tz": PARIS, "author": "x", "printed_at": NOW}
        got = load_commune_reports(central, PERIOD, ZONES, [MONTBELIARD, AUDINCOURT], **kwargs)
        expected = load_commune_reports(local, PERIOD, ZONES, [MONTBELIARD, AUDINCOURT], **kwargs)
        assert got == expected
    finally:
        central.conn.close()
