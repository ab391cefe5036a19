"""Rows a sync pulls are indexed in the background even before the 查询 page is built (it is built on first use)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from efangtong_desktop.context import AppContext
from efangtong_desktop.services import search_index
from efangtong_desktop.services.sync_service import SyncStatus
from efangtong_desktop.views.main_window import SEARCH_PAGE, MainWindow
from tests.desktop.search.conftest import RegisterFn

WAIT_MS = 10_000


def _dirty(context: AppContext) -> int:
    with context.engine.connect() as connection:
        return int(connection.exec_driver_sql("SELECT count(*) FROM search_dirty").scalar_one())


def test_a_finished_sync_indexes_the_pulled_rows_without_building_the_page(
    qtbot: QtBot, context: AppContext, pull_row: RegisterFn
) -> None:
    window = MainWindow(context)
    qtbot.addWidget(window)
    service = window.sync_service
    pull_row(name="周十", initials="zs", content="草牧场")
    service.status_changed.emit(SyncStatus(online=True, running=True))
    assert not search_index.is_built(context.engine), "nothing while the sync runs"
    service.status_changed.emit(SyncStatus(online=True))
    qtbot.waitUntil(lambda: search_index.is_built(context.engine) and _dirty(context) == 0, timeout=WAIT_MS)
    assert not window.is_page_built(SEARCH_PAGE)
    page = window.search_page  # built later: its first search finds the row at once
    with qtbot.waitSignal(page.searched, timeout=WAIT_MS):
        page.ui.queryEdit.setText("草牧场")
        page.search()
    assert page.model.rowCount() == 1
