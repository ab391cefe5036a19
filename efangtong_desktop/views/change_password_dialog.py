"""The forced change of an initial password (must_change_password), before the main window opens."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWidget

from efangtong_desktop import texts
from efangtong_desktop.context import AppContext
from efangtong_desktop.forms.ui_change_password_dialog import Ui_ChangePasswordDialog
from efangtong_desktop.services.api_client import SignedInUser
from efangtong_desktop.views.feedback import describe, show_message


class ChangePasswordDialog(QDialog):
    """Asks for the current and a new password; accepted once the server took the new one."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.ui = Ui_ChangePasswordDialog()
        self.ui.setupUi(self)
        name = context.signed_in.display_name if context.signed_in else ""
        self.ui.noticeLabel.setText(texts.CHANGE_PASSWORD_NOTICE.format(name=name))
        self.ui.saveButton.clicked.connect(self.submit)
        self.ui.cancelButton.clicked.connect(self.reject)
        self._busy = False
        self.ui.oldPasswordEdit.setFocus()

    @property
    def busy(self) -> bool:
        """True while the change is being sent."""
        return self._busy

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.ui.saveButton.setEnabled(not busy)
        self.ui.cancelButton.setEnabled(not busy)
        for edit in (self.ui.oldPasswordEdit, self.ui.newPasswordEdit, self.ui.confirmEdit):
            edit.setReadOnly(busy)

    def submit(self) -> None:
        """Check the entries, then send the change in the background."""
        if self._busy:
            return
        old = self.ui.oldPasswordEdit.text()
        new = self.ui.newPasswordEdit.text()
        if not old or not new:
            show_message(self.ui.messageLabel, texts.CHANGE_PASSWORD_EMPTY)
            return
        if new != self.ui.confirmEdit.text():
            show_message(self.ui.messageLabel, texts.CHANGE_PASSWORD_MISMATCH)
            self.ui.confirmEdit.selectAll()
            self.ui.confirmEdit.setFocus()
            return
        if new == old:
            show_message(self.ui.messageLabel, texts.CHANGE_PASSWORD_SAME)
            return
        api = self.context.api
        assert api is not None, "a password is changed only after an online sign-in"
        self._set_busy(True)
        show_message(self.ui.messageLabel, texts.CHANGE_PASSWORD_SAVING, ok=True)
        record = self.context.offline_sign_in()

        def change() -> SignedInUser:
            user = api.change_password(old, new)
            record.remember(user, new)  # offline sign-in now takes the new password
            return user

        self.context.tasks.run(change, self._on_changed, self._on_failed, owner=self)

    def _on_changed(self, user: SignedInUser) -> None:
        self._set_busy(False)
        self.context.sign_in_as(user)
        self.accept()

    def _on_failed(self, error: Exception) -> None:
        self._set_busy(False)
        show_message(self.ui.messageLabel, describe(error))
        self.ui.newPasswordEdit.selectAll()
        self.ui.newPasswordEdit.setFocus()

    def reject(self) -> None:
        """Close, unless the change is being sent."""
        if not self._busy:
            super().reject()
