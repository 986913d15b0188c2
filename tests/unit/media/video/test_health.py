"""The retry schedule and frozen-picture detection shared by every backend."""

from __future__ import annotations

import numpy as np
import pytest

from csu_console.media.video.health import DIGEST_INTERVAL_S, FreezeDetector, backoff_delay
from csu_console.media.video.source import HealthSettings


def test_backoff_schedule_with_the_defaults() -> None:
    health = HealthSettings()
    assert [backoff_delay(n, health) for n in range(1, 9)] == [0.5, 1, 2, 4, 5, 5, 5, 5]


@pytest.mark.parametrize("attempt", [0, -1])
def test_no_wait_before_the_first_attempt(attempt: int) -> None:
    assert backoff_delay(attempt, HealthSettings()) == 0.0


def test_backoff_follows_the_settings_and_never_overflows() -> None:
    health = HealthSettings(backoff_initial_s=0.25, backoff_max_s=3.0)
    assert [backoff_delay(n, health) for n in range(1, 6)] == [0.25, 0.5, 1, 2, 3]
    assert backoff_delay(10**6, health) == 3.0  # days of retries


def _picture(value: int) -> np.ndarray:
    image = np.zeros((360, 640, 3), dtype=np.uint8)
    image[350, 630] = value  # one pixel: a clock digit in a corner
    return image


def test_a_changing_picture_is_not_frozen() -> None:
    detector = FreezeDetector(now=0.0)
    for i in range(20):
        detector.update(_picture(i), now=i * 0.5)
    assert detector.frozen_for(now=9.5) == 0.0


def test_an_identical_picture_freezes_even_if_only_one_pixel_moved_before() -> None:
    detector = FreezeDetector(now=0.0)
    detector.update(_picture(1), now=0.0)
    detector.update(_picture(2), now=1.0)
    for t in (1.5, 2.0, 3.0, 4.0):
        detector.update(_picture(2), now=t)
    assert detector.frozen_for(now=4.0) == pytest.approx(3.0)
    detector.update(_picture(3), now=4.5)
    assert detector.frozen_for(now=4.5) == 0.0


def test_digests_are_rate_limited() -> None:
    """Between two digests a change is not seen yet: the cost stays ~2 CRCs a second."""
    detector = FreezeDetector(now=0.0)
    detector.update(_picture(1), now=0.0)
    detector.update(_picture(2), now=DIGEST_INTERVAL_S / 2)
    assert detector.frozen_for(now=DIGEST_INTERVAL_S / 2) == pytest.approx(DIGEST_INTERVAL_S / 2)
    detector.reset(now=10.0)
    assert detector.frozen_for(now=10.0) == 0.0
