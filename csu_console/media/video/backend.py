"""Which decoder plays which camera; the rest of the console only sees a CameraSource.

``rtsp://`` goes to FFmpeg (OpenCV) unless libVLC is preferred *and* can play
RTSP (Debian's libVLC is built without live555: it cannot). Everything else
(``udp://``, ``rtp://``, ``http(s)://``, files) goes to libVLC.
"""

from __future__ import annotations

import functools
import glob
import logging
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from csu_console.media.video.source import CameraSource, HealthSettings, SourceListener

log = logging.getLogger("csu.media")

Backend = Literal["opencv", "vlc"]
Preference = Literal["auto", "opencv", "vlc"]
RTSP_SCHEMES = ("rtsp://", "rtsps://")
_LIVE555 = "liblive555_plugin"


def is_rtsp(url: str) -> bool:
    return url.strip().lower().startswith(RTSP_SCHEMES)


def _plugin_dirs() -> list[Path]:
    """Where libVLC loads its modules from: ``VLC_PLUGIN_PATH``, python-vlc's own
    guess, and ``<dir of the loaded libvlccore>/vlc/plugins``."""
    dirs = [Path(p) for p in os.environ.get("VLC_PLUGIN_PATH", "").split(os.pathsep) if p]
    import vlc

    guessed = getattr(vlc, "plugin_path", None)
    if guessed:
        dirs.append(Path(guessed))
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        maps = ""
    for core in sorted(set(re.findall(r"(/\S*/)libvlccore\.so\S*", maps))):
        dirs.append(Path(core) / "vlc" / "plugins")
    return [d for d in dirs if d.is_dir()]


@functools.cache
def libvlc_supports_rtsp() -> bool:
    """True when libVLC has its RTSP client (the live555 module). Cached; the
    answer is logged once."""
    found = False
    for directory in _plugin_dirs():
        if glob.glob(str(directory / "**" / f"{_LIVE555}.*"), recursive=True):
            found = True
            break
        cache = directory / "plugins.dat"  # the module cache names every plugin file
        if cache.is_file() and _LIVE555.encode() in cache.read_bytes():
            found = True
            break
    if found:
        log.info("libVLC avec client RTSP (live555)")
    else:
        log.info("libVLC sans client RTSP : les flux rtsp:// passent par FFmpeg/OpenCV")
    return found


def choose_backend(url: str, prefer: Preference = "auto") -> Backend:
    """The backend that will play ``url``; ``prefer`` is the site setting."""
    if is_rtsp(url):
        if prefer == "vlc" and libvlc_supports_rtsp():
            return "vlc"
        return "opencv"
    return "opencv" if prefer == "opencv" else "vlc"


def create_source(
    url: str,
    listener: SourceListener,
    health: HealthSettings | None = None,
    prefer: Preference = "auto",
) -> CameraSource:
    """A (not yet started) source for ``url``; call ``start()``."""
    health = health or HealthSettings()
    if choose_backend(url, prefer) == "vlc":
        from csu_console.media.video.vlc_source import VlcSource

        return VlcSource(url, listener, health)
    from csu_console.media.video.opencv_source import OpenCvSource

    return OpenCvSource(url, listener, health)


def preload(urls: Iterable[str], prefer: Preference = "auto") -> None:
    """Import the decoders ``urls`` will use, now (at start): imported on the first
    alert, OpenCV and NumPy took tens of milliseconds of the GUI thread while the
    alarm rang."""
    backends = {choose_backend(u, prefer) for u in urls}
    if "opencv" in backends:
        import csu_console.media.video.opencv_source
    if "vlc" in backends:
        try:
            import csu_console.media.video.vlc_source  # noqa: F401
        except (ImportError, OSError) as e:  # no libVLC: said when a stream opens
            log.warning("libVLC indisponible : %s", e)
