"""The 信访人 page: search petitioners, open a profile (audited), edit contacts, open cases, export; plus analytics.

Layout in `ui/petitioners_page.ui`; the work in `efangtong_desktop.services.petitioner_records`, always off the GUI
thread (context.tasks). Every answer carries the generation of the request that asked for it, so a late answer to
an older search or profile never overwrites a newer one.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFileDialog, QHeaderView, QLabel, QWidget

from efangtong_core.masking import sees_personal_data
from efangtong_core.petitioner_records import Profile, SearchPage
from efangtong_desktop.context import AppContext
from efangtong_desktop.forms.ui_main_window import Ui_MainWindow
from efangtong_desktop.forms.ui_petitioners_page import Ui_PetitionersPage
from efangtong_desktop.services.device import device_identity
from efangtong_desktop.services.petitioner_records import PetitionerRecordsService, Viewer
from efangtong_desktop.views.feedback import describe, restyle
from efangtong_desktop.views.petitioners import texts
from efangtong_desktop.views.petitioners.analytics import AnalyticsTab
from efangtong_desktop.views.petitioners.profile import ProfilePane
from efangtong_desktop.views.petitioners.rows_model import RowsModel

RESULT_WIDTHS = (80, 40, 160, 100, 160, 64, 90)


def _show(label: QLabel, text: str, *, error: bool = False) -> None:
    """Show `text` in a message label (hidden while empty, so no blank line shows), in red for an error."""
    label.setText(text)
    label.setVisible(bool(text))
    label.setProperty("role", "formError" if error else "pageSubtitle")
    restyle(label)


class PetitionersPage(QWidget):
    """The page's widget and controller."""

    searched = Signal(int)
    """Emitted with the total when a search's page is shown."""
    profile_shown = Signal(str)
    """Emitted with the petitioner id when a profile is shown."""
    contacts_saved = Signal(bool)
    """Emitted after a save, True when something changed."""
    exported = Signal(str)
    """Emitted with the file path after an export."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.ui = Ui_PetitionersPage()
        self.ui.setupUi(self)
        self.results = RowsModel(texts.RESULT_HEADERS, self)
        self.ui.resultsView.setModel(self.results)
        self.profile = ProfilePane(self.ui)
        self.analytics = AnalyticsTab(self)
        self.page_result: SearchPage | None = None
        self._query = ""
        self._page = 0
        self._search_generation = 0
        self._profile_generation = 0
        self._searched_once = False
        self._set_up_table()
        self._connect()
        for label in (self.ui.messageLabel, self.ui.countLabel, self.ui.pageLabel, self.ui.contactsMessage):
            _show(label, "")

    # -- set-up -------------------------------------------------------------------------------------------------------

    def _set_up_table(self) -> None:
        view = self.ui.resultsView
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate(RESULT_WIDTHS):
            view.setColumnWidth(column, width)
        view.verticalHeader().setDefaultSectionSize(28)
        self.ui.splitter.setStretchFactor(0, 1)
        self.ui.splitter.setStretchFactor(1, 1)

    def _connect(self) -> None:
        ui = self.ui
        ui.queryEdit.returnPressed.connect(self.search)
        ui.searchButton.clicked.connect(self.search)
        ui.previousButton.clicked.connect(lambda: self.show_page(self._page - 1))
        ui.nextButton.clicked.connect(lambda: self.show_page(self._page + 1))
        ui.resultsView.selectionModel().currentRowChanged.connect(self._row_changed)
        ui.timelineView.doubleClicked.connect(lambda index: self.open_case(index.row()))
        ui.saveContactsButton.clicked.connect(self.save_contacts)
        ui.exportListButton.clicked.connect(self._ask_export_list)

    def service(self) -> PetitionerRecordsService:
        """The records service for whoever is signed in now (masking follows their roles)."""
        context = self.context
        signed_in = context.signed_in
        viewer = Viewer(
            user_id=signed_in.id if signed_in else None,
            username=signed_in.username if signed_in else context.user,
            unmasked=sees_personal_data(signed_in.roles if signed_in else ()),
            device=device_identity(context.settings).id,
        )
        return PetitionerRecordsService(context.session_factory, viewer, online=lambda: context.online)

    # -- searching ----------------------------------------------------------------------------------------------------

    def search(self) -> None:
        """Search what the query box says, from the first page."""
        self._query = self.ui.queryEdit.text().strip()
        self.show_page(0)

    def show_page(self, page: int) -> None:
        """Show page `page` of the current query, off the GUI thread; the newest request wins."""
        if page < 0 or (self.page_result is not None and page > 0 and page >= self.page_result.page_count):
            return
        self._searched_once = True
        self._search_generation += 1
        generation, query, service = self._search_generation, self._query, self.service()
        _show(self.ui.messageLabel, texts.SEARCHING)

        def shown(found: SearchPage) -> None:
            if generation == self._search_generation:
                self._show_results(found, masked=not service.viewer.unmasked)

        def failed(error: Exception) -> None:
            if generation == self._search_generation:
                _show(self.ui.messageLabel, texts.SEARCH_FAILED.format(reason=describe(error)), error=True)

        self.context.tasks.run(lambda: service.search(query, page), shown, failed, owner=self)

    def _show_results(self, found: SearchPage, *, masked: bool) -> None:
        self.page_result, self._page = found, found.page
        rows = [
            (
                item.name,
                item.sex,
                item.id_number or "",
                item.phone or "",
                item.address or "",
                item.petition_count,
                item.last_petition_at.astimezone().strftime("%Y-%m-%d") if item.last_petition_at else "",
                "、".join(tag.label for tag in item.tags),
            )
            for item in found.items
        ]
        self.results.set_rows(rows, [item.id for item in found.items])
        ui = self.ui
        _show(ui.countLabel, texts.COUNT.format(total=found.total) if found.total else texts.COUNT_NONE)
        _show(ui.pageLabel, texts.PAGE.format(page=found.page + 1, pages=found.page_count))
        ui.previousButton.setEnabled(found.page > 0)
        ui.nextButton.setEnabled(found.page + 1 < found.page_count)
        _show(ui.messageLabel, texts.MASKED_NOTE if masked and found.total else "")
        self.searched.emit(found.total)

    # -- the profile --------------------------------------------------------------------------------------------------

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        key = self.results.key(current.row()) if current.isValid() else None
        if key is not None:
            self.open_profile(key)

    def open_row(self, row: int) -> None:
        """Select result `row` (which opens its profile)."""
        self.ui.resultsView.selectRow(row)

    def open_profile(self, petitioner_id: str) -> None:
        """Load and show a profile off the GUI thread; the view goes to the access log (audited on the server)."""
        self._profile_generation += 1
        generation, service = self._profile_generation, self.service()
        _show(self.ui.messageLabel, texts.LOADING_PROFILE)

        def shown(profile: Profile) -> None:
            if generation == self._profile_generation:
                self.profile.show(profile, editable=service.viewer.unmasked)
                _show(self.ui.messageLabel, "")
                self.profile_shown.emit(profile.id)

        def failed(error: Exception) -> None:
            if generation == self._profile_generation:
                self.profile.clear()
                _show(self.ui.messageLabel, texts.PROFILE_FAILED.format(reason=describe(error)), error=True)

        self.context.tasks.run(lambda: service.open_profile(petitioner_id), shown, failed, owner=self)

    def open_case(self, row: int) -> QWidget | None:
        """Open the case of timeline row `row` in its own window (CASE's show_case)."""
        petition_id = self.profile.timeline.key(row)
        if petition_id is None:
            return None
        from efangtong_desktop.views.case import show_case  # the case view loads only when a case is opened

        return show_case(self.context, petition_id, parent=self.window())

    def save_contacts(self) -> None:
        """Check and save the contact details off the GUI thread; the button stays disabled until the answer."""
        profile = self.profile.profile
        if profile is None:
            _show(self.ui.contactsMessage, texts.NO_SELECTION, error=True)
            return
        ui = self.ui
        phones, address, note = self.profile.typed_phones(), ui.addressEdit.text(), ui.noteEdit.text()
        service = self.service()
        ui.saveContactsButton.setEnabled(False)
        _show(ui.contactsMessage, texts.SAVING)

        def saved(changed: bool) -> None:
            ui.saveContactsButton.setEnabled(True)
            _show(ui.contactsMessage, texts.SAVED if changed else texts.UNCHANGED)
            self.contacts_saved.emit(changed)
            if changed:
                self.open_profile(profile.id)  # the stored (normalised) values, e.g. phones without hyphens

        def failed(error: Exception) -> None:
            ui.saveContactsButton.setEnabled(True)
            _show(ui.contactsMessage, texts.SAVE_FAILED.format(reason=describe(error)), error=True)

        self.context.tasks.run(
            lambda: service.save_contacts(profile.id, phones, address, note), saved, failed, owner=self
        )

    # -- export -------------------------------------------------------------------------------------------------------

    def _ask_export_list(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, texts.EXPORT_LIST_TITLE, texts.EXPORT_LIST_NAME, texts.EXPORT_FILTER
        )
        if path:
            self.export_list_to(Path(path).with_suffix(".xlsx"))

    def export_list_to(self, path: Path) -> None:
        """Write every petitioner of the current query to `path` (xlsx, masked per role), off the GUI thread."""
        service, query = self.service(), self._query
        self.ui.exportListButton.setEnabled(False)
        _show(self.ui.messageLabel, texts.EXPORTING)

        def done(rows: int) -> None:
            self.ui.exportListButton.setEnabled(True)
            _show(self.ui.messageLabel, texts.EXPORTED_LIST.format(rows=rows, path=path))
            self.exported.emit(str(path))

        def failed(error: Exception) -> None:
            self.ui.exportListButton.setEnabled(True)
            _show(self.ui.messageLabel, texts.EXPORT_FAILED.format(reason=describe(error)), error=True)

        self.context.tasks.run(lambda: service.export_list(query, path), done, failed, owner=self)

    def showEvent(self, event: QShowEvent) -> None:
        """The first time the page is shown, split it half and half and list everyone (by name)."""
        super().showEvent(event)
        if not self._searched_once:
            half = max(1, self.ui.splitter.width() // 2)
            self.ui.splitter.setSizes([half, half])  # the profile needs room for its timeline
            self.search()


def install_on_petitioners_page(context: AppContext, window_ui: Ui_MainWindow) -> PetitionersPage:
    """Replace the 信访人 page's placeholder card with the petitioner records page."""
    layout = window_ui.pageLayoutPetitioners
    window_ui.cardPetitioners.hide()
    layout.removeItem(window_ui.pageSpacerPetitioners)
    page = PetitionersPage(context, window_ui.pagePetitioners)
    window_ui.subtitlePetitioners.setText(texts.PAGE_SUBTITLE)
    layout.addWidget(page, 1)
    return page
