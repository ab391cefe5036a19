"""First run: ask for the central server's address and check it answers (GET /api/v1/health) before keeping it."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QWidget

from efangtong_desktop import texts
from efangtong_desktop.context import AppContext
from efangtong_desktop.forms.ui_server_dialog import Ui_ServerDialog
from efangtong_desktop.services.api_client import ApiClient, normalise_server_url
from efangtong_desktop.services.token_store import MemoryTokenStore
from efangtong_desktop.settings import load_settings
from efangtong_desktop.views.feedback import describe, show_message


def check_server(url: str) -> dict[str, Any]:
    """Ask the server at `url` for its health (blocking; run it off the GUI thread)."""
    probe = ApiClient(url, MemoryTokenStore(), timeout=(5.0, 10.0))
    try:
        return probe.health()
    finally:
        probe.close()


class ServerDialog(QDialog):
    """Asks for the server address; accepted only once the server answered, and then the address is saved."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.ui = Ui_ServerDialog()
        self.ui.setupUi(self)
        self.ui.serverEdit.setText(context.settings.server_url or "")
        self.ui.connectButton.clicked.connect(self.submit)
        self.ui.cancelButton.clicked.connect(self.reject)
        self._busy = False
        self.server_url: str | None = None

    @property
    def busy(self) -> bool:
        """True while the address is being checked."""
        return self._busy

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.ui.connectButton.setEnabled(not busy)
        self.ui.serverEdit.setReadOnly(busy)

    def submit(self) -> None:
        """Check the typed address in the background; keep it and close when the server answers."""
        if self._busy:
            return
        try:
            url = normalise_server_url(self.ui.serverEdit.text())
        except ValueError as error:
            show_message(self.ui.messageLabel, str(error))
            return
        self._set_busy(True)
        show_message(self.ui.messageLabel, texts.SERVER_DIALOG_CHECKING, ok=True)
        self.context.tasks.run(
            lambda: check_server(url),
            lambda health: self._on_checked(url, health),
            self._on_failed,
            owner=self,
        )

    def _on_checked(self, url: str, health: dict[str, Any]) -> None:
        self._set_busy(False)
        show_message(self.ui.messageLabel, texts.SERVER_DIALOG_OK.format(version=health.get("version", "")), ok=True)
        settings = self.context.settings
        self.context.settings = load_settings(data_dir=settings.data_dir, server_url=url, user=settings.user)
        self.context.connect(url)
        self.server_url = url
        self.accept()

    def _on_failed(self, error: Exception) -> None:
        self._set_busy(False)
        show_message(self.ui.messageLabel, describe(error))

    def reject(self) -> None:
        """Close, unless a check is under way."""
        if not self._busy:
            super().reject()
