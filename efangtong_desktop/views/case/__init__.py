"""The case view (案件): header, timeline of events, attachments and the actions the lifecycle allows.

`show_case` is the one entry point other pages (查询, 待办, 信访人) call to open a case.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import QWidget

from efangtong_desktop.context import AppContext

_open_windows: dict[str, QWidget] = {}


def show_case(context: AppContext, petition_id: str, parent: QWidget | None = None) -> QWidget:
    """Open the non-modal case window of `petition_id`, or raise it when it is already open; return the window."""
    from efangtong_desktop.views.case.window import CaseWindow

    window = _open_windows.get(petition_id)
    if window is not None and shiboken6.isValid(window) and window.isVisible():
        window.showNormal()
        window.raise_()
        window.activateWindow()
        return window
    window = CaseWindow(context, petition_id, parent)
    window.destroyed.connect(lambda *_: _open_windows.pop(petition_id, None))
    _open_windows[petition_id] = window
    window.resize(1200, 720)
    window.show()
    return window
