"""The 待办 page (pytest-qt): tabs with counts per role, deadline colours at a frozen date, filters, sorting, Enter."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from efangtong_desktop.context import AppContext
from efangtong_desktop.services.inbox import Queue
from efangtong_desktop.services.sync_service import SyncService, SyncStatus
from efangtong_desktop.views.inbox import InboxPage
from efangtong_desktop.views.inbox.model import COUNTDOWN_COLUMN, PETITION_ID_ROLE, URGENCY_ROLE
from tests.desktop.inbox.cases import TODAY, Replica, build_replica


def _page(context: AppContext, qtbot: QtBot, *roles: str, unit: str | None = None) -> tuple[InboxPage, Replica]:
    with context.session_factory() as session:
        replica = build_replica(session)
    context.signed_in = replica.user(*roles, unit=unit)
    page = InboxPage(context, today=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1200, 600)
    page.show()
    qtbot.waitUntil(lambda: page.inbox is not None and not page.loading, timeout=10000)
    return page, replica


def _names(page: InboxPage, replica: Replica) -> list[str]:
    by_id = {petition_id: name for name, petition_id in replica.cases.items()}
    return [by_id[petition_id] for petition_id in page.visible_petition_ids()]


def _tabs(page: InboxPage) -> list[str]:
    return [page.ui.queueTabs.tabText(position) for position in range(page.ui.queueTabs.count())]


def test_unit_head_tabs_counts_and_deadline_colours(context: AppContext, qtbot: QtBot) -> None:
    page, replica = _page(context, qtbot, "unit_head")
    assert _tabs(page) == ["待签收（1）", "办理中（5）", "延期待审批（1）", "答复待审批（1）"]
    page.select_queue(Queue.HANDLING)
    assert _names(page, replica) == ["已超期", "今日到期", "办理中", "答复审批", "延期审批"]
    urgencies = [page.proxy.index(row, COUNTDOWN_COLUMN).data(URGENCY_ROLE) for row in range(page.proxy.rowCount())]
    assert urgencies == ["overdue", "today", "normal", "normal", "normal"]
    colours = [page.proxy.index(row, COUNTDOWN_COLUMN).data(Qt.ItemDataRole.BackgroundRole) for row in range(3)]
    assert [brush.color().name() if brush else None for brush in colours] == ["#ffc9c9", "#ffd8a8", None]
    assert page.proxy.index(0, COUNTDOWN_COLUMN).data() == "超期 2 天"
    page.select_queue(Queue.SIGN_FOR)
    assert page.proxy.index(0, COUNTDOWN_COLUMN).data(URGENCY_ROLE) == "near"  # one working day before National Day
    assert page.proxy.index(0, COUNTDOWN_COLUMN).data(Qt.ItemDataRole.BackgroundRole).color().name() == "#fff3bf"


def test_filters_and_sorting(context: AppContext, qtbot: QtBot) -> None:
    page, replica = _page(context, qtbot, "handler")
    page.select_queue(Queue.HANDLING)
    page.ui.overdueOnly.setChecked(True)
    assert _names(page, replica) == ["已超期"]
    page.ui.overdueOnly.setChecked(False)
    page.ui.categoryFilter.setCurrentIndex(page.ui.categoryFilter.findText("劳动社保"))
    assert _names(page, replica) == ["办理中"]
    page.ui.categoryFilter.setCurrentIndex(0)
    page.ui.stateFilter.setCurrentIndex(page.ui.stateFilter.findData("reply_pending"))
    assert _names(page, replica) == ["答复审批"]
    towns = [page.ui.townFilter.itemText(position) for position in range(page.ui.townFilter.count())]
    assert towns == ["全部属地", "阿勒腾席热镇"]  # the towns of the user's cases
    page.ui.overdueOnly.setChecked(True)
    assert _names(page, replica) == [] and page.ui.emptyLabel.text() == "没有符合筛选条件的信访件。"
    page.ui.overdueOnly.setChecked(False)
    page.ui.stateFilter.setCurrentIndex(0)
    page.ui.caseTable.sortByColumn(COUNTDOWN_COLUMN, Qt.SortOrder.DescendingOrder)
    assert _names(page, replica) == ["延期审批", "答复审批", "办理中", "今日到期", "已超期"]
    page.ui.caseTable.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert _names(page, replica) == ["办理中", "今日到期", "已超期", "延期审批", "答复审批"]


def test_enter_and_double_click_open_the_case(context: AppContext, qtbot: QtBot) -> None:
    page, replica = _page(context, qtbot, "dispatcher", unit=None)
    opened: list[str] = []
    page.open_case = opened.append
    assert _tabs(page) == ["待分办（1）", "异议退回（1）", "复查复核（0）", "督办中（1）", "已超期（1）"]
    page.select_queue(Queue.MISROUTED)
    table = page.ui.caseTable
    table.setFocus()
    table.setCurrentIndex(page.proxy.index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert opened == [replica.cases["异议退回"]]
    page.select_queue(Queue.REVIEWS)
    assert page.ui.emptyLabel.text() == "「复查复核」中没有信访件。" and not table.isVisibleTo(page)
    page.select_queue(Queue.SUPERVISED)
    index = page.proxy.index(0, 2)
    table.doubleClicked.emit(index)
    assert opened[-1] == replica.cases["督办"] == index.data(PETITION_ID_ROLE)


def test_reloads_after_a_sync(context: AppContext, qtbot: QtBot) -> None:
    with context.session_factory() as session:
        replica = build_replica(session)
    context.signed_in = replica.user("handler")
    sync = SyncService(context)
    page = InboxPage(context, sync_service=sync, today=lambda: TODAY)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.inbox is not None and not page.loading, timeout=10000)
    first = page.inbox
    sync.status_changed.emit(SyncStatus(online=True, running=True))  # a sync starting: nothing to reload yet
    assert page.inbox is first and not page.loading
    sync.status_changed.emit(SyncStatus(online=True, last_success=datetime.now(UTC)))
    qtbot.waitUntil(lambda: page.inbox is not first and not page.loading, timeout=10000)


def test_roles_without_queues_and_no_user(context: AppContext, qtbot: QtBot) -> None:
    page = InboxPage(context, today=lambda: TODAY)
    qtbot.addWidget(page)
    assert page.ui.emptyLabel.text() == "请先登录，登录后这里列出本单位需要处理的信访件。"
    with context.session_factory() as session:
        replica = build_replica(session)
    context.signed_in = replica.user("clerk")
    page.refresh()
    assert _tabs(page) == [] and not page.loading
    assert page.ui.emptyLabel.text().startswith("当前账号的角色没有待办事项")
