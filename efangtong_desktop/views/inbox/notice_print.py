"""打印文书 from the inbox: the latest notice-bearing event of the selected case, printed through its preview."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from efangtong_desktop.context import AppContext
from efangtong_desktop.services.notices import notice_events, print_notice
from efangtong_desktop.views.inbox import texts


def print_latest_notice(
    context: AppContext, petition_id: str, parent: QWidget, *, on_problem: Callable[[str], None]
) -> None:
    """Find the case's latest event with a notice (off the GUI thread) and open that notice's print preview."""

    def latest() -> str | None:
        with context.session_factory() as session:
            events = notice_events(session, petition_id)
        return events[-1][0] if events else None

    def chosen(event_id: str | None) -> None:
        if event_id is None:
            on_problem(texts.PRINT_NO_NOTICE)
            return
        print_notice(context, petition_id, event_id, parent, on_problem=on_problem)

    def failed(error: Exception) -> None:
        on_problem(texts.PRINT_FAILED.format(error=error))

    context.tasks.run(latest, chosen, failed, owner=parent)
