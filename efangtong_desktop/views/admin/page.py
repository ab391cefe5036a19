"""The 系统设置 page: administrators get the tabs; clerks and administrators get 本机设置 (this PC's own settings,
efangtong_desktop/views/settings); everyone else gets a sentence saying the page is not for them."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from efangtong_desktop.context import AppContext
from efangtong_desktop.forms.ui_admin_page import Ui_AdminPage
from efangtong_desktop.forms.ui_main_window import Ui_MainWindow
from efangtong_desktop.services.admin import AdminService
from efangtong_desktop.views.admin import texts
from efangtong_desktop.views.admin.audit import AuditTab
from efangtong_desktop.views.admin.base import AdminTab
from efangtong_desktop.views.admin.categories import CategoriesTab
from efangtong_desktop.views.admin.deadlines import DeadlinesTab
from efangtong_desktop.views.admin.devices import DevicesTab
from efangtong_desktop.views.admin.document_templates import DocumentTemplatesTab
from efangtong_desktop.views.admin.parameters import ParametersTab
from efangtong_desktop.views.admin.routing import RoutingTab
from efangtong_desktop.views.admin.sms_templates import SmsTemplatesTab
from efangtong_desktop.views.admin.units import UnitsTab
from efangtong_desktop.views.admin.users import UsersTab
from efangtong_desktop.views.settings.local_tab import LocalSettingsTab, may_set_local_settings

TAB_CLASSES: tuple[type[AdminTab], ...] = (
    UnitsTab,
    UsersTab,
    DevicesTab,
    CategoriesTab,
    DeadlinesTab,
    SmsTemplatesTab,
    DocumentTemplatesTab,
    RoutingTab,
    ParametersTab,
    AuditTab,
)


class AdminPage(QWidget):
    """The tabs of 系统设置 for an administrator signed in online; a refusal for anyone else."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.ui = Ui_AdminPage()
        self.ui.setupUi(self)
        self.tabs: list[AdminTab] = []
        self.local_tab: LocalSettingsTab | None = None
        allowed = context.is_admin and context.api is not None
        local = may_set_local_settings(context)  # 本机设置: the clerk's too
        self.ui.refusedCard.setVisible(not allowed and not local)
        self.ui.tabs.setVisible(allowed or local)
        if not allowed and not local:
            self.ui.refusedHeading.setText(texts.REFUSED_HEADING)
            self.ui.refusedText.setText(texts.REFUSED_TEXT if context.signed_in else texts.NOT_SIGNED_IN_TEXT)
            return
        self.ui.pageLayout.removeItem(self.ui.refusedSpacer)
        if allowed:
            assert context.api is not None
            service = AdminService(context.api)
            for tab_class in TAB_CLASSES:
                tab = tab_class(context, service, self.ui.tabs)
                self.tabs.append(tab)
                self.ui.tabs.addTab(tab, tab_class.title)
        if local:
            self.local_tab = LocalSettingsTab(context, self.ui.tabs)
            self.ui.tabs.addTab(self.local_tab, LocalSettingsTab.title)
        self.ui.tabs.currentChanged.connect(self._tab_shown)

    @property
    def allowed(self) -> bool:
        """True when the page shows the administration tabs."""
        return bool(self.tabs)

    def tab(self, tab_class: type[AdminTab]) -> AdminTab:
        """The tab of `tab_class`."""
        return next(tab for tab in self.tabs if isinstance(tab, tab_class))

    def show_tab(self, tab_class: type[AdminTab]) -> AdminTab:
        """Bring the tab of `tab_class` to the front (it loads the first time)."""
        tab = self.tab(tab_class)
        self.ui.tabs.setCurrentWidget(tab)
        tab.ensure_loaded()
        return tab

    def _tab_shown(self, index: int) -> None:
        if self.isVisible() and 0 <= index < len(self.tabs):
            self.tabs[index].ensure_loaded()

    def showEvent(self, event: QShowEvent) -> None:
        """Load the current tab the first time the page is shown."""
        super().showEvent(event)
        self._tab_shown(self.ui.tabs.currentIndex())


def install_on_settings_page(context: AppContext, window_ui: Ui_MainWindow) -> AdminPage:
    """Replace the 设置 page's placeholder card with the 系统设置 page."""
    layout = window_ui.pageLayoutSettings
    window_ui.cardSettings.hide()
    layout.removeItem(window_ui.pageSpacerSettings)
    page = AdminPage(context, window_ui.pageSettings)
    window_ui.subtitleSettings.setText(texts.PAGE_SUBTITLE)
    window_ui.subtitleSettings.setVisible(page.allowed)
    layout.addWidget(page, 1)
    return page
