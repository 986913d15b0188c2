"""What a segment file holds, read with PyAV without decoding a picture.

The recorder calls it when FFmpeg closes a segment (its length and size go into
the index; a file PyAV cannot read is marked corrupt), the test and benchmark
recordings when they index generated segments.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class SegmentError(Exception):
    """A segment that cannot be read; the message says why (French)."""


@dataclass(frozen=True, slots=True)
class SegmentProbe:
    first_s: float  # the first video packet's timestamp, in the file's time base
    duration_s: float  # from the first packet's start to the last packet's end
    frames: int
    keyframes: int
    width: int
    height: int
    codec: str


def probe_segment(path: Path) -> SegmentProbe:
    """Demux ``path`` (no decoding); :class:`SegmentError` when it is unreadable or
    holds no video."""
    import av

    try:
        with av.open(str(path), mode="r") as container:
            if not container.streams.video:
                raise SegmentError(f"{path.name} : pas de piste vidéo")
            stream = container.streams.video[0]
            base = float(stream.time_base or 0) or 1 / 90000
            first = last_end = None
            frames = keyframes = 0
            default_step = 1 / float(stream.average_rate or 25)
            for packet in container.demux(stream):
                if packet.pts is None:
                    continue
                t = packet.pts * base
                step = packet.duration * base if packet.duration else default_step
                first = t if first is None else min(first, t)
                last_end = t + step if last_end is None else max(last_end, t + step)
                frames += 1
                keyframes += bool(packet.is_keyframe)
            ctx = stream.codec_context
            width, height, codec = int(ctx.width or 0), int(ctx.height or 0), ctx.name
    except (av.FFmpegError, OSError, ValueError) as exc:
        raise SegmentError(f"{path.name} illisible : {exc}") from exc
    if first is None or last_end is None or frames == 0:
        raise SegmentError(f"{path.name} : aucune image")
    return SegmentProbe(first, last_end - first, frames, keyframes, width, height, codec)
