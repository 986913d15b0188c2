"""The merged camera health: states, « depuis », the wall's reports, outages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from csu_console.core.camera_state import CameraHealthBook, CameraState, Report, Witness
from csu_console.media.probe.picture import Verdict, judge

T0 = datetime(2026, 12, 5, 2, 0, tzinfo=UTC)


def _r(cid: str, state: CameraState, s: float, witness: Witness = Witness.PROBER) -> Report:
    return Report(cid, state, witness, T0 + timedelta(seconds=s), s, "détail")


def test_a_state_keeps_its_since_and_refreshes_its_last_check() -> None:
    book = CameraHealthBook(["a", "b"], offline_after_s=60)
    assert book.status("a").state is CameraState.UNKNOWN
    book.report(_r("a", CameraState.OK, 0))
    book.report(_r("a", CameraState.OK, 30))
    status = book.status("a")
    assert status.state is CameraState.OK
    assert status.since == T0
    assert status.last_check == T0 + timedelta(seconds=30)
    changed = book.tick(31).changed
    assert [s.camera_id for s in changed] == ["a"]
    assert book.tick(32).changed == ()  # each change is handed over once
    book.report(_r("zzz", CameraState.OFFLINE, 1))  # not a camera of the site: ignored
    assert book.counts()[CameraState.UNKNOWN] == 1


def test_an_outage_is_due_once_after_offline_after_s_and_its_end_is_told() -> None:
    book = CameraHealthBook(["a"], offline_after_s=60)
    book.report(_r("a", CameraState.OFFLINE, 0))
    book.report(_r("a", CameraState.OFFLINE, 30))
    assert book.tick(59).due == ()
    due = book.tick(61).due
    assert [o.camera_id for o in due] == ["a"]
    assert due[0].down_since_utc == T0
    assert book.tick(200).due == ()
    book.report(_r("a", CameraState.OK, 300))
    ended = book.tick(301).ended
    assert [o.camera_id for o in ended] == ["a"]


def test_a_short_outage_raises_nothing_and_ends_silently() -> None:
    book = CameraHealthBook(["a"], offline_after_s=60)
    book.report(_r("a", CameraState.FROZEN, 0))
    book.report(_r("a", CameraState.OK, 20))
    found = book.tick(100)
    assert found.due == () and found.ended == ()


def test_the_wall_playing_does_not_clear_a_black_or_frozen_picture_the_prober_saw() -> None:
    book = CameraHealthBook(["a"], offline_after_s=60)
    book.report(_r("a", CameraState.BLACK, 0))
    book.report(_r("a", CameraState.OK, 5, Witness.WALL))
    assert book.status("a").state is CameraState.BLACK
    book.report(_r("a", CameraState.OK, 10))  # the prober's next decode sees a picture
    assert book.status("a").state is CameraState.OK
    book.report(_r("a", CameraState.FROZEN, 20))
    book.report(_r("a", CameraState.OK, 25, Witness.WALL))
    assert book.status("a").state is CameraState.FROZEN


def test_the_wall_losing_a_stream_turns_a_camera_down_at_once() -> None:
    book = CameraHealthBook(["a"], offline_after_s=60)
    book.report(_r("a", CameraState.OK, 0))
    book.report(_r("a", CameraState.OFFLINE, 5, Witness.WALL))
    status = book.status("a")
    assert status.state is CameraState.OFFLINE and status.witness is Witness.WALL


def _picture(level: int, spot: tuple[int, int] | None = None) -> np.ndarray:
    img = np.full((360, 640), level, np.uint8)
    img[10:30, 10:120] = 235  # a name overlay: on a covered lens too
    if spot is not None:
        y, x = spot
        img[y : y + 40, x : x + 40] = 235
    return img


def test_judge_tells_black_frozen_and_live_pictures() -> None:
    black = [(float(t), _picture(16)) for t in range(3)]
    assert judge(black).verdict == Verdict.BLACK
    still = [(float(t), _picture(120)) for t in range(3)]
    assert judge(still).verdict == Verdict.FROZEN
    moving = [(float(t), _picture(120, (100, 100 + 60 * t))) for t in range(3)]
    assert judge(moving).verdict == Verdict.LIVE
    assert judge([]).verdict == Verdict.NO_PICTURE
    short = [(0.0, _picture(120)), (0.5, _picture(120))]  # too short to call it frozen
    assert judge(short).verdict == Verdict.LIVE
    stuck_clock = [(4.0, _picture(120)), (4.0, _picture(120, (0, 0)))]
    assert judge(stuck_clock).verdict == Verdict.FROZEN
