"""The baseline of benchmarks/desktop.py's start time: a bare PySide6 main window, shown, painted once, then quit.

"Ready" means what it means for e访通's main window (`benchmarks/start_app.py`): the window shown and its first paint
done, the event loop running again (from a zero timer started by that paint, as `after_first_paint` runs). Then it
prints "painted <CPU seconds so far>" and "ready <CPU seconds so far>" (a bare window has no data to load: both are
the same point), the event loop quits and the process exits.
"""

from __future__ import annotations

import resource
import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


def _report_ready_and_quit() -> None:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime
    print(f"painted {cpu:.6f}", flush=True)
    print(f"ready {cpu:.6f}", flush=True)
    QApplication.quit()


class _QuitAfterFirstPaint(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, _report_ready_and_quit)
        return False


def main() -> int:
    """Show the bare window, quit once it is painted."""
    app = QApplication(sys.argv)
    window = QMainWindow()
    window.resize(1366, 768)
    watch = _QuitAfterFirstPaint(window)
    window.installEventFilter(watch)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
