"""Work that must wait until a window has been shown and painted (so that it does not delay the first paint)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

FIRST_PAINT_FALLBACK_MS = 2000
"""After-paint work runs at the latest this long after it was added (for a window that is never painted)."""


class FirstPaintWatch(QObject):
    """Runs callbacks once `widget` has been painted for the first time (or after a fallback delay)."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.painted = False
        self._callbacks: list[Callable[[], None]] = []
        widget.installEventFilter(self)
        self._fallback = QTimer(self)
        self._fallback.setSingleShot(True)
        self._fallback.timeout.connect(self._run)

    def add(self, callback: Callable[[], None]) -> None:
        """Run `callback` after the first paint: from the event loop, in the order added."""
        self._callbacks.append(callback)
        if self.painted:
            QTimer.singleShot(0, self, self._run)
        elif not self._fallback.isActive():
            self._fallback.start(FIRST_PAINT_FALLBACK_MS)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Notice the first paint; the callbacks run once this paint (children included) is done."""
        if not self.painted and event.type() == QEvent.Type.Paint:
            self.painted = True
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self._run)
        return False

    def _run(self) -> None:
        self._fallback.stop()
        callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            callback()
