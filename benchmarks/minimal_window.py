"""The baseline of benchmarks/desktop.py's start time: a bare PySide6 main window, shown, painted once, then quit.

"Ready" means what it means for e访通's main window (`--quit-after-ready`): the window shown and its first paint
done; the event loop then quits and the process exits.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


class _QuitAfterFirstPaint(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, QApplication.quit)
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
