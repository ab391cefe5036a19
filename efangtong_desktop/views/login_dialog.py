"""Sign-in dialog: username and password against the central server, the server's Chinese message on failure."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWidget

from efangtong_desktop import texts
from efangtong_desktop.context import AppContext
from efangtong_desktop.forms.ui_login_dialog import Ui_LoginDialog
from efangtong_desktop.services.api_client import SignedInUser
from efangtong_desktop.services.device import device_identity
from efangtong_desktop.views.feedback import describe, show_message
from efangtong_desktop.views.server_dialog import ServerDialog


class LoginDialog(QDialog):
    """Signs in online; accepted with `user` set once the server said yes."""

    def __init__(self, context: AppContext, username: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.ui = Ui_LoginDialog()
        self.ui.setupUi(self)
        self.user: SignedInUser | None = None
        self._busy = False
        self.ui.loginButton.clicked.connect(self.submit)
        self.ui.cancelButton.clicked.connect(self.reject)
        self.ui.serverButton.clicked.connect(self.change_server)
        self._show_server()
        if username:
            self.ui.usernameEdit.setText(username)
            self.ui.passwordEdit.setFocus()
        else:
            self.ui.usernameEdit.setFocus()

    @property
    def busy(self) -> bool:
        """True while a sign-in request is out."""
        return self._busy

    def _show_server(self) -> None:
        self.ui.serverLabel.setText(texts.LOGIN_SERVER.format(url=self.context.settings.server_url or ""))

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (self.ui.loginButton, self.ui.serverButton, self.ui.cancelButton):
            widget.setEnabled(not busy)
        self.ui.usernameEdit.setReadOnly(busy)
        self.ui.passwordEdit.setReadOnly(busy)

    def submit(self) -> None:
        """Sign in in the background; a second press while the first is out does nothing."""
        if self._busy:
            return
        username = self.ui.usernameEdit.text().strip()
        password = self.ui.passwordEdit.text()
        if not username:
            show_message(self.ui.messageLabel, texts.LOGIN_USERNAME_EMPTY)
            self.ui.usernameEdit.setFocus()
            return
        if not password:
            show_message(self.ui.messageLabel, texts.LOGIN_PASSWORD_EMPTY)
            self.ui.passwordEdit.setFocus()
            return
        server_url = self.context.settings.server_url
        if not server_url:
            self.change_server()
            return
        api = self.context.connect(server_url)
        device = device_identity(self.context.settings)
        self._set_busy(True)
        show_message(self.ui.messageLabel, texts.LOGIN_SIGNING_IN, ok=True)
        self.context.tasks.run(
            lambda: api.login(username, password, device_id=device.id, device_name=device.name),
            self._on_signed_in,
            self._on_failed,
            owner=self,
        )

    def _on_signed_in(self, user: SignedInUser) -> None:
        self._set_busy(False)
        self.context.sign_in_as(user)
        self.user = user
        self.accept()

    def _on_failed(self, error: Exception) -> None:
        self._set_busy(False)
        show_message(self.ui.messageLabel, describe(error))
        self.ui.passwordEdit.selectAll()
        self.ui.passwordEdit.setFocus()

    def change_server(self) -> None:
        """Let the user type another server address."""
        dialog = ServerDialog(self.context, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._show_server()
            self.ui.messageLabel.clear()

    def reject(self) -> None:
        """Close, unless a sign-in is under way."""
        if not self._busy:
            super().reject()
