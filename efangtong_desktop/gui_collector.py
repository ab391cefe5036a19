"""Cyclic garbage collection on the GUI thread only (as Anki's aqt does).

Python's collector runs in whichever thread allocates when a generation's threshold is crossed. When that is a
worker (a sync, a search, a card read) and the garbage holds an object of the GUI thread — a widget or a timer left
in a reference cycle — its destructor runs in the worker: Qt cannot unregister the object's timers from there, and a
later timer event reaches freed memory (a crash in QTimerInfoList::activateTimers). So automatic collection is off,
and a timer on the GUI thread collects each generation once its threshold is passed, as the automatic collector
would, only in the right thread.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

INTERVAL_MS = 1000
"""How often the GUI thread looks at the collector's counts."""


def collect_due() -> int:
    """Collect the generations whose thresholds are passed, youngest first, as the automatic collector would, in the
    calling thread; returns how many objects were freed."""
    young, middle, old = gc.get_count()
    first, second, third = gc.get_threshold()
    freed = 0
    if young > first:
        freed += gc.collect(0)
        if middle > second:
            freed += gc.collect(1)
            if old > third:
                freed += gc.collect(2)
    return freed


class GuiThreadCollector(QObject):
    """Turns automatic collection off and collects what is due on the GUI thread, every INTERVAL_MS."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(collect_due)
        self._timer.start()


def collect_on_gui_thread(app: QCoreApplication) -> GuiThreadCollector:
    """The application's GUI-thread collector, made on first call (call it on the GUI thread)."""
    existing = app.findChild(GuiThreadCollector)
    return existing if isinstance(existing, GuiThreadCollector) else GuiThreadCollector(app)
