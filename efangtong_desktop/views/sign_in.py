"""The sign-in sequence before the main window: server address (first run), login, forced password change."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from efangtong_desktop import texts
from efangtong_desktop.context import AppContext
from efangtong_desktop.services.device import device_identity
from efangtong_desktop.views.change_password_dialog import ChangePasswordDialog
from efangtong_desktop.views.login_dialog import LoginDialog
from efangtong_desktop.views.server_dialog import ServerDialog


def sign_in_interactively(context: AppContext, username: str | None = None) -> bool:
    """Show the dialogs the situation needs; True once a user is signed in and may work."""
    if context.settings.server_url:
        context.connect(context.settings.server_url)
    elif ServerDialog(context).exec() != QDialog.DialogCode.Accepted:
        return False
    if LoginDialog(context, username).exec() != QDialog.DialogCode.Accepted:
        return False
    return change_password_if_required(context)


def change_password_if_required(context: AppContext) -> bool:
    """Show the forced password change when the server asks for it; False (and signed out) if the user gives up."""
    if context.signed_in is None or not context.signed_in.must_change_password:
        return True
    if ChangePasswordDialog(context).exec() == QDialog.DialogCode.Accepted:
        return True
    if context.api is not None:
        context.api.logout()
    context.signed_in = None
    return False


def sign_in_automatically(context: AppContext, username: str | None, password: str) -> None:
    """Sign in without a dialog (EFT_AUTOLOGIN_PASSWORD; `make run` and tests); ValueError/ApiError say why not."""
    server_url = context.settings.server_url
    if not server_url:
        raise ValueError(texts.AUTOLOGIN_NO_SERVER)
    if not username:
        raise ValueError(texts.AUTOLOGIN_NO_USER)
    api = context.connect(server_url)
    device = device_identity(context.settings)
    user = api.login(username, password, device_id=device.id, device_name=device.name)
    context.offline_sign_in().remember(user, password)
    context.sign_in_as(user)
