"""Work that must wait until a window has been shown and painted (so that it does not delay the first paint)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import shiboken6
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QLabel, QWidget

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


class DeferredLabelTexts:
    """The texts of hidden pages' labels, taken out before the first paint and put back later.

    A hidden page of a stacked widget still counts in the stack's size hint, so its labels' texts (word-wrapped
    Chinese) are laid out before the window's first paint; without them that paint comes ~6 ms sooner. `restore`
    puts them back (once; a label given another text meanwhile keeps it): after the first paint, and before
    anything shows or builds one of those pages.
    """

    def __init__(self, pages: Iterable[QWidget | None]) -> None:
        self._texts: list[tuple[QLabel, str]] = []
        for page in pages:
            for label in page.findChildren(QLabel) if page is not None else ():
                if label.text():
                    self._texts.append((label, label.text()))
                    label.setText("")

    def restore(self) -> None:
        """Put the texts back (a no-op after the first call)."""
        texts, self._texts = self._texts, []
        for label, text in texts:
            if shiboken6.isValid(label) and not label.text():
                label.setText(text)
