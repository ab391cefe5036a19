"""The big screen emits signals for hours: the Qt binding must not leak references on emit (PySide6 6.12.0 did)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication


class _Emitter(QObject):
    fired = Signal()


def test_signal_emit_keeps_the_reference_count_of_true(qapp: QApplication) -> None:
    emitter = _Emitter()
    emitter.fired.connect(lambda: None)
    before = sys.getrefcount(True)
    for _ in range(1000):
        emitter.fired.emit()
    assert sys.getrefcount(True) - before > -10, "Signal.emit() leaks: pin a PySide6 without the bug (not 6.12.0)"
