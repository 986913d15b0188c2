"""Fixtures shared by the console's end-to-end tests (a real csu-sim, the real Console)."""

from __future__ import annotations

from test_interrupt_cycle import harness  # noqa: F401 - the fixture, for every module here
