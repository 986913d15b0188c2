"""The session's generated recordings are what the recorder would have made: files
in its layout, indexed, and frames whose QR timecode says when they stand for."""

from __future__ import annotations

import av
from support import RecordedSite

from csu_console.media.stream_server.timecode import read_timecode
from csu_console.recorder.index import RecordingIndex


def test_generated_segments_are_indexed_and_carry_their_time(recorded_site: RecordedSite) -> None:
    index = RecordingIndex(recorded_site.root, create=False)
    try:
        cov = index.coverage("cam-02", recorded_site.origin, recorded_site.end)
        assert len(cov.spans) == 1 and not cov.gaps
        assert abs(cov.recorded_seconds - recorded_site.seconds) < 0.1
        segment = index.segments("cam-02", recorded_site.origin, recorded_site.end)[3]
    finally:
        index.close()
    assert segment.path.is_file() and segment.path.parts[-3] == "cam-02"
    with av.open(str(segment.path)) as container:
        frame = next(container.decode(video=0))
        code = read_timecode(frame.to_ndarray(format="bgr24"))
    assert code is not None
    filmed = code.unix(recorded_site.origin.timestamp())
    assert abs(filmed - segment.start.timestamp()) < 0.05
