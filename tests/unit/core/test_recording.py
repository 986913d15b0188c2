"""What is recorded and what is not, and what a requisition needs (core.recording)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from csu_console.core.recording import (
    Gap,
    GapReason,
    RequisitionError,
    Span,
    clean_request,
    clean_requisition,
    coverage_of,
)

T0 = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)


def s(a: float, b: float) -> Span:
    return Span(T0 + timedelta(seconds=a), T0 + timedelta(seconds=b))


def test_touching_segments_are_one_span_and_holes_are_gaps_with_their_reason() -> None:
    known = [Gap(T0 + timedelta(seconds=130), T0 + timedelta(seconds=170), GapReason.CAMERA_DOWN)]
    cov = coverage_of("cam", T0, T0 + timedelta(seconds=200), [s(60, 120), s(0, 59.5)], known)
    assert cov.spans == (s(0, 120),)
    assert [(g.start, g.end, g.reason) for g in cov.gaps] == [
        (T0 + timedelta(seconds=120), T0 + timedelta(seconds=130), GapReason.NONE),
        (T0 + timedelta(seconds=130), T0 + timedelta(seconds=170), GapReason.CAMERA_DOWN),
        (T0 + timedelta(seconds=170), T0 + timedelta(seconds=200), GapReason.NONE),
    ]
    assert cov.recorded_at(T0 + timedelta(seconds=90))
    assert cov.gap_at(T0 + timedelta(seconds=150)).reason is GapReason.CAMERA_DOWN  # type: ignore[union-attr]
    assert cov.recorded_seconds == pytest.approx(120)


def test_every_requisition_field_is_required_and_named_in_french() -> None:
    assert clean_requisition(" 2026/118 ", "Commissariat", "Lt Martin", "03/12/2026").issued_on == (
        date(2026, 12, 3)
    )
    for args, word in [
        (("", "Commissariat", "Lt Martin", "03/12/2026"), "N° de réquisition"),
        (("2026/118", " ", "Lt Martin", "03/12/2026"), "Service requérant"),
        (("2026/118", "Commissariat", "", "03/12/2026"), "OPJ"),
        (("2026/118", "Commissariat", "Lt Martin", ""), "Date"),
        (("2026/118", "Commissariat", "Lt Martin", "hier"), "illisible"),
    ]:
        with pytest.raises(RequisitionError, match=word):
            clean_requisition(*args)


def test_an_extraction_request_needs_cameras_and_a_sensible_period() -> None:
    req = clean_requisition("1", "PN", "OPJ", date(2026, 12, 3))
    now = T0 + timedelta(hours=1)
    ok = clean_request(["cam-01", "cam-01"], T0, T0 + timedelta(minutes=5), req, now=now)
    assert ok.camera_ids == ("cam-01",)
    with pytest.raises(RequisitionError, match="au moins une caméra"):
        clean_request([], T0, T0 + timedelta(minutes=5), req, now=now)
    with pytest.raises(RequisitionError, match="inconnue"):
        clean_request(["cam-9"], T0, T0 + timedelta(minutes=5), req, known_cameras=["cam-01"])
    with pytest.raises(RequisitionError, match="la fin doit suivre"):
        clean_request(["cam-01"], T0, T0, req, now=now)
    with pytest.raises(RequisitionError, match="futur"):
        clean_request(["cam-01"], now, now + timedelta(minutes=1), req, now=now)
