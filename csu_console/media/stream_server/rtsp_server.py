# mypy: ignore-errors
"""H.264 RTSP test streams on 127.0.0.1, served by GStreamer's RTSP server.

Run by Debian's ``/usr/bin/python3`` (the ``gi`` bindings are a Debian package, not
in the venv), so this file imports only the standard library and ``gi``, never
``csu_console``. ``control.RtspServerProcess`` starts it; by hand::

    /usr/bin/python3 rtsp_server.py --port 8554 --mount "cam01=CAM-01 Gare@1280x720@25"

Each ``--mount NAME=LABEL[@WxH[@FPS]]`` serves ``rtsp://ADDRESS:PORT/NAME``: a moving
test pattern with LABEL at the top left and a running clock at the bottom right,
H.264 with one keyframe a second. With ``--timecode``, a QR code at the bottom left
carries the frame's timestamp and the server prints ``TIMECODE <mount> <t0>`` when
a client's stream starts: the frame was made at ``t0 + timestamp`` (read back with
``timecode.read_timecode``); the tests check a recorded frame's time against it.
Every client gets its own pipeline (shared
mounts made an existing client's timestamps jump back when another joined), built
when it connects: an idle server costs nothing.

Prints ``READY <port>`` once listening; ``MISSING <what> (<apt package>)`` and exit
status 3 when a piece of GStreamer is absent. Exits with 0 on SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
import time

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
TIMECODE_ELEMENTS = {"identity": "libgstreamer1.0-0", "debugqroverlay": "gstreamer1.0-plugins-bad"}
# The moving picture. Per 1280x720 stream at 25 fps, encoding included, on a 2-core
# Xeon: ~20-30 % of a core (640x360: ~8 %). The ball costs more to draw but little
# to send (~0.5 Mbit/s at 720p); the scrolling bars ~2.3 Mbit/s (the bitrate cap).
PATTERNS = {
    "ball": "pattern=ball",  # a ball bouncing on black
    "smpte": "pattern=smpte horizontal-speed=2",  # scrolling colour bars
}
_MOUNT_RE = re.compile(r"^(?P<label>.*?)(?:@(?P<w>\d+)x(?P<h>\d+)(?:@(?P<fps>\d+))?)?$")


def missing(what: str, package: str) -> None:
    """Say what is absent (the controller turns it into an apt-get hint) and exit."""
    print(f"MISSING {what} ({package})", flush=True)
    sys.exit(EXIT_MISSING)


try:
    import gi

    gi.require_version("Gst", "1.0")
    gi.require_version("GstRtspServer", "1.0")
    from gi.repository import GLib, Gst, GstRtspServer
except (ImportError, ValueError) as exc:  # ValueError: typelib absent
    missing(f"gi: {exc}", "python3-gi gir1.2-gstreamer-1.0 gir1.2-gst-rtsp-server-1.0")


def parse_mount(text: str) -> tuple[str, str, int, int, int]:
    """``NAME=LABEL[@WxH[@FPS]]`` -> (name, label, width, height, fps)."""
    name, sep, rest = text.partition("=")
    if not sep or not re.fullmatch(r"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*", name):
        raise argparse.ArgumentTypeError(f"NAME=LABEL[@WxH[@FPS]] attendu, reçu {text!r}")
    m = _MOUNT_RE.match(rest)
    assert m is not None  # the pattern matches any string
    width, height = int(m["w"] or 640), int(m["h"] or 360)
    fps = int(m["fps"] or 25)
    if not (16 <= width <= 3840 and 16 <= height <= 2160 and 1 <= fps <= 60):
        raise argparse.ArgumentTypeError(f"taille ou cadence hors limites : {text!r}")
    return name, m["label"] or name, width, height, fps


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
        f"clockoverlay name=clock valignment=bottom halignment=right {font}",
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
    element.get_by_name("clock").set_property("time-format", "%d/%m/%Y %H:%M:%S")


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
    for name, label, width, height, fps in args.mount:
        factory = GstRtspServer.RTSPMediaFactory()
        factory.set_launch(
            launch_line(width, height, fps, args.pattern, args.threads, args.timecode)
        )
        factory.set_shared(False)
        factory.connect("media-configure", _on_media_configure, label, name, args.timecode)
        if permissions is not None:
            factory.set_permissions(permissions)
        mounts.add_factory(f"/{name}", factory)
    return server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8554, help="0: any free port")
    parser.add_argument("--address", default="127.0.0.1")
    parser.add_argument("--mount", type=parse_mount, action="append", required=True)
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
    if len({m[0] for m in args.mount}) != len(args.mount):
        parser.error("deux --mount ont le même nom")

    Gst.init(None)
    needed = {**ELEMENTS, **(TIMECODE_ELEMENTS if args.timecode else {})}
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
