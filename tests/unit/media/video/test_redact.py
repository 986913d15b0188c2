"""No credential of a camera URL survives redaction; everything else does."""

from __future__ import annotations

import pytest

from csu_console.media.video.redact import redact_text, redact_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("rtsp://user:pass@host/", "rtsp://***@host/"),
        ("rtsp://admin:s3cr3t@10.0.0.5:554/Streaming/101", "rtsp://***@10.0.0.5:554/Streaming/101"),
        ("rtsp://admin@cam.local/live", "rtsp://***@cam.local/live"),
        ("rtsps://u:p%40ss@[fe80::1]:322/s", "rtsps://***@[fe80::1]:322/s"),
        ("RTSP://U:P@HOST/", "RTSP://***@HOST/"),
        ("rtsp://host/path", "rtsp://host/path"),
        ("rtsp://host:8554", "rtsp://host:8554"),
        # an unencoded "@" or "/" in the password: still nothing of it left
        ("rtsp://admin:p@ss@host/x", "rtsp://***@host/x"),
        ("rtsp://admin:pa/ss@host/x", "rtsp://***@host/x"),
        (
            "http://cam/snap.jpg?user=admin&password=x&ch=1",
            "http://cam/snap.jpg?user=admin&password=***&ch=1",
        ),
        (
            "http://cam/v?pass=x;pwd=y&token=z&auth=w",
            "http://cam/v?pass=***;pwd=***&token=***&auth=***",
        ),
        ("http://cam/v?PassWord=x#frag", "http://cam/v?PassWord=***#frag"),
        ("http://cam/v?password=&x=1", "http://cam/v?password=***&x=1"),
        ("http://cam/v?password", "http://cam/v?password"),
        ("http://u:p@cam/v?token=t", "http://***@cam/v?token=***"),
        ("udp://@239.0.0.1:1234", "udp://@239.0.0.1:1234"),
        ("rtp://@:5004", "rtp://@:5004"),
        ("/var/videos/cam1.ts", "/var/videos/cam1.ts"),
        ("file:///var/videos/cam1.ts", "file:///var/videos/cam1.ts"),
        ("", ""),
        ("not a url", "not a url"),
        ("rtsp://[::1:bad@host/", "rtsp://***@host/"),
    ],
)
def test_redact_url(url: str, expected: str) -> None:
    assert redact_url(url) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "open rtsp://a:b@h/x failed; retry http://c:d@k/?token=e",
            "open rtsp://***@h/x failed; retry http://***@k/?token=***",
        ),
        ("'rtsp://a:b@h/x'", "'rtsp://***@h/x'"),
        ("nothing here", "nothing here"),
    ],
)
def test_redact_text(text: str, expected: str) -> None:
    assert redact_text(text) == expected
