"""The 查询 page driven like a clerk: type, wait for the hits, filter, see masking by role, open a case with Enter."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from efangtong_desktop.context import AppContext
from efangtong_desktop.services.api_client import SignedInUser
from efangtong_desktop.services.search import PAGE_SIZE
from efangtong_desktop.views.search import page as search_page
from efangtong_desktop.views.search.page import SearchPage
from tests.desktop.search.conftest import Places, RegisterFn

WAIT_MS = 10_000


def _sign_in(context: AppContext, *roles: str) -> None:
    context.signed_in = SignedInUser("u1", "u1", "测试员", "unit", "伊金霍洛旗信访局", tuple(roles), False)


def _page(qtbot: QtBot, context: AppContext) -> SearchPage:
    page = SearchPage(context)
    qtbot.addWidget(page)
    page.resize(1300, 600)
    return page


def _type(qtbot: QtBot, page: SearchPage, text: str) -> None:
    """Type `text`: key by key when ASCII, as an input method's commit when Chinese (QTest has no such keys)."""
    if text.isascii():
        qtbot.keyClicks(page.ui.queryEdit, text)
    else:
        page.ui.queryEdit.insert(text)


def _search(qtbot: QtBot, page: SearchPage, text: str | None = None) -> int:
    with qtbot.waitSignal(page.searched, timeout=WAIT_MS) as blocker:
        if text is None:
            page.search()
        else:
            page.ui.queryEdit.clear()
            _type(qtbot, page, text)
            qtbot.keyClick(page.ui.queryEdit, Qt.Key.Key_Return)
    count = blocker.args[0]
    assert isinstance(count, int)
    return count


def _cell(page: SearchPage, row: int, column: int) -> str:
    return str(page.model.index(row, column).data())


def test_typing_finds_by_each_kind_of_field(qtbot: QtBot, context: AppContext, register: RegisterFn) -> None:
    _sign_in(context, "clerk")
    register(
        name="王小明",
        initials="wxm",
        id_number="150627198503071233",
        phones=["13912349876"],
        query_code="ABCD2345",
        content="房屋拆迁补偿问题",
    )
    register(name="李四", initials="ls", id_number="150627199001011234", phones=["13800001111"], content="工资拖欠")
    page = _page(qtbot, context)
    for text, name in [
        ("wxm", "王小明"),
        ("1233", "王小明"),
        ("13800001111", "李四"),
        ("拆迁", "王小明"),
        ("ABCD2345", "王小明"),
        ("工资", "李四"),
        ("150627199001011234", "李四"),
    ]:
        assert _search(qtbot, page, text) == 1, text
        assert _cell(page, 0, 3) == name
    assert page.ui.countLabel.text() == "共 1 件"
    assert _cell(page, 0, 4) == "150627199001011234"  # a clerk sees the full number


def test_typing_searches_after_a_pause_without_enter(qtbot: QtBot, context: AppContext, register: RegisterFn) -> None:
    register(name="王小明", initials="wxm")
    register(name="李四", initials="ls")
    page = _page(qtbot, context)
    with qtbot.waitSignal(page.searched, timeout=WAIT_MS) as blocker:
        _type(qtbot, page, "李四")
    assert blocker.args == [1]


def test_roles_that_need_no_personal_data_see_it_masked(
    qtbot: QtBot, context: AppContext, register: RegisterFn
) -> None:
    register(id_number="150627198503071233", phones=["13912349876"])
    _sign_in(context, "inspector")
    page = _page(qtbot, context)
    assert _search(qtbot, page, "") == 1
    assert (_cell(page, 0, 4), _cell(page, 0, 5)) == ("150627********1233", "139****9876")
    assert "遮盖" in page.ui.messageLabel.text()
    _sign_in(context, "dispatcher")
    _search(qtbot, page)
    assert (_cell(page, 0, 4), _cell(page, 0, 5)) == ("150627198503071233", "13912349876")


def test_filters_narrow_the_hits(qtbot: QtBot, context: AppContext, register: RegisterFn, places: Places) -> None:
    register(town_id=places.town, form="letter")
    register(town_id=places.other_town, form="visit")
    page = _page(qtbot, context)
    assert _search(qtbot, page, "") == 2
    qtbot.waitUntil(lambda: page.ui.townCombo.count() == 3, timeout=WAIT_MS)
    page.ui.townCombo.setCurrentIndex(page.ui.townCombo.findData(places.other_town))
    assert _search(qtbot, page) == 1
    assert _cell(page, 0, 8) == "红庆河镇"
    page.ui.formCombo.setCurrentIndex(page.ui.formCombo.findData("letter"))
    assert _search(qtbot, page) == 0
    assert page.ui.countLabel.text() == "没有符合条件的信访件"
    with qtbot.waitSignal(page.searched, timeout=WAIT_MS):
        page.ui.resetButton.click()
    assert page.model.rowCount() == 2


def test_reversed_date_range_is_refused_and_keeps_the_hits(
    qtbot: QtBot, context: AppContext, register: RegisterFn
) -> None:
    register()
    page = _page(qtbot, context)
    assert _search(qtbot, page, "") == 1
    page.ui.dateCheck.setChecked(True)
    page.ui.dateFromEdit.setDate(page.ui.dateToEdit.date().addDays(1))
    page.search()
    assert "起始日期晚于截止日期" in page.ui.messageLabel.text()
    assert page.model.rowCount() == 1


def test_unrecognised_query_gives_a_message(qtbot: QtBot, context: AppContext, register: RegisterFn) -> None:
    register()
    page = _page(qtbot, context)
    _search(qtbot, page, "")
    page.ui.queryEdit.setText("？！")
    page.search()
    qtbot.waitUntil(lambda: "无法识别" in page.ui.messageLabel.text(), timeout=WAIT_MS)
    assert page.model.rowCount() == 1


def test_enter_and_double_click_open_the_case(
    qtbot: QtBot, context: AppContext, register: RegisterFn, monkeypatch: pytest.MonkeyPatch
) -> None:
    wanted = register(name="王小明", initials="wxm")
    register(name="李四", initials="ls")
    opened: list[str] = []

    def fake_show_case(ctx: AppContext, petition_id: str, parent: QWidget | None = None) -> QWidget:
        opened.append(petition_id)
        return QWidget()

    monkeypatch.setattr("efangtong_desktop.views.case.show_case", fake_show_case)
    page = _page(qtbot, context)
    page.show()
    assert _search(qtbot, page, "王小明") == 1
    qtbot.keyClick(page.ui.queryEdit, Qt.Key.Key_Down)  # keyboard: from the box to the first hit
    assert page.ui.resultsView.hasFocus() or page.ui.resultsView.currentIndex().row() == 0
    qtbot.keyClick(page.ui.resultsView, Qt.Key.Key_Return)
    assert opened == [wanted]
    page.open_row(0)
    assert opened == [wanted, wanted]


def test_windows_load_on_demand(qtbot: QtBot, context: AppContext, register: RegisterFn) -> None:
    for _ in range(PAGE_SIZE + 5):
        register(content="工资")
    page = _page(qtbot, context)
    assert _search(qtbot, page, "工资") == PAGE_SIZE + 5
    assert page.model.loaded_windows == 1
    assert page.model.index(PAGE_SIZE + 2, 0).data() == "…"  # asks for the second window
    qtbot.waitUntil(lambda: page.model.loaded_windows == 2, timeout=WAIT_MS)
    assert page.model.index(PAGE_SIZE + 2, 3).data() == "张三"


def test_installed_on_the_main_window(qtbot: QtBot, context: AppContext, tmp_path: Path) -> None:
    from efangtong_desktop.views.main_window import MainWindow

    window = MainWindow(context)
    qtbot.addWidget(window)
    assert isinstance(window.search_page, SearchPage)
    assert not window.ui.cardSearch.isVisible()
    assert window.ui.subtitleSearch.text() == search_page.texts.PAGE_SUBTITLE


def test_overdue_cases_are_marked_and_filtered(qtbot: QtBot, context: AppContext, register: RegisterFn) -> None:
    late = register(state="in_progress", deadline=date(2020, 1, 6))
    register(state="closed", deadline=date(2020, 1, 6))
    page = _page(qtbot, context)
    assert _search(qtbot, page, "") == 2
    page.ui.overdueCheck.setChecked(True)
    assert _search(qtbot, page) == 1
    state = page.model.index(0, 9)
    assert state.data(Qt.ItemDataRole.UserRole) == late
    assert state.data(Qt.ItemDataRole.ForegroundRole) is not None
    assert "2020-01-06" in state.data(Qt.ItemDataRole.ToolTipRole)


def test_rows_pulled_by_a_sync_are_indexed_when_it_finishes(
    qtbot: QtBot, context: AppContext, register: RegisterFn, pull_row: RegisterFn
) -> None:
    from efangtong_desktop.services import search_index
    from efangtong_desktop.services.sync_service import SyncStatus

    register()
    page = _page(qtbot, context)
    assert _search(qtbot, page, "") == 1
    pull_row(name="周十", initials="zs", content="草牧场")
    page.index_after_sync(SyncStatus(online=True, running=True))
    assert not page._indexing, "nothing while the sync runs"
    page.index_after_sync(SyncStatus(online=True))
    qtbot.waitUntil(lambda: not page._indexing, timeout=WAIT_MS)
    with context.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM search_dirty").scalar() == 0
    assert search_index.is_built(context.engine)
    assert _search(qtbot, page, "草牧场") == 1


def test_searches_asked_for_while_one_runs_are_folded_into_the_latest(
    qtbot: QtBot, context: AppContext, register: RegisterFn
) -> None:
    register(name="王小明", initials="wxm")
    register(name="李四", initials="ls")
    page = _page(qtbot, context)
    shown: list[int] = []
    page.searched.connect(shown.append)
    for text in ("王小明", "wxm", "李四"):
        page.ui.queryEdit.setText(text)
        page.search()
    assert page._search_pending and page._rerun  # one search runs; the others wait as one
    qtbot.waitUntil(lambda: not page._search_pending and len(shown) == 1, timeout=WAIT_MS)
    assert _cell(page, 0, 3) == "李四"
