"""系统设置 against a real server: administrators only; changes made in the UI reach the server and the audit log."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QPushButton

from efangtong_desktop.context import AppContext
from efangtong_desktop.settings import load_settings
from efangtong_desktop.views.admin.audit import AuditTab
from efangtong_desktop.views.admin.base import AdminTab
from efangtong_desktop.views.admin.categories import CategoriesTab
from efangtong_desktop.views.admin.devices import DevicesTab
from efangtong_desktop.views.admin.page import TAB_CLASSES, AdminPage
from efangtong_desktop.views.admin.parameters import ParametersTab
from efangtong_desktop.views.admin.units import UnitsTab
from efangtong_desktop.views.admin.users import UsersTab
from efangtong_desktop.views.main_window import SETTINGS_PAGE, MainWindow
from efangtong_desktop.views.sign_in import sign_in_automatically
from tests.desktop.live_server import (
    ADMIN,
    ADMIN_PASSWORD,
    READY_PASSWORD,
    LiveServer,
    keyring_home,
    live_server,
    wait_until,
)

__all__ = ["keyring_home", "live_server"]


def signed_in_window(data_dir: Path, server: LiveServer, username: str, password: str) -> MainWindow:
    context = AppContext.open(load_settings(data_dir=data_dir, server_url=server.url))
    sign_in_automatically(context, username, password)
    window = MainWindow(context)
    window.resize(1366, 768)
    window.show()
    window.navigate(SETTINGS_PAGE)
    return window


@pytest.fixture
def admin_window(
    qapp: QApplication, tmp_path: Path, live_server: LiveServer, keyring_home: Path
) -> Iterator[MainWindow]:
    """The main window of the administrator, on the 设置 page."""
    window = signed_in_window(tmp_path / "client", live_server, ADMIN, ADMIN_PASSWORD)
    yield window
    window.close()
    window.context.close()


def page_of(window: MainWindow) -> AdminPage:
    return window.admin_page


def loaded(tab: AdminTab) -> AdminTab:
    tab.confirm = lambda text: True  # type: ignore[method-assign]
    wait_until(lambda: tab.loaded and tab.busy == 0)
    return tab


def button(tab: AdminTab, text: str) -> QPushButton:
    return next(b for b in tab.findChildren(QPushButton) if b.text() == text)


def submit_form(tab: AdminTab) -> None:
    dialog = tab.dialog
    assert dialog is not None
    dialog.submit()  # type: ignore[attr-defined]
    wait_until(lambda: not dialog.busy)  # type: ignore[attr-defined]
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.ui.messageLabel.text()  # type: ignore[attr-defined]
    wait_until(lambda: tab.busy == 0)


def test_a_clerk_gets_only_the_local_settings(
    qapp: QApplication, tmp_path: Path, live_server: LiveServer, keyring_home: Path
) -> None:
    clerk = live_server.make_user("clerk")
    window = signed_in_window(tmp_path / "client", live_server, clerk, READY_PASSWORD)
    try:
        page = page_of(window)
        assert not page.allowed
        assert not page.ui.refusedCard.isVisible()
        assert page.ui.tabs.count() == 1 and page.ui.tabs.tabText(0) == "本机设置"
    finally:
        window.close()
        window.context.close()


def test_a_handler_is_refused(qapp: QApplication, tmp_path: Path, live_server: LiveServer, keyring_home: Path) -> None:
    handler = live_server.make_user("handler")
    window = signed_in_window(tmp_path / "client", live_server, handler, READY_PASSWORD)
    try:
        page = page_of(window)
        assert not page.allowed
        assert page.ui.refusedHeading.text() == "系统设置仅限系统管理员使用"
        assert page.ui.refusedCard.isVisible()
        assert not page.ui.tabs.isVisible() and page.ui.tabs.count() == 0
    finally:
        window.close()
        window.context.close()


def test_every_tab_loads_for_the_administrator(admin_window: MainWindow) -> None:
    page = page_of(admin_window)
    assert page.allowed
    assert [page.ui.tabs.tabText(i) for i in range(page.ui.tabs.count())] == [
        "单位",
        "用户与授权",
        "设备",
        "内容分类",
        "期限规则与节假日",
        "短信模板",
        "文书模板",
        "分办规则",
        "系统参数",
        "审计日志",
        "本机设置",
    ]
    for tab_class in TAB_CLASSES:
        tab = loaded(page.show_tab(tab_class))
        assert tab.messageLabel.property("role") != "formError" or not tab.messageLabel.text(), (
            tab_class.__name__,
            tab.messageLabel.text(),
        )
    units = page.tab(UnitsTab)
    assert isinstance(units, UnitsTab) and units.model.find("name", "伊金霍洛旗信访局") >= 0
    devices = page.tab(DevicesTab)
    assert isinstance(devices, DevicesTab) and devices.model.rows, "this PC registered itself at sign-in"


def test_creating_a_user_and_granting_a_role_reaches_the_server_and_the_audit(
    admin_window: MainWindow, live_server: LiveServer
) -> None:
    page = page_of(admin_window)
    tab = loaded(page.show_tab(UsersTab))
    assert isinstance(tab, UsersTab)
    username = f"handler{uuid.uuid4().hex[:6]}"

    button(tab, "新增用户").click()
    form = tab.dialog.ui  # type: ignore[union-attr]
    form.usernameEdit.setText(username)
    form.displayNameEdit.setText("乌兰")
    form.phoneEdit.setText("13800000000")
    form.passwordEdit.setText("weak")
    tab.dialog.submit()  # type: ignore[union-attr]
    wait_until(lambda: not tab.dialog.busy)  # type: ignore[union-attr]
    assert "密码" in form.messageLabel.text(), "the server's policy message stays in the open form"
    form.passwordEdit.setText("Start#2026pw")
    submit_form(tab)
    assert tab.select_user(username)

    button(tab, "授予角色").click()
    grant = tab.dialog.ui  # type: ignore[union-attr]
    grant.roleCombo.setCurrentIndex(grant.roleCombo.findData("dispatcher"))
    submit_form(tab)
    wait_until(lambda: tab.grants.rowCount() == 1)
    assert tab.grants.row(0)["role_label"] == "分办员"

    on_server = live_server.admin_client().get("/admin/users", {"q": username})
    assert len(on_server) == 1 and on_server[0]["display_name"] == "乌兰"
    assert on_server[0]["must_change_password"]
    assert [g["role"] for g in on_server[0]["grants"]] == ["dispatcher"]

    user_id = on_server[0]["id"]
    audit = loaded(page.show_tab(AuditTab))
    assert isinstance(audit, AuditTab)
    audit.ui.entityIdEdit.setText(user_id)
    audit.load()
    wait_until(lambda: audit.busy == 0)
    assert [(row["action"], row["entity"]) for row in audit.model.rows] == [("create", "user_account")]
    audit.ui.entityIdEdit.clear()
    audit.ui.entityCombo.setCurrentIndex(audit.ui.entityCombo.findData("role_grant"))
    audit.load()
    wait_until(lambda: audit.busy == 0)
    assert any(
        row["details"].get("role", {}).get("new") == "dispatcher" or "dispatcher" in str(row["details"])
        for row in audit.model.rows
    )
    texts_shown = {audit.model.data(audit.model.index(0, column)) for column in range(audit.model.columnCount())}
    assert "授权" in texts_shown and ADMIN in texts_shown


def test_disable_and_enable_a_user(admin_window: MainWindow, live_server: LiveServer) -> None:
    clerk = live_server.make_user("clerk", display_name="停用测试")
    tab = loaded(page_of(admin_window).show_tab(UsersTab))
    assert isinstance(tab, UsersTab)
    tab.ui.searchEdit.setText(clerk)
    wait_until(lambda: tab.users.rowCount() == 1 and tab.busy == 0)
    assert tab.select_user(clerk)
    button(tab, "停用").click()
    wait_until(lambda: tab.busy == 0 and tab.selected_user() is not None and tab.selected_user()["disabled"])  # type: ignore[index]
    assert live_server.admin_client().get("/admin/users", {"q": clerk})[0]["disabled"]
    button(tab, "启用").click()
    wait_until(lambda: tab.busy == 0 and not tab.selected_user()["disabled"])  # type: ignore[index]


def test_units_categories_and_parameters_change_on_the_server(
    admin_window: MainWindow, live_server: LiveServer
) -> None:
    page = page_of(admin_window)
    units = loaded(page.show_tab(UnitsTab))
    assert isinstance(units, UnitsTab)
    button(units, "新增").click()
    form = units.dialog.ui  # type: ignore[union-attr]
    form.nameEdit.setText("测试镇")
    form.kindCombo.setCurrentIndex(form.kindCombo.findData("town"))
    submit_form(units)
    assert units.model.find("name", "测试镇") >= 0

    categories = loaded(page.show_tab(CategoriesTab))
    assert isinstance(categories, CategoriesTab)
    button(categories, "新增分类").click()
    form = categories.dialog.ui  # type: ignore[union-attr]
    form.parentCombo.setCurrentIndex(0)
    form.codeEdit.setText("97")
    form.nameEdit.setText("测试分类")
    submit_form(categories)
    assert categories.select_code("97")
    button(categories, "新增分类").click()
    form = categories.dialog.ui  # type: ignore[union-attr]
    assert form.parentCombo.currentText().startswith("97"), "a new category goes under the selected one"
    form.codeEdit.setText("9701")
    form.nameEdit.setText("测试子类")
    submit_form(categories)
    tree = live_server.admin_client().get("/admin/categories")
    top = next(c for c in tree if c["code"] == "97")
    assert [child["code"] for child in top["children"]] == ["9701"]

    parameters = loaded(page.show_tab(ParametersTab))
    assert isinstance(parameters, ParametersTab)
    assert parameters.select_where("key", "offline_login_days")
    button(parameters, "修改").click()
    form = parameters.dialog.ui  # type: ignore[union-attr]
    assert form.intSpin.isVisibleTo(parameters.dialog) and not form.boolCheck.isVisibleTo(parameters.dialog)
    form.intSpin.setValue(12)
    submit_form(parameters)
    assert live_server.admin_client().get("/admin/parameters/offline_login_days")["value"] == 12
