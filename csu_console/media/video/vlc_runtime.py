"""The process's one libVLC instance, and what python-vlc does not give us.

python-vlc declares the chroma argument of the format (setup) callback as
``c_char_p``, which ctypes turns into an immutable ``bytes``: the callback could
not choose RV32. The function is bound here again with a ``c_void_p`` chroma.
python-vlc's ``Media.tracks_get`` also misreads the track union and never frees
the array; :func:`video_codec` reads it properly.
"""

from __future__ import annotations

import ctypes
import threading
from typing import Any

import vlc

# The vout threads call these; --avcodec-hw=none: vmem cannot take a GPU surface
# anyway (libVLC tries VAAPI/VDPAU first, fails our setup, then falls back).
INSTANCE_ARGS = (
    "--no-audio",
    "--quiet",
    "--no-xlib",
    "--no-video-title-show",
    "--no-osd",
    "--no-snapshot-preview",
    "--avcodec-hw=none",
)

FormatCb = ctypes.CFUNCTYPE(
    ctypes.c_uint,
    ctypes.POINTER(ctypes.c_void_p),  # opaque
    ctypes.c_void_p,  # chroma: char[4], in/out
    ctypes.POINTER(ctypes.c_uint),  # width
    ctypes.POINTER(ctypes.c_uint),  # height
    ctypes.POINTER(ctypes.c_uint),  # pitches
    ctypes.POINTER(ctypes.c_uint),  # lines
)
CleanupCb = ctypes.CFUNCTYPE(None, ctypes.c_void_p)
LockCb = vlc.CallbackDecorators.VideoLockCb
DisplayCb = vlc.CallbackDecorators.VideoDisplayCb

_set_format_callbacks = ctypes.CFUNCTYPE(None, ctypes.c_void_p, FormatCb, CleanupCb)(
    ("libvlc_video_set_format_callbacks", vlc.dll)
)
_lock = threading.Lock()
_instance: Any = None


def instance() -> Any:
    """The process-wide ``vlc.Instance`` (created at first use)."""
    global _instance  # noqa: PLW0603 - one per process, by libVLC's design
    with _lock:
        if _instance is None:
            _instance = vlc.Instance(list(INSTANCE_ARGS))
            if _instance is None:
                raise RuntimeError("libVLC n'a pas pu démarrer")
        return _instance


def set_format_callbacks(player: Any, setup: Any, cleanup: Any) -> None:
    """``libvlc_video_set_format_callbacks`` with a writable chroma."""
    _set_format_callbacks(player, setup, cleanup)


def video_codec(media: Any) -> str | None:
    """The first video track's codec as a lower-case fourcc (``"h264"``), if known."""
    # python-vlc declares the out-argument one pointer level short: pass what it
    # expects, then read it as the libvlc_media_track_t ** it really is.
    head = ctypes.POINTER(vlc.MediaTrack)()
    count = int(vlc.libvlc_media_tracks_get(media, ctypes.byref(head)))
    if count <= 0:
        return None
    array = ctypes.cast(head, ctypes.POINTER(ctypes.POINTER(vlc.MediaTrack) * count)).contents
    try:
        for item in array:
            track = item.contents
            if track.type == vlc.TrackType.video and track.codec:
                text = int(track.codec).to_bytes(4, "little").decode("ascii", "replace")
                return text.strip("\x00 ").lower() or None
        return None
    finally:
        vlc.libvlc_media_tracks_release(
            ctypes.cast(head, ctypes.POINTER(ctypes.POINTER(vlc.MediaTrack))), count
        )
