"""ALSA's own error lines, kept off the terminal.

libasound prints every error to stderr by itself (« ALSA lib confmisc.c:855:…
cannot find card '0' », nine lines on a machine without a sound card) before the
console has said anything. :func:`quiet_alsa` installs a handler of ours through
``snd_lib_error_set_handler``: the lines are kept, not printed, and the alarm
player logs one clear line instead (see :class:`~csu_console.media.alarm_sound.AlarmSound`).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import re
import threading

log = logging.getLogger("csu.media")

#: ``void handler(const char *file, int line, const char *function, int err,
#: const char *fmt, ...)``; the variadic arguments are not read.
_HANDLER = ctypes.CFUNCTYPE(
    None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p
)
_PRINTF = re.compile(rb"%[-#0-9.]*[a-zA-Z]")
#: How many lines are kept (the first ones say what went wrong).
KEEP = 20


class AlsaErrors:
    """What ALSA reported since :func:`quiet_alsa` (any thread: ALSA's calls)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.lines: list[str] = []
        self.count = 0

    def add(self, function: bytes | None, fmt: bytes | None) -> None:
        # The format's arguments are variadic and not readable from here: « … ».
        text = _PRINTF.sub(b"\xe2\x80\xa6", fmt or b"").decode("utf-8", "replace").strip()
        with self._lock:
            self.count += 1
            if len(self.lines) < KEEP:
                where = (function or b"?").decode("ascii", "replace")
                self.lines.append(f"{where} : {text}")

    def summary(self) -> str:
        """« ALSA : snd_…: cannot find card '…' (9 messages) », or ""."""
        with self._lock:
            if not self.lines:
                return ""
            more = f" ({self.count} messages)" if self.count > 1 else ""
            return f"ALSA : {self.lines[0]}{more}"


_installed: tuple[AlsaErrors, object] | None = None


def quiet_alsa() -> AlsaErrors | None:
    """Route libasound's error lines to an :class:`AlsaErrors` (once per process);
    None when libasound cannot be loaded (then nothing prints anyway)."""
    global _installed  # noqa: PLW0603 - one handler per process, like ALSA's own
    if _installed is not None:
        return _installed[0]
    name = ctypes.util.find_library("asound") or "libasound.so.2"
    try:
        lib = ctypes.CDLL(name)
        set_handler = lib.snd_lib_error_set_handler
    except (OSError, AttributeError) as exc:
        log.debug("libasound introuvable (%s) : messages d'ALSA laissés tels quels", exc)
        return None
    errors = AlsaErrors()

    def handler(_file: bytes, _line: int, function: bytes, _err: int, fmt: bytes) -> None:
        errors.add(function, fmt)

    callback = _HANDLER(handler)
    set_handler.argtypes = [_HANDLER]
    set_handler(callback)
    _installed = (errors, callback)  # the callback must outlive every ALSA call
    return errors
