# mypy: ignore-errors
"""H.264 RTSP test streams on 127.0.0.1, served by GStreamer's RTSP server.

Run by Debian's ``/usr/bin/python3`` (the ``gi`` bindings are a Debian package, not
in the venv), so this file imports only the standard library and ``gi``, never
``csu_console``. ``control.RtspServerProcess`` starts it; by hand::

    /usr/bin/python3 rtsp_server.py --port 8554 --mount "cam01=CAM-01 Gare@1280x720@25"

Each ``--mount NAME=LABEL[@WxH[@FPS]][~PATTERN]`` serves ``rtsp://ADDRESS:PORT/NAME``: a moving
test pattern with LABEL at the top left and a running clock at the bottom right,
H.264 with one keyframe a second; ``~black`` or ``~frozen`` makes that one mount a
camera gone wrong (a covered lens, a stuck picture). With ``--timecode``, a QR
code at the bottom left carries the frame's timestamp and the server prints
``TIMECODE <mount> <t0>`` when a client's stream starts: the frame was made at
``t0 + timestamp`` (read back with ``timecode.read_timecode``); the tests check a
recorded frame's time against it.
Every client gets its own pipeline (shared
mounts made an existing client's timestamps jump back when another joined), built
when it connects: an idle server costs nothing.

Each ``--recording NAME=FILE@ORIGIN`` plays a recorded H.264 file (Matroska, or MP4
by its extension) as an NVR replays its recordings: ``ORIGIN`` is the Unix time of
the file's timestamp 0 (a ``make_recording.py`` file: its QR timecodes say ``ORIGIN
+ timestamp``). It seeks two ways, as NVRs do:

* RTSP ``Range: npt=S-`` in ``PLAY`` (the client's seek);
* a start time in the URL's query, ``rtsp://ADDRESS:PORT/NAME?starttime=
  20261204T101500Z`` (Hikvision, UTC) or ``…?channel=1&starttime=2026_12_04_10_15_00``
  (Dahua; UTC here): the stream starts at the keyframe at or before that instant
  (before the file: at its start; after its end: ``400 Bad Request``, as an NVR
  with nothing recorded then), and ``npt`` then counts from it (``npt=10`` is the
  start time + 10 s), as on a Hikvision NVR. The ranges the server reports (SDP,
  ``PLAY`` reply) stay in the file's own time.

It prints ``TIMECODE NAME ORIGIN`` at start, and ``PLAY NAME OFFSET`` each time a
client's start time is turned into an offset in the file (seconds).

Prints ``READY <port>`` once listening; ``MISSING <what> (<apt package>)`` and exit
status 3 when a piece of GStreamer is absent. Exits with 0 on SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import calendar
import os
import re
import signal
import sys
import time
import urllib.parse

EXIT_MISSING = 3

# GStreamer elements used, and the Debian package that brings each one.
ELEMENTS = {
    "videotestsrc": "gstreamer1.0-plugins-base",
    "capsfilter": "libgstreamer1.0-0",
    "textoverlay": "gstreamer1.0-x",
    "clockoverlay": "gstreamer1.0-x",
    "x264enc": "gstreamer1.0-plugins-ugly",
    "rtph264pay": "gstreamer1.0-plugins-good",
}
RECORDING_ELEMENTS = {
    "filesrc": "libgstreamer1.0-0",
    "matroskademux": "gstreamer1.0-plugins-good",
    "qtdemux": "gstreamer1.0-plugins-good",
    "h264parse": "gstreamer1.0-plugins-bad",
}
TIMECODE_ELEMENTS = {"identity": "libgstreamer1.0-0", "debugqroverlay": "gstreamer1.0-plugins-bad"}
# The moving picture. Per 1280x720 stream at 25 fps, encoding included, on a 2-core
# Xeon: ~20-30 % of a core (640x360: ~8 %). The ball costs more to draw but little
# to send (~0.5 Mbit/s at 720p); the scrolling bars ~2.3 Mbit/s (the bitrate cap).
PATTERNS = {
    # a ball bouncing on a night-blue ground (on pure black, a covered lens's picture
    # with its overlays and this one could not be told apart: the prober's black test)
    "ball": "pattern=ball background-color=0xff203050",
    "smpte": "pattern=smpte horizontal-speed=2",  # scrolling colour bars
    # a camera gone wrong, for the prober's tests (``--mount NAME=LABEL~black``):
    "black": "pattern=black",  # a covered lens: black, the label and clock still burned in
    "frozen": "pattern=colors",  # a stuck picture: still colours, no clock (launch_line)
}
# Start times an NVR's replay URL carries (UTC): Hikvision, Dahua, ISO 8601.
START_FORMATS = ("%Y%m%dT%H%M%SZ", "%Y_%m_%d_%H_%M_%S", "%Y-%m-%dT%H:%M:%SZ")
_MOUNT_RE = re.compile(
    r"^(?P<label>.*?)(?:@(?P<w>\d+)x(?P<h>\d+)(?:@(?P<fps>\d+))?)?(?:~(?P<pattern>[a-z]+))?$"
)


def missing(what: str, package: str) -> None:
    """Say what is absent (the controller turns it into an apt-get hint) and exit."""
    print(f"MISSING {what} ({package})", flush=True)
    sys.exit(EXIT_MISSING)


try:
    import gi

    gi.require_version("Gst", "1.0")
    gi.require_version("GstRtspServer", "1.0")
    gi.require_version("GstRtsp", "1.0")
    from gi.repository import GLib, Gst, GstRtsp, GstRtspServer

    Gst.init(None)  # before the subclasses below: their signals need GStreamer's types
except (ImportError, ValueError) as exc:  # ValueError: typelib absent
    missing(f"gi: {exc}", "python3-gi gir1.2-gstreamer-1.0 gir1.2-gst-rtsp-server-1.0")


def parse_mount(text: str) -> tuple[str, str, int, int, int, str | None]:
    """``NAME=LABEL[@WxH[@FPS]][~PATTERN]`` -> (name, label, width, height, fps,
    pattern or None for the server's ``--pattern``)."""
    name, sep, rest = text.partition("=")
    if not sep or not re.fullmatch(r"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*", name):
        raise argparse.ArgumentTypeError(f"NAME=LABEL[@WxH[@FPS]] attendu, reçu {text!r}")
    m = _MOUNT_RE.match(rest)
    assert m is not None  # the pattern matches any string
    width, height = int(m["w"] or 640), int(m["h"] or 360)
    fps = int(m["fps"] or 25)
    if not (16 <= width <= 3840 and 16 <= height <= 2160 and 1 <= fps <= 60):
        raise argparse.ArgumentTypeError(f"taille ou cadence hors limites : {text!r}")
    if m["pattern"] is not None and m["pattern"] not in PATTERNS:
        raise argparse.ArgumentTypeError(f"motif inconnu : {m['pattern']!r}")
    return name, m["label"] or name, width, height, fps, m["pattern"]


def parse_recording(text: str) -> tuple[str, str, float]:
    """``NAME=FILE@ORIGIN`` -> (name, file, origin as Unix time)."""
    name, sep, rest = text.partition("=")
    path, at, origin = rest.rpartition("@")
    if not sep or not at or not re.fullmatch(r"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*", name):
        raise argparse.ArgumentTypeError(f"NAME=FICHIER@ORIGINE attendu, reçu {text!r}")
    try:
        origin_s = float(origin)
    except ValueError:
        raise argparse.ArgumentTypeError(f"origine (temps Unix) illisible : {text!r}") from None
    if not os.path.isfile(path):
        raise argparse.ArgumentTypeError(f"enregistrement introuvable : {path}")
    return name, path, origin_s


def parse_start(value: str) -> float | None:
    """The Unix time of a URL's ``starttime`` (UTC), None when unreadable."""
    for fmt in START_FORMATS:
        try:
            return calendar.timegm(time.strptime(value, fmt))
        except ValueError:
            continue
    return None


def start_offset(query: str | None, origin: float) -> float:
    """Seconds into the file where a client asking ``?…starttime=…`` starts (0 when
    the URL has none or an unreadable one, or the time is before the file)."""
    values = urllib.parse.parse_qs(query or "").get("starttime")
    start = parse_start(values[0]) if values else None
    if start is None:
        return 0.0
    return max(0.0, start - origin)


def recording_launch(path: str) -> str:
    """A recorded file, demuxed and packetised without decoding (seekable)."""
    demux = "qtdemux" if path.lower().endswith((".mp4", ".mov", ".m4v")) else "matroskademux"
    location = path.replace("\\", "\\\\").replace('"', '\\"')
    return (
        f'( filesrc location="{location}" ! {demux} ! h264parse'
        " ! rtph264pay name=pay0 pt=96 config-interval=1 )"
    )


def file_duration(path: str) -> float | None:
    """The recording's length in seconds (None when GStreamer cannot tell)."""
    try:
        gi.require_version("GstPbutils", "1.0")
        from gi.repository import GstPbutils

        info = GstPbutils.Discoverer.new(5 * Gst.SECOND).discover_uri(Gst.filename_to_uri(path))
    except (ValueError, GLib.Error):
        return None
    duration = info.get_duration()
    return duration / Gst.SECOND if duration and duration != Gst.CLOCK_TIME_NONE else None


class RecordingMedia(GstRtspServer.RTSPMedia):
    """A recording's media: the client's ``npt`` counts from its start time."""

    offset = 0.0  # seconds into the file of the URL's start time

    def do_convert_range(self, rng, unit):
        # A client's seek (PLAY's "Range: npt=S-") comes through here open-ended:
        # shift it by the start time. The ranges the media reports (SDP, PLAY's
        # reply) come through here too, closed (the file's length): left as they are.
        open_ended = rng.max.type == GstRtsp.RTSPTimeType.END
        if self.offset and open_ended and rng.unit == GstRtsp.RTSPRangeUnit.NPT:
            for bound in (rng.min, rng.max):
                if bound.type == GstRtsp.RTSPTimeType.SECONDS:
                    bound.seconds += self.offset
        return GstRtspServer.RTSPMedia.do_convert_range(self, rng, unit)


class RecordingFactory(GstRtspServer.RTSPMediaFactory):
    """Builds a :class:`RecordingMedia` per client, its offset read from the URL."""

    def __init__(self, name: str, path: str, origin: float) -> None:
        super().__init__()
        self.mount, self.origin = name, origin
        self.duration = file_duration(path)
        self.set_launch(recording_launch(path))
        self.set_shared(False)
        self.set_media_gtype(RecordingMedia)

    def do_construct(self, url):
        offset = start_offset(url.query, self.origin)
        if self.duration is not None and offset >= self.duration:
            print(f"PLAY {self.mount} {offset:.3f} après la fin", flush=True)
            return None  # as an NVR with nothing recorded then: the client gets an error
        media = GstRtspServer.RTSPMediaFactory.do_construct(self, url)
        if media is not None:
            media.offset = offset
            if url.query:
                print(f"PLAY {self.mount} {media.offset:.3f}", flush=True)
        return media


def timecode_steps(width: int) -> list[str]:
    """A QR code at the bottom left of each frame: GStreamer's ``debugqroverlay``
    writes the frame's timestamp in it (``{"TIMESTAMP": ns, "BUFFERCOUNT": n, …}``);
    its modules are 3 px at 640 px wide, more when wider."""
    size = max(3, width // 213)
    return [
        "identity name=stamp",
        f"debugqroverlay name=qr x=2 y=55 pixel-size={size} qrcode-error-correction=1",
    ]


def stamp_timecode(element, name: str, clock=time.time) -> None:
    """Print ``TIMECODE <name> <t0>`` at the first frame, ``t0`` the Unix time of
    timestamp 0: a frame's Unix time is ``t0 + TIMESTAMP / 1e9``. A live source
    stamps a frame with the running time at capture, so ``t0`` is now minus the
    first frame's timestamp; a generated recording passes its own ``clock``."""
    seen = []

    def first(_pad, info):
        if not seen:
            seen.append(True)
            t0 = clock() - info.get_buffer().pts / 1e9
            print(f"TIMECODE {name} {t0:.3f}", flush=True)
        return Gst.PadProbeReturn.REMOVE

    element.get_by_name("stamp").get_static_pad("src").add_probe(Gst.PadProbeType.BUFFER, first)


def launch_line(
    width: int, height: int, fps: int, pattern: str, threads: int = 1, timecode: bool = False
) -> str:
    """The pipeline of one client; texts are set in ``_on_media_configure`` (no quoting)."""
    # The overlays scale the font with the width themselves (auto-resize, 640 px base).
    font = 'font-desc="Sans 16" shaded-background=true'
    kbps = max(300, width * height // 400)
    # I420: without it x264enc gets Y444 and makes High 4:4:4, which many players reject.
    steps = [
        f"videotestsrc is-live=true {PATTERNS[pattern]}",
        f"video/x-raw,format=I420,width={width},height={height},framerate={fps}/1",
        *(timecode_steps(width) if timecode else []),
        f"textoverlay name=label valignment=top halignment=left {font}",
        # frozen: a still text where the clock was (clockoverlay would keep moving)
        f"{'textoverlay' if pattern == 'frozen' else 'clockoverlay'} name=clock"
        f" valignment=bottom halignment=right {font}",
        f"x264enc tune=zerolatency speed-preset=ultrafast key-int-max={fps} bitrate={kbps}"
        f" threads={threads}",
        "rtph264pay name=pay0 pt=96 config-interval=1",
    ]
    return "( " + " ! ".join(steps) + " )"


def _on_media_configure(
    _factory, media, label: str, name: str = "", timecode: bool = False
) -> None:
    element = media.get_element()
    if timecode:
        stamp_timecode(element, name)
    element.get_by_name("label").set_property("text", label)
    clock = element.get_by_name("clock")
    if clock.find_property("time-format") is not None:
        clock.set_property("time-format", "%d/%m/%Y %H:%M:%S")
    else:  # the frozen pattern: the clock stopped when the picture froze
        clock.set_property("text", time.strftime("%d/%m/%Y %H:%M:%S"))


def build_server(args: argparse.Namespace) -> GstRtspServer.RTSPServer:
    """One factory per mount, basic auth on all of them when asked."""
    server = GstRtspServer.RTSPServer()
    server.set_address(args.address)
    server.set_service(str(args.port))
    permissions = None
    if args.auth:
        user, _, password = args.auth.partition(":")
        auth = GstRtspServer.RTSPAuth()
        token = GstRtspServer.RTSPToken()
        token.set_string("media.factory.role", "user")
        auth.add_basic(GstRtspServer.RTSPAuth.make_basic(user, password), token)
        server.set_auth(auth)  # no default token: anonymous clients get 401
        permissions = GstRtspServer.RTSPPermissions()
        permissions.add_role_from_structure(
            Gst.Structure.new_from_string(
                "user, media.factory.access=(boolean)true, media.factory.construct=(boolean)true"
            )
        )
    mounts = server.get_mount_points()
    for name, label, width, height, fps, pattern in args.mount:
        factory = GstRtspServer.RTSPMediaFactory()
        factory.set_launch(
            launch_line(width, height, fps, pattern or args.pattern, args.threads, args.timecode)
        )
        factory.set_shared(False)
        factory.connect("media-configure", _on_media_configure, label, name, args.timecode)
        if permissions is not None:
            factory.set_permissions(permissions)
        mounts.add_factory(f"/{name}", factory)
    for name, path, origin in args.recording:
        factory = RecordingFactory(name, path, origin)
        if permissions is not None:
            factory.set_permissions(permissions)
        mounts.add_factory(f"/{name}", factory)
        print(f"TIMECODE {name} {origin:.3f}", flush=True)
    return server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8554, help="0: any free port")
    parser.add_argument("--address", default="127.0.0.1")
    parser.add_argument("--mount", type=parse_mount, action="append", default=[])
    parser.add_argument(
        "--recording", type=parse_recording, action="append", default=[],
        metavar="NAME=FILE@ORIGIN", help="a recorded file served with seeking (NVR replay)",
    )  # fmt: skip
    parser.add_argument("--pattern", choices=sorted(PATTERNS), default="ball")
    parser.add_argument("--threads", type=int, default=1, help="x264 threads per stream (0: auto)")
    parser.add_argument("--auth", metavar="USER:PASSWORD", help="basic auth on every mount")
    parser.add_argument(
        "--timecode", action="store_true", help="QR code of each frame's Unix time (tests)"
    )
    parser.add_argument(
        "--exit-with-stdin", action="store_true", help="stop when stdin closes (parent gone)"
    )
    args = parser.parse_args(argv)
    names = [m[0] for m in args.mount] + [r[0] for r in args.recording]
    if not names:
        parser.error("au moins un --mount ou un --recording")
    if len(set(names)) != len(names):
        parser.error("deux flux ont le même nom")

    Gst.init(None)
    needed = {**ELEMENTS, **(TIMECODE_ELEMENTS if args.timecode else {})}
    if args.recording:
        needed.update(RECORDING_ELEMENTS)
    for element, package in needed.items():
        if Gst.ElementFactory.find(element) is None:
            missing(f"élément GStreamer {element}", package)

    server = build_server(args)
    loop = GLib.MainLoop()
    if server.attach(None) == 0:
        print(f"ERROR impossible d'écouter sur {args.address}:{args.port}", flush=True)
        return 1
    for signum in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signum, loop.quit)
    if args.exit_with_stdin:
        GLib.io_add_watch(
            GLib.IOChannel.unix_new(sys.stdin.fileno()),
            GLib.PRIORITY_DEFAULT,
            GLib.IOCondition.IN | GLib.IOCondition.HUP | GLib.IOCondition.ERR,
            lambda *_: loop.quit(),
        )
    pool = server.get_session_pool()
    GLib.timeout_add_seconds(2, lambda: pool.cleanup() >= 0)  # drop timed-out sessions
    # clockoverlay burns in local time (GLib reads TZ): the console gives the site's.
    clock = time.strftime("%Z, UTC%z")
    print(f"horloge incrustée : {os.environ.get('TZ', 'fuseau de la machine')} ({clock})",
          flush=True)  # fmt: skip
    print(f"READY {server.get_bound_port()}", flush=True)
    loop.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
