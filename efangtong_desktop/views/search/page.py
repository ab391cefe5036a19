"""The 查询 page: one query box, filters, a virtual table of hits; Enter or a double click opens the case.

Layout in `ui/search_page.ui`; searching in `efangtong_desktop.services.search`, run off the GUI thread. Typing
searches after a short pause (debounced); Enter searches at once. ID numbers and phones are masked unless the
signed-in user's roles need them (`efangtong_core.masking.sees_personal_data`).
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QHeaderView, QWidget

from efangtong_core.case_states import PetitionState
from efangtong_core.masking import sees_personal_data
from efangtong_core.vocabulary import PetitionForm
from efangtong_desktop.context import AppContext
from efangtong_desktop.forms.ui_main_window import Ui_MainWindow
from efangtong_desktop.forms.ui_search_page import Ui_SearchPage
from efangtong_desktop.services import search_index
from efangtong_desktop.services.search import (
    FilterOptions,
    SearchFilters,
    SearchHit,
    SearchRequest,
    SearchService,
    load_filter_options,
)
from efangtong_desktop.views.feedback import describe, restyle
from efangtong_desktop.views.search import texts
from efangtong_desktop.views.search.model import SearchResultsModel

DEBOUNCE_MS = 300
COLUMN_WIDTHS = (175, 85, 120, 65, 150, 115, 45, 90, 90, 110)


class _BuildProgress(QObject):
    """Carries the index build's progress from the worker thread to the GUI thread."""

    advanced = Signal(int, int)


class SearchPage(QWidget):
    """The search page's controller and widget."""

    searched = Signal(int)
    """Emitted with the hit count when a search's first window is shown."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.ui = Ui_SearchPage()
        self.ui.setupUi(self)
        self.service = SearchService(context.engine, unmasked=False)
        self.model = SearchResultsModel(context.tasks, self)
        self.model.window_failed.connect(self._show_failure)
        self.ui.resultsView.setModel(self.model)
        self._generation = 0
        self._searched_once = False
        self._indexing = False
        self._search_pending = False
        self._rerun = False
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.search)
        self._progress = _BuildProgress(self)
        self._progress.advanced.connect(self._show_build_progress)
        self.ui.countLabel.hide()
        self.ui.messageLabel.hide()
        self._set_up_table()
        self._set_up_filters()
        self._connect()
        self._load_filter_options()

    # -- set-up -------------------------------------------------------------------------------------------------------

    def _set_up_table(self) -> None:
        view = self.ui.resultsView
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate(COLUMN_WIDTHS):
            view.setColumnWidth(column, width)
        view.verticalHeader().setDefaultSectionSize(28)
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)

    def _set_up_filters(self) -> None:
        today = QDate.currentDate()
        self.ui.dateFromEdit.setDate(today.addMonths(-1))
        self.ui.dateToEdit.setDate(today)
        self.ui.formCombo.addItem(texts.ANY_FORM, None)
        for form in PetitionForm:
            self.ui.formCombo.addItem(form.label, form.value)
        self.ui.stateCombo.addItem(texts.ANY_STATE, None)
        for state in PetitionState:
            self.ui.stateCombo.addItem(state.label, state.value)
        self.ui.categoryCombo.addItem(texts.ANY_CATEGORY, None)
        self.ui.townCombo.addItem(texts.ANY_TOWN, None)

    def _connect(self) -> None:
        ui = self.ui
        ui.queryEdit.textChanged.connect(self._debounce.start)
        ui.queryEdit.returnPressed.connect(self.search)
        ui.searchButton.clicked.connect(self.search)
        ui.resetButton.clicked.connect(self.reset_filters)
        ui.dateCheck.toggled.connect(self._date_range_toggled)
        for edit in (ui.dateFromEdit, ui.dateToEdit):
            edit.dateChanged.connect(self._debounce.start)
        for combo in (ui.formCombo, ui.categoryCombo, ui.townCombo, ui.stateCombo):
            combo.currentIndexChanged.connect(self._debounce.start)
        ui.overdueCheck.toggled.connect(self._debounce.start)
        ui.resultsView.doubleClicked.connect(lambda index: self.open_row(index.row()))
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), ui.resultsView)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self.open_current)
        down = QShortcut(QKeySequence(Qt.Key.Key_Down), ui.queryEdit)
        down.setContext(Qt.ShortcutContext.WidgetShortcut)
        down.activated.connect(self._focus_results)

    def _load_filter_options(self) -> None:
        engine = self.context.engine
        self.context.tasks.run(
            lambda: load_filter_options(engine), self._fill_filter_options, lambda _e: None, owner=self
        )

    def _fill_filter_options(self, options: FilterOptions) -> None:
        for category_id, name, sub in options.categories:
            self.ui.categoryCombo.addItem(texts.SUB_CATEGORY_INDENT + name if sub else name, category_id)
        for town_id, name in options.towns:
            self.ui.townCombo.addItem(name, town_id)

    # -- the request --------------------------------------------------------------------------------------------------

    def request(self) -> SearchRequest:
        """The search the page's widgets describe."""
        ui = self.ui
        dated = ui.dateCheck.isChecked()
        filters = SearchFilters(
            date_from=ui.dateFromEdit.date().toPython() if dated else None,  # type: ignore[arg-type]
            date_to=ui.dateToEdit.date().toPython() if dated else None,  # type: ignore[arg-type]
            form=ui.formCombo.currentData(),
            category_id=ui.categoryCombo.currentData(),
            town_id=ui.townCombo.currentData(),
            state=ui.stateCombo.currentData(),
            overdue=ui.overdueCheck.isChecked(),
        )
        return SearchRequest(ui.queryEdit.text(), filters)

    def reset_filters(self) -> None:
        """Clear the query box and every filter, then search (everything, newest first)."""
        ui = self.ui
        for widget in (ui.queryEdit, ui.dateCheck, ui.formCombo, ui.categoryCombo, ui.townCombo, ui.stateCombo):
            widget.blockSignals(True)
        ui.queryEdit.clear()
        ui.dateCheck.setChecked(False)
        self._date_range_toggled(False)
        for combo in (ui.formCombo, ui.categoryCombo, ui.townCombo, ui.stateCombo):
            combo.setCurrentIndex(0)
        for widget in (ui.queryEdit, ui.dateCheck, ui.formCombo, ui.categoryCombo, ui.townCombo, ui.stateCombo):
            widget.blockSignals(False)
        ui.overdueCheck.setChecked(False)
        self.search()

    # -- searching ----------------------------------------------------------------------------------------------------

    def search(self) -> None:
        """Run the search the widgets describe, off the GUI thread; the newest search's answer wins."""
        self._debounce.stop()
        self._searched_once = True
        request = self.request()
        filters = request.filters
        if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
            self._show_message(texts.BAD_DATES, error=True)
            return
        if self._search_pending:  # one search at a time (a first index build may take minutes): the latest runs next
            self._rerun = True
            return
        self._generation += 1
        generation = self._generation
        signed_in = self.context.signed_in
        self.service.unmasked = sees_personal_data(signed_in.roles if signed_in else ())
        service, progress = self.service, self._progress

        def work() -> tuple[int, list[SearchHit]]:
            if not search_index.is_built(service.engine):
                progress.advanced.emit(0, 0)
            service.prepare(lambda done, total: progress.advanced.emit(done, total))
            count = service.count(request)
            return count, service.hits(service.keys(request))

        def shown(result: tuple[int, list[SearchHit]]) -> None:
            if generation != self._generation or self._run_again():
                return
            count, first = result
            self.model.show_result(service, request, count, first)
            self.ui.countLabel.setText(texts.COUNT.format(count=count) if count else texts.COUNT_NONE)
            self.ui.countLabel.show()
            self._show_message(texts.MASKED_NOTE if count and not service.unmasked else "")
            self.searched.emit(count)

        def failed(error: Exception) -> None:
            if generation == self._generation and not self._run_again():
                self._show_failure(describe(error))

        self._search_pending = True
        self._show_message(texts.SEARCHING)
        self.context.tasks.run(work, shown, failed, owner=self)

    def _run_again(self) -> bool:
        """The running search ended: start the one asked for meanwhile, if any; True when it was started."""
        self._search_pending = False
        if not self._rerun:
            return False
        self._rerun = False
        self.search()
        return True

    def index_after_sync(self, status: object) -> None:
        """After a sync finished, index the pulled rows in the background, so that the next search starts at once."""
        if getattr(status, "running", True) or self._indexing:
            return
        self._indexing = True
        service, progress = self.service, self._progress

        def work() -> int:
            return service.prepare(lambda done, total: progress.advanced.emit(done, total))

        def finished(_result: object) -> None:
            self._indexing = False

        self.context.tasks.run(work, finished, finished, owner=self)

    def open_current(self) -> None:
        """Open the case of the selected row (Enter)."""
        index = self.ui.resultsView.currentIndex()
        if index.isValid():
            self.open_row(index.row())

    def open_row(self, row: int) -> QWidget | None:
        """Open the case of `row` in its own window (CASE's show_case); None while the row is still loading."""
        hit = self.model.hit(row)
        if hit is None:
            return None
        from efangtong_desktop.views.case import show_case  # the case view loads only when a case is opened

        return show_case(self.context, hit.petition_id, parent=self.window())

    # -- feedback -----------------------------------------------------------------------------------------------------

    def _show_message(self, text: str, *, error: bool = False) -> None:
        self.ui.messageLabel.setText(text)
        self.ui.messageLabel.setVisible(bool(text))
        self.ui.messageLabel.setProperty("role", "formError" if error else "pageSubtitle")
        restyle(self.ui.messageLabel)

    def _show_failure(self, reason: str) -> None:
        self._show_message(
            reason if reason.endswith(("。", "！")) else texts.SEARCH_FAILED.format(reason=reason), error=True
        )

    def _show_build_progress(self, done: int, total: int) -> None:
        if total and done >= total:
            self._show_message(texts.SEARCHING if self._search_pending else "")
        elif total:
            self._show_message(texts.BUILDING_INDEX.format(done=done, total=total))
        else:
            self._show_message(texts.PREPARING_INDEX)

    def _date_range_toggled(self, checked: bool) -> None:
        self.ui.dateFromEdit.setEnabled(checked)
        self.ui.dateToEdit.setEnabled(checked)
        if not self.ui.dateCheck.signalsBlocked():
            self._debounce.start()

    def _focus_results(self) -> None:
        view = self.ui.resultsView
        if self.model.rowCount():
            view.setFocus()
            view.selectRow(max(0, view.currentIndex().row()))

    def showEvent(self, event: QShowEvent) -> None:
        """The first time the page is shown, list the newest petitions (building the index if there is none)."""
        super().showEvent(event)
        if not self._searched_once:
            QTimer.singleShot(0, self.search)


def install_on_search_page(context: AppContext, window_ui: Ui_MainWindow) -> SearchPage:
    """Replace the 查询 page's placeholder card with the search page."""
    layout = window_ui.pageLayoutSearch
    window_ui.cardSearch.hide()
    layout.removeItem(window_ui.pageSpacerSearch)
    page = SearchPage(context, window_ui.pageSearch)
    window_ui.subtitleSearch.setText(texts.PAGE_SUBTITLE)
    layout.addWidget(page, 1)
    return page
