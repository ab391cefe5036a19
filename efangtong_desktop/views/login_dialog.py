"""Sign-in dialog: username and password against the central server, the server's Chinese message on failure.

When the server cannot be reached, the last user of this PC signs in offline against the cached verifier
(`services.offline_auth`); both the online sign-in and the offline check run off the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtWidgets import QDialog, QWidget

from efangtong_desktop import texts
from efangtong_desktop.context import AppContext
from efangtong_desktop.forms.ui_login_dialog import Ui_LoginDialog
from efangtong_desktop.services.api_client import ApiError, SignedInUser
from efangtong_desktop.services.device import device_identity
from efangtong_desktop.services.offline_auth import OfflineSignInRefused
from efangtong_desktop.views.feedback import describe, show_message
from efangtong_desktop.views.server_dialog import ServerDialog


@dataclass(frozen=True)
class SignInOutcome:
    """Who signed in, and until when offline (None: online)."""

    user: SignedInUser
    offline_until: datetime | None = None


def sign_in_online_or_offline(context: AppContext, username: str, password: str) -> SignInOutcome:
    """Sign in against the server, or offline when it cannot be reached (blocking: run it off the GUI thread)."""
    assert context.api is not None
    device = device_identity(context.settings)
    record = context.offline_sign_in()
    try:
        user = context.api.login(username, password, device_id=device.id, device_name=device.name)
    except ApiError as error:
        if error.status == 403:  # the account or this PC was disabled: no more offline sign-in either
            record.forget()
        if not error.unreachable:
            raise
        if record.last_username() is None:
            raise
        try:
            user, until = record.sign_in(username, password)
        except OfflineSignInRefused as refusal:
            raise ApiError(None, texts.LOGIN_OFFLINE_FAILED.format(refusal=refusal)) from None
        return SignInOutcome(user, until)
    record.remember(user, password)
    return SignInOutcome(user)


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
        self.context.connect(server_url)
        self._set_busy(True)
        show_message(self.ui.messageLabel, texts.LOGIN_SIGNING_IN, ok=True)
        self.context.tasks.run(
            lambda: sign_in_online_or_offline(self.context, username, password),
            self._on_signed_in,
            self._on_failed,
            owner=self,
        )

    def _on_signed_in(self, outcome: SignInOutcome) -> None:
        self._set_busy(False)
        if outcome.offline_until is None:
            self.context.sign_in_as(outcome.user)
        else:
            self.context.sign_in_offline(outcome.user, outcome.offline_until)
        self.user = outcome.user
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
