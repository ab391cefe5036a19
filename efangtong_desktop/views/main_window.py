"""The main window shell: navigation between module pages, menus, status bar, remembered geometry.

Layout comes from `ui/main_window.ui` (compiled to `efangtong_desktop.forms.ui_main_window`); logic lives here.

Start-up: only the 登记 page (the first one shown) is built with the window, and without the data layer: the page
loads that (replica, services, lists) in a worker after its first paint; `when_ready` = painted and loaded. Every other
page, with its module, is built the first time it is navigated to or asked for (`search_page`, `inbox_page`, …), after
the replica is open; the sync service and its status-bar fields likewise (`sync_service`), which `app.main` starts
once the window is ready.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QSize
from PySide6.QtGui import QCloseEvent, QGuiApplication, QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from efangtong_desktop import texts
from efangtong_desktop.context import AppContext
from efangtong_desktop.forms.ui_main_window import Ui_MainWindow
from efangtong_desktop.resources import resource_path
from efangtong_desktop.views.first_paint import DeferredLabelTexts, FirstPaintWatch
from efangtong_desktop.views.register.page import install_on_register_page
from efangtong_desktop.views.status_indicators import StatusIndicators

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

    from efangtong_desktop.bigscreen.window import BigScreenWindow
    from efangtong_desktop.services.sync_service import SyncService
    from efangtong_desktop.views.admin.page import AdminPage
    from efangtong_desktop.views.analysis.page import AnalysisPage
    from efangtong_desktop.views.inbox.page import InboxPage
    from efangtong_desktop.views.petitioners.page import PetitionersPage
    from efangtong_desktop.views.search.page import SearchPage
    from efangtong_desktop.views.sync_status import SyncStatusBar

# One entry per navigation row, in the order of the form's navList items and pageStack pages.
NAV_ICONS: tuple[str, ...] = (
    "icons/nav_register.svg",
    "icons/nav_search.svg",
    "icons/nav_todo.svg",
    "icons/nav_petitioners.svg",
    "icons/nav_appointments.svg",
    "icons/nav_warnings.svg",
    "icons/nav_analytics.svg",
    "icons/nav_settings.svg",
)
SEARCH_PAGE = 1
TODO_PAGE = 2
PETITIONERS_PAGE = 3
ANALYTICS_PAGE = 6
SETTINGS_PAGE = 7
LAZY_PAGES: dict[int, str] = {
    SEARCH_PAGE: "search_page",
    TODO_PAGE: "inbox_page",
    PETITIONERS_PAGE: "petitioners_page",
    ANALYTICS_PAGE: "analysis_page",
    SETTINGS_PAGE: "admin_page",
}
"""Navigation row → the MainWindow attribute that builds its page on first use (预约 and 预警 are placeholders)."""
APP_ICON = "icons/app.svg"
_DEFAULT_MAX_SIZE = QSize(1600, 1000)


def app_version() -> str:
    """The installed distribution's version, or "开发版" in an uninstalled checkout."""
    from importlib import metadata  # when asked (about box, --version): ~20 ms of imports the first paint skips

    try:
        return metadata.version("efangtong")
    except metadata.PackageNotFoundError:
        return "开发版"


class MainWindow(QMainWindow):
    """The counter client's main window."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.ui = Ui_MainWindow()
        self.ui.setupUi(self)
        self.status = StatusIndicators(self)
        self._apply_icons()
        self._connect_actions()
        self._add_navigation_shortcuts()
        signed_in = context.signed_in
        self.status.show_identity(context.user, context.unit, signed_in.roles if signed_in else None)
        self.status.show_connection(context.online, context.settings.server_url)
        self.status.show_sync(texts.STATUS_SYNC_NEVER)
        if context.offline_until is not None:
            until = context.offline_until.astimezone().strftime("%Y-%m-%d %H:%M")
            self.statusBar().showMessage(texts.STATUS_OFFLINE_SIGNED_IN.format(until=until), 60000)
        elif context.keyring_problem:
            self.statusBar().showMessage(context.keyring_problem, 30000)
        else:
            self.statusBar().showMessage(texts.STATUS_READY, 5000)
        self._first_paint = FirstPaintWatch(self)
        stack = self.ui.pageStack
        self._hidden_page_texts = DeferredLabelTexts([stack.widget(index) for index in range(1, stack.count())])
        self._first_paint.add(self._hidden_page_texts.restore)
        self._pages: dict[str, QWidget] = {}
        self._sync_service: SyncService | None = None
        self._sync_status: SyncStatusBar | None = None
        self._indexing_without_page = False
        self.register_page = install_on_register_page(context, self.ui)
        self._choices_arrived = False
        self._waiting_for_choices: list[Callable[[], None]] = []
        # Queued from a worker, so it cannot have been delivered before this connection.
        self.register_page.choices_loaded.connect(self._on_register_choices)
        self.big_screen: BigScreenWindow | None = None
        self.navigate(0)
        self._restore_window_state()

    # -- start-up ---------------------------------------------------------------------------------------------------

    def after_first_paint(self, callback: Callable[[], None]) -> None:
        """Run `callback` once the window has been shown and painted (work that must not delay the first paint)."""
        self._first_paint.add(callback)

    def when_ready(self, callback: Callable[[], None]) -> None:
        """Run `callback` once the window is painted and the 登记 page's choice lists have arrived (or failed)."""

        def after_paint() -> None:
            if self._choices_arrived:
                callback()
            else:
                self._waiting_for_choices.append(callback)

        self.after_first_paint(after_paint)

    def _on_register_choices(self, _choices: object) -> None:
        self._choices_arrived = True
        waiting, self._waiting_for_choices = self._waiting_for_choices, []
        for callback in waiting:
            callback()

    def start_services(self, *, sync: bool = True) -> None:
        """The sync service with its status-bar fields and F5; with `sync`, the first sync now and then on its timer."""
        service = self.sync_service  # made here, with its status-bar fields and F5, unless a page asked for it first
        if sync:
            service.start()

    @property
    def sync_service(self) -> SyncService:
        """The background sync service (made, with its status-bar fields, on first use)."""
        if self._sync_service is None:
            self.context.open_replica()
            from efangtong_desktop.services.sync_service import SyncService
            from efangtong_desktop.views.sync_status import SyncStatusBar

            service = SyncService(self.context, parent=self)
            self._sync_service = service
            self._sync_status = SyncStatusBar(self, self.context, service, self.status)
            search = self._pages.get("search_page")
            if search is not None:
                service.status_changed.connect(search.index_after_sync)  # type: ignore[attr-defined]
            service.status_changed.connect(self._index_after_sync_without_page)
        return self._sync_service

    def _index_after_sync_without_page(self, status: object) -> None:
        """Until the 查询 page is built (it then does this itself): index what a sync pulled, in the background."""
        if getattr(status, "running", True) or "search_page" in self._pages or self._indexing_without_page:
            return
        self._indexing_without_page = True
        engine = self.context.engine

        def work() -> int:
            from efangtong_desktop.services import search_index

            return search_index.refresh(engine)

        def finished(_result: object) -> None:
            self._indexing_without_page = False

        self.context.tasks.run(work, finished, finished, owner=self)

    @property
    def sync_status(self) -> SyncStatusBar:
        """The status bar's sync fields (the refused-changes link, F5)."""
        _ = self.sync_service
        assert self._sync_status is not None
        return self._sync_status

    # -- pages built on first use -----------------------------------------------------------------------------------

    def is_page_built(self, index: int) -> bool:
        """Whether page `index` holds its module (登记 and the placeholder pages always do)."""
        name = LAZY_PAGES.get(index)
        return name is None or name in self._pages

    def ensure_page(self, index: int) -> None:
        """Build page `index` now if it is built on first use and not built yet (a wait cursor meanwhile)."""
        name = LAZY_PAGES.get(index)
        if name is None or name in self._pages:
            return
        from PySide6.QtCore import Qt  # not before the first paint: the Qt namespace's ~100 enums cost ~14 ms

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.context.open_replica()  # waits for the 登记 page's loading when it is under way: one import at a time
            getattr(self, name)
        finally:
            QApplication.restoreOverrideCursor()

    def _page(self, name: str, build: Callable[[], QWidget]) -> QWidget:
        page = self._pages.get(name)
        if page is None:
            self._hidden_page_texts.restore()  # before the page's own texts
            self.context.open_replica()  # before the page's imports (waits for the 登记 page's loading if under way)
            page = self._pages[name] = build()
        return page

    @property
    def search_page(self) -> SearchPage:
        """The 查询 page; rows pulled by a sync are indexed after it."""

        def build() -> SearchPage:
            from efangtong_desktop.views.search.page import install_on_search_page

            page = install_on_search_page(self.context, self.ui)
            if self._sync_service is not None:
                self._sync_service.status_changed.connect(page.index_after_sync)
            return page

        return self._page("search_page", build)  # type: ignore[return-value]

    @property
    def inbox_page(self) -> InboxPage:
        """The 待办 page (reloads after each sync)."""

        def build() -> InboxPage:
            from efangtong_desktop.views.inbox import install_on_todo_page

            return install_on_todo_page(self.context, self.ui, self.sync_service)

        return self._page("inbox_page", build)  # type: ignore[return-value]

    @property
    def petitioners_page(self) -> PetitionersPage:
        """The 信访人 page."""

        def build() -> PetitionersPage:
            from efangtong_desktop.views.petitioners.page import install_on_petitioners_page

            return install_on_petitioners_page(self.context, self.ui)

        return self._page("petitioners_page", build)  # type: ignore[return-value]

    @property
    def analysis_page(self) -> AnalysisPage:
        """The 研判/大屏 page."""

        def build() -> AnalysisPage:
            from efangtong_desktop.views.analysis import install_on_analytics_page

            return install_on_analytics_page(self.context, self.ui, self.open_big_screen)

        return self._page("analysis_page", build)  # type: ignore[return-value]

    @property
    def admin_page(self) -> AdminPage:
        """The 系统设置 screens on the 设置 page (administrators only; the page itself refuses others)."""

        def build() -> AdminPage:
            from efangtong_desktop.views.admin.page import install_on_settings_page

            return install_on_settings_page(self.context, self.ui)

        return self._page("admin_page", build)  # type: ignore[return-value]

    # -- navigation -------------------------------------------------------------------------------------------------

    def page_count(self) -> int:
        """How many module pages the navigation offers."""
        return self.ui.navList.count()

    def navigate(self, index: int) -> None:
        """Show module page `index` and select its navigation entry."""
        if not 0 <= index < self.page_count():
            raise IndexError(f"没有第 {index} 个页面")
        if index:
            self._hidden_page_texts.restore()
        self.ensure_page(index)
        if self.ui.navList.currentRow() != index:
            self.ui.navList.setCurrentRow(index)
        self.ui.pageStack.setCurrentIndex(index)

    def current_page(self) -> QWidget:
        """The page now shown."""
        page = self.ui.pageStack.currentWidget()
        assert page is not None  # the form always has pages
        return page

    def nav_label(self, index: int) -> str:
        """The navigation entry's text."""
        return self.ui.navList.item(index).text()

    def _on_nav_row_changed(self, row: int) -> None:
        if row >= 0:
            if row:
                self._hidden_page_texts.restore()
            self.ensure_page(row)
            self.ui.pageStack.setCurrentIndex(row)

    def _add_navigation_shortcuts(self) -> None:
        for index in range(min(self.page_count(), 9)):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{index + 1}"), self)
            shortcut.activated.connect(lambda index=index: self.navigate(index))
            self.ui.navList.item(index).setToolTip(f"{self.nav_label(index)}（Ctrl+{index + 1}）")

    # -- menus ------------------------------------------------------------------------------------------------------

    def _connect_actions(self) -> None:
        self.ui.navList.currentRowChanged.connect(self._on_nav_row_changed)
        self.ui.actionQuit.triggered.connect(self.close)
        self.ui.actionBigScreen.triggered.connect(self.open_big_screen)
        self.ui.actionAbout.triggered.connect(self.show_about)

    def open_big_screen(self) -> BigScreenWindow:
        """Open (or bring back) the full-screen dashboard on the second monitor, refreshing from the replica."""
        from PySide6.QtCore import Qt

        from efangtong_desktop.bigscreen.data import replica_loader  # pyqtgraph and the figures: only when asked for
        from efangtong_desktop.bigscreen.window import BigScreenWindow

        if self.big_screen is None or not shiboken6.isValid(self.big_screen):
            context = self.context
            loader = replica_loader(context.session_factory, offline=lambda: not context.online)
            self.big_screen = BigScreenWindow(context.tasks, loader)
            self.big_screen.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.big_screen.show_on_big_screen()
        self.big_screen.start()
        return self.big_screen

    def show_about(self) -> QMessageBox:
        """Open the (window-modal, non-blocking) about box and return it."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox  # when asked: not a type the first paint needs

        box = QMessageBox(self)
        box.setWindowTitle(texts.ABOUT_TITLE)
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(texts.ABOUT_TEXT.format(version=app_version(), data_dir=self.context.settings.data_dir))
        box.setIconPixmap(QIcon(str(resource_path(APP_ICON))).pixmap(64, 64))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    # -- look -------------------------------------------------------------------------------------------------------

    def _apply_icons(self) -> None:
        app_icon = QIcon(str(resource_path(APP_ICON)))
        self.setWindowIcon(app_icon)
        self.ui.brandIcon.setPixmap(app_icon.pixmap(80, 80))
        for row, name in enumerate(NAV_ICONS):
            self.ui.navList.item(row).setIcon(QIcon(str(resource_path(name))))

    # -- geometry ---------------------------------------------------------------------------------------------------

    def _restore_window_state(self) -> None:
        geometry, state = self.context.settings.window_state()
        if geometry is not None and self.restoreGeometry(geometry):
            if state is not None:
                self.restoreState(state)
            return
        self._fit_to_screen()

    def _fit_to_screen(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        available = screen.availableGeometry()
        width = max(self.minimumWidth(), min(_DEFAULT_MAX_SIZE.width(), int(available.width() * 0.9)))
        height = max(self.minimumHeight(), min(_DEFAULT_MAX_SIZE.height(), int(available.height() * 0.9)))
        self.resize(min(width, available.width()), min(height, available.height()))
        frame = self.frameGeometry()
        frame.moveCenter(available.center())
        self.move(frame.topLeft())

    def save_window_state(self) -> None:
        """Persist geometry and state so the next start opens the window where the user left it."""
        self.context.settings.save_window_state(self.saveGeometry(), self.saveState())

    def closeEvent(self, event: QCloseEvent) -> None:
        """Remember the geometry on the way out; the big screen closes with the main window."""
        self.save_window_state()
        if self.big_screen is not None and shiboken6.isValid(self.big_screen):
            self.big_screen.close()
        super().closeEvent(event)
