"""The sync fields of the main window's status bar: online/offline, sync state, rejected changes (F5 syncs now)."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QMainWindow

from efangtong_desktop import texts
from efangtong_desktop.context import AppContext
from efangtong_desktop.services.sync_service import SyncService, SyncStatus
from efangtong_desktop.views.rejected_changes import RejectedChangesDialog, open_rejected_changes

SYNC_NOW_KEY = "F5"


class Indicators(Protocol):
    """The main window's status-bar fields this part writes to."""

    def show_connection(self, online: bool, server_url: str | None) -> None:
        """Show whether the server is reachable."""

    def show_sync(self, state: str) -> None:
        """Show the sync state in words."""


class SyncStatusBar:
    """Keeps the status bar's sync fields up to date with a `SyncService` and opens the rejected list."""

    def __init__(self, window: QMainWindow, context: AppContext, service: SyncService, indicators: Indicators) -> None:
        self.window = window
        self.context = context
        self.service = service
        self.indicators = indicators
        self.dialog: RejectedChangesDialog | None = None
        self.rejected = QLabel(window)
        self.rejected.setObjectName("status_rejected")
        self.rejected.setTextFormat(Qt.TextFormat.RichText)
        self.rejected.setVisible(False)
        self.rejected.linkActivated.connect(lambda _link: self.open_rejected())
        window.statusBar().addPermanentWidget(self.rejected)
        shortcut = QShortcut(QKeySequence(SYNC_NOW_KEY), window)
        shortcut.activated.connect(service.sync_now)
        service.status_changed.connect(self.show)

    def show(self, status: SyncStatus) -> None:
        """Show `status` in the status bar."""
        self.indicators.show_connection(status.online, self.context.settings.server_url)
        self.indicators.show_sync(status.describe())
        self.rejected.setText(texts.SYNC_REJECTED_LINK.format(count=status.rejected) if status.rejected else "")
        self.rejected.setVisible(status.rejected > 0)

    def open_rejected(self) -> RejectedChangesDialog:
        """Open the list of refused changes."""
        self.dialog = open_rejected_changes(self.context, self.window, self._after_resolution)
        return self.dialog

    def _after_resolution(self) -> None:
        """A change sent again goes at once; a given-up edit gets the server's version back."""
        self.service.refresh_counts()
        self.service.sync_now()
