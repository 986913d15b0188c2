"""Supervisor review (Qt-free): shifts, the review filter, indicators, digest, exports."""
