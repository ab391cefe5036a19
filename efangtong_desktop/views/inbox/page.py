"""The 待办 page's controller: loads the queues off the GUI thread, shows one queue at a time, opens cases.

Layout in `ui/inbox_page.ui`; the queries in `efangtong_desktop.services.inbox`. The page reloads when shown, after a
sync finishes, on a timer (deadlines move at midnight) and with 刷新.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import QHeaderView, QLabel, QWidget

from efangtong_core.case_states import PetitionState
from efangtong_desktop.context import AppContext
from efangtong_desktop.forms.ui_inbox_page import Ui_InboxPage
from efangtong_desktop.forms.ui_main_window import Ui_MainWindow
from efangtong_desktop.services.inbox import Inbox, InboxUser, Queue, china_today, load_inbox, queues_for
from efangtong_desktop.services.sync_service import SyncService, SyncStatus
from efangtong_desktop.views.inbox import texts
from efangtong_desktop.views.inbox.model import (
    DEADLINE_COLUMN,
    PETITION_ID_ROLE,
    UNIT_COLUMN,
    InboxFilter,
    InboxTableModel,
)

REFRESH_INTERVAL_MS = 5 * 60 * 1000
UNIT_QUEUES = (Queue.SIGN_FOR, Queue.HANDLING, Queue.EXTENSIONS, Queue.REPLIES)


def _say(label: QLabel, text: str) -> None:
    """Show `text` in `label`, hiding the label while there is nothing to say."""
    label.setText(text)
    label.setVisible(bool(text))


def _open_case(context: AppContext, petition_id: str, parent: QWidget) -> None:
    from efangtong_desktop.views.case import show_case  # the case view is built by its own package

    show_case(context, petition_id, parent)


class InboxPage(QWidget):
    """The signed-in user's queues (tabs with counts) and the cases of the chosen one."""

    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        sync_service: SyncService | None = None,
        today: Callable[[], date] = china_today,
        refresh_interval_ms: int = REFRESH_INTERVAL_MS,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.today = today
        self.open_case: Callable[[str], None] = lambda petition_id: _open_case(context, petition_id, self)
        self.ui = Ui_InboxPage()
        self.ui.setupUi(self)
        self.inbox: Inbox | None = None
        self.queues: list[Queue] = []
        self.loading = False
        self._reload_again = False
        self.loaded_at: datetime | None = None
        self.model = InboxTableModel(self)
        self.proxy = InboxFilter(self)
        self.proxy.setSourceModel(self.model)
        self._setup_table()
        self._setup_filters()
        self.ui.queueTabs.setExpanding(False)
        self.ui.queueTabs.currentChanged.connect(self._show_current_queue)
        self.ui.refreshButton.clicked.connect(self.refresh)
        self.ui.printButton.clicked.connect(self.print_selected)
        self.timer = QTimer(self)
        self.timer.setInterval(refresh_interval_ms)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        if sync_service is not None:
            sync_service.status_changed.connect(self._sync_status_changed)
        _say(self.ui.messageLabel, "")
        _say(self.ui.updatedLabel, "")
        self._build_tabs()

    # -- setup ------------------------------------------------------------------------------------------------------

    def _setup_table(self) -> None:
        table = self.ui.caseTable
        table.setModel(self.proxy)
        table.sortByColumn(DEADLINE_COLUMN, Qt.SortOrder.AscendingOrder)
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for column, width in enumerate((185, 80, 240, 95, 100, 95, 110, 95, 95, 170)):
            table.setColumnWidth(column, width)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        table.doubleClicked.connect(self._activated)
        table.installEventFilter(self)

    def _setup_filters(self) -> None:
        self.ui.stateFilter.addItem(texts.ALL_STATES, None)
        for state in PetitionState:
            self.ui.stateFilter.addItem(state.label, state.value)
        self.ui.townFilter.addItem(texts.ALL_TOWNS, None)
        self.ui.categoryFilter.addItem(texts.ALL_CATEGORIES, None)
        for combo in (self.ui.stateFilter, self.ui.townFilter, self.ui.categoryFilter):
            combo.currentIndexChanged.connect(self._apply_filters)
        self.ui.overdueOnly.toggled.connect(self._apply_filters)

    def _build_tabs(self) -> None:
        signed_in = self.context.signed_in
        self.queues = queues_for(signed_in.roles) if signed_in else []
        tabs = self.ui.queueTabs
        tabs.blockSignals(True)
        while tabs.count():
            tabs.removeTab(0)
        for queue in self.queues:
            tabs.addTab(texts.TAB_LABEL.format(label=queue.label, count="…"))
        tabs.blockSignals(False)
        tabs.setVisible(bool(self.queues))
        self._show_current_queue()

    # -- loading ----------------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload every queue from the replica in the background (once more afterwards if one load is running)."""
        signed_in = self.context.signed_in
        if signed_in is None or not self.queues:
            self._build_tabs()
            return
        if self.loading:
            self._reload_again = True
            return
        self.loading = True
        _say(self.ui.updatedLabel, texts.LOADING)
        user = InboxUser(unit_id=signed_in.org_unit_id, roles=signed_in.roles)
        today = self.today()

        def work() -> Inbox:
            with self.context.session_factory() as session:
                return load_inbox(session, user=user, today=today)

        self.context.tasks.run(work, self._loaded, self._failed, owner=self)

    def _loaded(self, inbox: Inbox) -> None:
        self.loading = False
        self.inbox = inbox
        self.loaded_at = datetime.now()
        _say(self.ui.messageLabel, "")
        _say(self.ui.updatedLabel, texts.UPDATED.format(time=self.loaded_at.strftime("%H:%M:%S")))
        for position, queue in enumerate(self.queues):
            self.ui.queueTabs.setTabText(position, texts.TAB_LABEL.format(label=queue.label, count=inbox.count(queue)))
        self._fill_choices(inbox)
        self._show_current_queue()
        self._reload_when_asked()

    def _failed(self, error: Exception) -> None:
        self.loading = False
        _say(self.ui.updatedLabel, "")
        _say(self.ui.messageLabel, texts.LOAD_FAILED.format(error=error))
        self._reload_when_asked()

    def _reload_when_asked(self) -> None:
        if self._reload_again:
            self._reload_again = False
            self.refresh()

    def _sync_status_changed(self, status: SyncStatus) -> None:
        if not status.running and status.last_success is not None:
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        """Reload whenever the page comes into view."""
        super().showEvent(event)
        self.refresh()

    # -- showing ----------------------------------------------------------------------------------------------------

    @property
    def current_queue(self) -> Queue | None:
        """The queue of the selected tab."""
        position = self.ui.queueTabs.currentIndex()
        return self.queues[position] if 0 <= position < len(self.queues) else None

    def select_queue(self, queue: Queue) -> None:
        """Show the tab of `queue`."""
        self.ui.queueTabs.setCurrentIndex(self.queues.index(queue))

    def _show_current_queue(self, *_: object) -> None:
        queue = self.current_queue
        items = self.inbox.queues.get(queue, []) if self.inbox is not None and queue is not None else []
        self.model.set_items(items)
        # A unit's own queues all have the unit as lead: its column would only repeat the unit's name.
        self.ui.caseTable.setColumnHidden(UNIT_COLUMN, queue in UNIT_QUEUES)
        self._update_empty_text()

    def _fill_choices(self, inbox: Inbox) -> None:
        items = [item for queue_items in inbox.queues.values() for item in queue_items]
        for combo, values in (
            (self.ui.townFilter, sorted({item.town for item in items if item.town})),
            (self.ui.categoryFilter, sorted({item.category for item in items if item.category})),
        ):
            chosen = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for value in values:
                combo.addItem(value, value)
            combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen is not None else 0)
            combo.blockSignals(False)
        self._apply_filters()

    def _apply_filters(self, *_: object) -> None:
        self.proxy.set_filters(
            state=self.ui.stateFilter.currentData(),
            town=self.ui.townFilter.currentData(),
            category=self.ui.categoryFilter.currentData(),
            overdue_only=self.ui.overdueOnly.isChecked(),
        )
        self._update_empty_text()

    def _update_empty_text(self) -> None:
        if self.context.signed_in is None:
            text = texts.NOT_SIGNED_IN
        elif not self.queues:
            text = texts.NO_QUEUES
        elif self.inbox is None:
            text = texts.LOADING
        elif self.model.rowCount() == 0:
            queue = self.current_queue
            text = texts.EMPTY_QUEUE.format(label=queue.label) if queue else ""
        elif self.proxy.rowCount() == 0:
            text = texts.EMPTY_FILTERED
        else:
            text = ""
        self.ui.emptyLabel.setText(text)
        self.ui.emptyLabel.setVisible(bool(text))
        self.ui.caseTable.setVisible(not text)

    def visible_petition_ids(self) -> list[str]:
        """The petition ids shown, top to bottom (after filters and sorting)."""
        return [self.proxy.index(row, 0).data(PETITION_ID_ROLE) for row in range(self.proxy.rowCount())]

    # -- acting -----------------------------------------------------------------------------------------------------

    def selected_petition_id(self) -> str | None:
        """The petition of the current row, or None."""
        index = self.ui.caseTable.currentIndex()
        return index.data(PETITION_ID_ROLE) if index.isValid() else None

    def _activated(self, index: QModelIndex) -> None:
        petition_id = index.data(PETITION_ID_ROLE)
        if petition_id:
            self.open_case(petition_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter or Return on the table opens the current case."""
        if watched is self.ui.caseTable and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                index = self.ui.caseTable.currentIndex()
                if index.isValid():
                    self._activated(index)
                    return True
        return super().eventFilter(watched, event)

    def print_selected(self) -> None:
        """Print the latest notice of the selected case (preview first)."""
        from efangtong_desktop.views.inbox.notice_print import print_latest_notice

        petition_id = self.selected_petition_id()
        if petition_id is None:
            _say(self.ui.messageLabel, texts.PRINT_NO_SELECTION)
            return
        _say(self.ui.messageLabel, "")
        print_latest_notice(self.context, petition_id, self, on_problem=lambda text: _say(self.ui.messageLabel, text))


def install_on_todo_page(
    context: AppContext, window_ui: Ui_MainWindow, sync_service: SyncService | None = None
) -> InboxPage:
    """Replace the 待办 page's placeholder card with the inbox."""
    layout = window_ui.pageLayoutTodo
    window_ui.cardTodo.hide()
    layout.removeItem(window_ui.pageSpacerTodo)
    page = InboxPage(context, window_ui.pageTodo, sync_service=sync_service)
    window_ui.subtitleTodo.setText(texts.PAGE_SUBTITLE)
    layout.addWidget(page, 1)
    return page
