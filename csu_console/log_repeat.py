"""A repeated error is logged once, then with a count (Qt-free).

A full disk makes every write fail the same way, several times a second, for as
long as it lasts: the log (often on that same disk) would fill with hundreds of
identical lines and hide everything else. :class:`RepeatedLog` writes the first
occurrence at once, counts the repeats, and writes one line per window that
says how many there were: « … (répété 312 fois en 60 s) ».
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

#: Repeats of one message are summed up over this many seconds.
REPEAT_WINDOW_S = 60.0


@dataclass
class _Streak:
    start: float
    repeats: int = 0  # occurrences not written since ``start``
    level: int = logging.ERROR
    text: str = ""  # the latest occurrence, formatted


class RepeatedLog:
    """Writes to ``logger`` the first of a run of identical messages, then counts.

    Messages are identified by a ``key`` chosen by the caller (what failed, not the
    varying figures in the text). Within ``window_s`` after a line was written,
    more of the same key are only counted; the first one after the window writes
    « <latest text> (répété N fois en S s) » and opens a new window.
    :meth:`flush` writes the counts of windows that are over (call it from a
    timer or a loop), :meth:`clear` those of a condition that ended. Thread-safe.
    """

    def __init__(
        self,
        logger: logging.Logger,
        window_s: float = REPEAT_WINDOW_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._log = logger
        self.window_s = window_s
        self._clock = clock
        self._lock = threading.Lock()
        self._streaks: dict[Hashable, _Streak] = {}

    def log(self, level: int, key: Hashable, msg: str, *args: Any, exc_info: Any = None) -> bool:
        """Log ``msg % args`` unless the same ``key`` was logged within the window;
        True when a line was written."""
        now = self._clock()
        text = msg % args if args else msg
        with self._lock:
            streak = self._streaks.get(key)
            if streak is not None and now - streak.start < self.window_s:
                streak.repeats += 1
                streak.level, streak.text = level, text
                return False
            repeats = streak.repeats if streak is not None else 0
            span = now - streak.start if streak is not None else 0.0
            self._streaks[key] = _Streak(now, 0, level, text)
        if repeats:
            self._log.log(level, "%s", _counted(text, repeats + 1, span), exc_info=exc_info)
        else:
            self._log.log(level, "%s", text, exc_info=exc_info)
        return True

    def repeats(self, key: Hashable) -> int:
        """Occurrences of ``key`` counted and not written yet."""
        with self._lock:
            streak = self._streaks.get(key)
            return streak.repeats if streak is not None else 0

    def flush(self) -> None:
        """Write the count of every window that is over; forget quiet keys."""
        now = self._clock()
        lines: list[tuple[int, str]] = []
        with self._lock:
            for key, streak in list(self._streaks.items()):
                if now - streak.start < self.window_s:
                    continue
                if streak.repeats:
                    span = now - streak.start
                    lines.append((streak.level, _counted(streak.text, streak.repeats, span)))
                    self._streaks[key] = _Streak(now, 0, streak.level, streak.text)
                else:
                    del self._streaks[key]
        for level, line in lines:
            self._log.log(level, "%s", line)

    def clear(self, key: Hashable) -> None:
        """The condition behind ``key`` is over: write its count now, if any."""
        now = self._clock()
        with self._lock:
            streak = self._streaks.pop(key, None)
        if streak is not None and streak.repeats:
            self._log.log(
                streak.level, "%s", _counted(streak.text, streak.repeats, now - streak.start)
            )


def _counted(text: str, times: int, span_s: float) -> str:
    return f"{text} (répété {times} fois en {max(1, round(span_s))} s)"
