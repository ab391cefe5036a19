"""First run and online sign-in against a real server: dialogs, Chinese failures, keyring, forced password change."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog

from efangtong_desktop import app as client_app
from efangtong_desktop.context import AppContext
from efangtong_desktop.services.api_client import ApiClient, SignedInUser
from efangtong_desktop.services.token_store import KeyringTokenStore
from efangtong_desktop.settings import load_settings
from efangtong_desktop.views.change_password_dialog import ChangePasswordDialog
from efangtong_desktop.views.login_dialog import LoginDialog
from efangtong_desktop.views.main_window import MainWindow
from efangtong_desktop.views.server_dialog import ServerDialog
from tests.desktop.live_server import (
    ADMIN,
    ADMIN_PASSWORD,
    READY_PASSWORD,
    USER_PASSWORD,
    LiveServer,
    keyring_home,
    live_server,
    wait_until,
)
from tests.support.server import free_loopback_port

__all__ = ["keyring_home", "live_server"]
NEW_PASSWORD = "Fresh#2026pw"


def open_context(data_dir: Path, server_url: str | None) -> AppContext:
    return AppContext.open(load_settings(data_dir=data_dir, server_url=server_url))


@pytest.fixture
def online(qapp: QApplication, tmp_path: Path, live_server: LiveServer, keyring_home: Path) -> Iterator[AppContext]:
    """A client context pointed at the live server, with a keyring in a temporary home."""
    context = open_context(tmp_path / "client", live_server.url)
    context.connect(live_server.url)
    yield context
    context.close()


def sign_in(dialog: LoginDialog, username: str, password: str) -> None:
    dialog.show()
    QTest.keyClicks(dialog.ui.usernameEdit, username)
    QTest.keyClicks(dialog.ui.passwordEdit, password)
    QTest.mouseClick(dialog.ui.loginButton, Qt.MouseButton.LeftButton)


def test_sign_in_shows_the_user_in_the_status_bar(online: AppContext) -> None:
    dialog = LoginDialog(online)
    sign_in(dialog, ADMIN, ADMIN_PASSWORD)
    assert dialog.busy and not dialog.ui.loginButton.isEnabled(), "busy while signing in"
    wait_until(lambda: dialog.result() == QDialog.DialogCode.Accepted)
    assert online.signed_in is not None and online.signed_in.username == ADMIN
    window = MainWindow(online)
    try:
        assert window.status.user.text() == "用户：系统管理员"
        assert window.status.unit.text() == "单位：伊金霍洛旗信访局"
        assert window.status.roles.text() == "角色：系统管理员"
        assert window.status.connection.text() == "● 在线"
    finally:
        window.close()


def test_wrong_password_shows_the_servers_message(online: AppContext) -> None:
    dialog = LoginDialog(online, username=ADMIN)
    assert dialog.ui.usernameEdit.text() == ADMIN, "--user prefills the username"
    dialog.show()
    QTest.keyClicks(dialog.ui.passwordEdit, "Wrong#pass9")
    QTest.keyClick(dialog.ui.passwordEdit, Qt.Key.Key_Return)  # Enter submits
    assert dialog.busy
    wait_until(lambda: not dialog.busy)
    assert "用户名或密码错误" in dialog.ui.messageLabel.text()
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert online.signed_in is None


def test_double_click_signs_in_once(online: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real_login = ApiClient.login

    def counting_login(self: ApiClient, username: str, password: str, **device: str) -> SignedInUser:
        calls.append(username)
        return real_login(self, username, password, **device)

    monkeypatch.setattr(ApiClient, "login", counting_login)
    dialog = LoginDialog(online)
    sign_in(dialog, ADMIN, ADMIN_PASSWORD)
    QTest.mouseDClick(dialog.ui.loginButton, Qt.MouseButton.LeftButton)
    dialog.submit()
    wait_until(lambda: dialog.result() == QDialog.DialogCode.Accepted)
    assert calls == [ADMIN]


def test_empty_fields_are_refused_before_any_request(online: AppContext) -> None:
    dialog = LoginDialog(online)
    dialog.show()
    dialog.submit()
    assert dialog.ui.messageLabel.text() == "请输入用户名。"
    QTest.keyClicks(dialog.ui.usernameEdit, ADMIN)
    dialog.submit()
    assert dialog.ui.messageLabel.text() == "请输入密码。"
    assert not dialog.busy


def test_server_down_shows_the_connection_message(qapp: QApplication, tmp_path: Path, keyring_home: Path) -> None:
    context = open_context(tmp_path / "client", f"http://127.0.0.1:{free_loopback_port()}")
    try:
        dialog = LoginDialog(context)
        sign_in(dialog, ADMIN, ADMIN_PASSWORD)
        wait_until(lambda: not dialog.busy)
        assert dialog.ui.messageLabel.text().startswith("无法连接服务器")
    finally:
        context.close()


def test_refresh_token_is_in_the_keyring_and_in_no_file_of_the_data_dir(
    online: AppContext, live_server: LiveServer
) -> None:
    dialog = LoginDialog(online)
    sign_in(dialog, ADMIN, ADMIN_PASSWORD)
    wait_until(lambda: dialog.result() == QDialog.DialogCode.Accepted)
    token = KeyringTokenStore.system().load(live_server.url, ADMIN)
    assert token and len(token) >= 16
    data_dir = online.settings.data_dir
    files = [path for path in data_dir.rglob("*") if path.is_file()]
    assert files, "the data dir holds the replica and the settings"
    for path in files:
        assert token.encode() not in path.read_bytes(), f"refresh token found in {path}"
        assert ADMIN_PASSWORD.encode() not in path.read_bytes(), f"password found in {path}"
    assert online.settings.qsettings().value("device/id"), "the device id is kept next to the replica"


def test_forced_password_change(online: AppContext, live_server: LiveServer) -> None:
    username = live_server.make_user("clerk", must_change_password=True, display_name="新登记员")
    dialog = LoginDialog(online, username=username)
    dialog.show()
    QTest.keyClicks(dialog.ui.passwordEdit, USER_PASSWORD)
    dialog.submit()
    wait_until(lambda: dialog.result() == QDialog.DialogCode.Accepted)
    assert online.signed_in is not None and online.signed_in.must_change_password

    change = ChangePasswordDialog(online)
    change.show()
    assert "新登记员" in change.ui.noticeLabel.text()
    QTest.keyClicks(change.ui.oldPasswordEdit, USER_PASSWORD)
    QTest.keyClicks(change.ui.newPasswordEdit, NEW_PASSWORD)
    QTest.keyClicks(change.ui.confirmEdit, "Other#2026pw")
    change.submit()
    assert change.ui.messageLabel.text() == "两次输入的新密码不一致。"
    change.ui.newPasswordEdit.setText("short")
    change.ui.confirmEdit.setText("short")
    change.submit()
    wait_until(lambda: not change.busy)
    assert "密码长度至少" in change.ui.messageLabel.text(), "the server's policy message"
    change.ui.newPasswordEdit.setText(NEW_PASSWORD)
    change.ui.confirmEdit.setText(NEW_PASSWORD)
    change.submit()
    wait_until(lambda: change.result() == QDialog.DialogCode.Accepted)
    assert online.signed_in is not None and not online.signed_in.must_change_password
    fresh = ApiClient(live_server.url, KeyringTokenStore.system())
    assert fresh.login(username, NEW_PASSWORD, device_id="pytest-device", device_name="pytest").username == username


def test_first_run_asks_for_the_server(qapp: QApplication, tmp_path: Path, live_server: LiveServer) -> None:
    context = open_context(tmp_path / "client", None)
    try:
        dialog = ServerDialog(context)
        dialog.show()
        dialog.submit()
        assert dialog.ui.messageLabel.text() == "请输入中心服务器地址。"
        dialog.ui.serverEdit.setText(f"127.0.0.1:{free_loopback_port()}")
        dialog.submit()
        wait_until(lambda: not dialog.busy)
        assert dialog.ui.messageLabel.text().startswith("无法连接服务器")
        dialog.ui.serverEdit.setText(live_server.url.removeprefix("http://") + "/")
        QTest.keyClick(dialog.ui.serverEdit, Qt.Key.Key_Return)
        wait_until(lambda: dialog.result() == QDialog.DialogCode.Accepted)
        assert context.settings.server_url == live_server.url
        assert load_settings(data_dir=tmp_path / "client").server_url == live_server.url, "remembered"
    finally:
        context.close()


def test_autologin_from_the_environment(
    qapp: QApplication, tmp_path: Path, live_server: LiveServer, keyring_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    username = live_server.make_user("clerk")
    args = ["--data-dir", str(tmp_path / "client"), "--server", live_server.url, "--user", username]
    monkeypatch.setenv(client_app.AUTOLOGIN_VARIABLE, READY_PASSWORD)
    assert client_app.main([*args, "--quit-after-ready"]) == 0
    monkeypatch.setenv(client_app.AUTOLOGIN_VARIABLE, "Wrong#pass9")
    assert client_app.main([*args, "--quit-after-ready"]) == client_app.EXIT_SIGN_IN_FAILED
