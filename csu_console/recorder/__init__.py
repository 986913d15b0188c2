"""csu-recorder: records every camera of the site with FFmpeg (stream copy) into
one-minute segments, with an index of what is recorded (a Qt-free service)."""
