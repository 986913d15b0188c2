"""Demo and test camera streams served on 127.0.0.1.

``control.RtspServerProcess`` runs GStreamer's RTSP server (``rtsp_server.py``, under
Debian's ``/usr/bin/python3``): one H.264 stream per camera, its name and a running
clock burned in, a keyframe a second. ``udp.UdpTestStream`` sends the same kind of
picture as MPEG-TS over UDP with ``ffmpeg``, for libVLC (which has no RTSP client on
Debian). The demo, the tests and the benchmarks all use these.
"""
