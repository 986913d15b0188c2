# mypy: ignore-errors
"""Make a recording as a recorder would have made it, faster than real time.

Run by Debian's ``/usr/bin/python3`` (GStreamer through ``gi``, like
``rtsp_server.py``): H.264 of a moving test pattern, cut into Matroska segments of
``--segment-s`` seconds at keyframes (one a second), each frame carrying a QR code
of its timestamp: it stands for ``--origin`` + that timestamp (``TIMECODE`` line,
see ``rtsp_server.stamp_timecode``). The tests and the
benchmarks replay and extract these segments as they would a day of recordings.
``recordings.make_recording`` runs it and indexes the files; by hand::

    /usr/bin/python3 make_recording.py --out /tmp/rec --origin 1796454000 --seconds 120

Prints ``DONE <files>`` at the end; exit status 3 when a piece of GStreamer is absent.
"""

from __future__ import annotations

import argparse
import os
import sys

# Run with ``-I`` (isolated): the script's own folder is not on the path.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rtsp_server import PATTERNS, missing, stamp_timecode, timecode_steps

try:
    import gi

    gi.require_version("Gst", "1.0")
    from gi.repository import Gst
except (ImportError, ValueError) as exc:  # ValueError: typelib absent
    missing(f"gi: {exc}", "python3-gi gir1.2-gstreamer-1.0")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="folder of the segments (00000.mkv…)")
    parser.add_argument("--origin", type=float, required=True, help="Unix time of frame 0")
    parser.add_argument("--seconds", type=int, required=True)
    parser.add_argument("--segment-s", type=int, default=60)
    parser.add_argument("--width", type=int, default=640)
    parser.add_argument("--height", type=int, default=360)
    parser.add_argument("--fps", type=int, default=25)
    parser.add_argument("--label", default="CAM")
    parser.add_argument("--pattern", choices=sorted(PATTERNS), default="ball")
    args = parser.parse_args(argv)

    Gst.init(None)
    for element in ("qroverlay", "x264enc", "splitmuxsink", "matroskamux", "h264parse"):
        if Gst.ElementFactory.find(element) is None:
            missing(f"élément GStreamer {element}", "gstreamer1.0-plugins-bad/-ugly/-good")
    fps = args.fps
    steps = [
        f"videotestsrc num-buffers={args.seconds * fps} {PATTERNS[args.pattern]}",
        f"video/x-raw,format=I420,width={args.width},height={args.height},framerate={fps}/1",
        *timecode_steps(args.width),
        'textoverlay name=label valignment=top halignment=left font-desc="Sans 16"',
        f"x264enc speed-preset=ultrafast tune=zerolatency key-int-max={fps}"
        f" bitrate={max(300, args.width * args.height // 400)}",
        "h264parse",
        f"splitmuxsink name=mux muxer=matroskamux max-size-time={args.segment_s * Gst.SECOND}"
        f" location={args.out}/%05d.mkv",
    ]
    pipeline = Gst.parse_launch(" ! ".join(steps))
    pipeline.get_by_name("label").set_property("text", args.label)
    # Frame n stands for --origin + n / fps (the first timestamp is 0): t0 = origin.
    stamp_timecode(pipeline, args.label, clock=lambda: args.origin)
    pipeline.set_state(Gst.State.PLAYING)
    message = pipeline.get_bus().timed_pop_filtered(
        Gst.CLOCK_TIME_NONE, Gst.MessageType.EOS | Gst.MessageType.ERROR
    )
    pipeline.set_state(Gst.State.NULL)
    if message.type == Gst.MessageType.ERROR:
        error, debug = message.parse_error()
        print(f"ERROR {error.message} ({debug})", flush=True)
        return 1
    print("DONE", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
