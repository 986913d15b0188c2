"""Replay of recorded video (Qt-free): local segments and NVR RTSP replay, decoded with PyAV."""
