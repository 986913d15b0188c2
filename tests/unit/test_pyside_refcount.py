"""Regression test for the PySide6 6.12.0 bug on Python 3.11.

There, every ``Signal.emit()`` dropped one reference to ``True``; after a few
hundred emits the interpreter aborted with ``Fatal Python error: bool_dealloc``.
On Python >= 3.12 ``True`` is immortal and the count does not move at all.
"""

from __future__ import annotations

import sys

import PySide6
from PySide6.QtCore import QObject, Qt, Signal, Slot

EMITS = 100_000


class _Emitter(QObject):
    fired = Signal(bool)


class _Receiver(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    @Slot(bool)
    def on_fired(self, value: bool) -> None:
        if value:
            self.calls += 1


def test_signal_emit_keeps_true_alive(qapp: object) -> None:
    emitter, receiver = _Emitter(), _Receiver()
    emitter.fired.connect(receiver.on_fired, Qt.ConnectionType.DirectConnection)
    before = sys.getrefcount(True)
    for _ in range(EMITS):
        emitter.fired.emit(True)
    after = sys.getrefcount(True)
    assert receiver.calls == EMITS
    # Other code may take or drop a few references meanwhile; the bug drops EMITS.
    assert after > before - 300, f"refcount(True) {before} -> {after} after {EMITS} emits"


def test_pyside_version_is_not_the_broken_one() -> None:
    if sys.version_info < (3, 12):
        assert PySide6.__version__ != "6.12.0", "PySide6 6.12.0 aborts Python 3.11"
