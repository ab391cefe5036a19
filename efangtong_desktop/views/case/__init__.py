"""The case view (案件): header, timeline of events, attachments and the actions the lifecycle allows.

`show_case` is the one entry point other pages (查询, 待办, 信访人) call to open a case.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from efangtong_desktop.context import AppContext

_open_windows: dict[str, QWidget] = {}


def show_case(context: AppContext, petition_id: str, parent: QWidget | None = None) -> QWidget:
    """Open the non-modal case window of `petition_id`, or raise it when it is already open; return the window."""
    window = _open_windows.get(petition_id)
    if window is not None:
        try:
            window.show()
            window.raise_()
            window.activateWindow()
            return window
        except RuntimeError:  # the C++ window is gone
            _open_windows.pop(petition_id, None)
    window = QWidget(parent)
    window.setWindowFlag(Qt.WindowType.Window, True)
    window.setWindowTitle("案件")
    layout = QVBoxLayout(window)
    layout.addWidget(QLabel(petition_id, window))
    window.destroyed.connect(lambda *_: _open_windows.pop(petition_id, None))
    _open_windows[petition_id] = window
    window.show()
    return window
