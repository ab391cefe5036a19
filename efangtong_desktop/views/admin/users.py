"""系统设置 · 用户与授权: users, their role grants scoped to a unit; create, disable/enable, reset password, grant."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from efangtong_core.vocabulary import Role
from efangtong_desktop.context import AppContext
from efangtong_desktop.forms.ui_admin_grant_form import Ui_AdminGrantForm
from efangtong_desktop.forms.ui_admin_password_form import Ui_AdminPasswordForm
from efangtong_desktop.forms.ui_admin_user_form import Ui_AdminUserForm
from efangtong_desktop.forms.ui_admin_users_tab import Ui_AdminUsersTab
from efangtong_desktop.services.admin import AdminService, Row
from efangtong_desktop.views.admin import texts
from efangtong_desktop.views.admin.base import (
    AdminTab,
    FormDialog,
    fill_combo,
    fit_columns,
    selected_row,
    setup_table,
    unit_items,
)
from efangtong_desktop.views.admin.table_model import Column, RowTableModel, field, local_time

SEARCH_DELAY_MS = 300


def _roles(user: Row) -> str:
    return "、".join(sorted({str(grant["role_label"]) for grant in user.get("grants", [])}))


def _status(user: Row) -> str:
    if user.get("disabled"):
        return texts.USER_STATUS_DISABLED
    locked = user.get("locked_until")
    if isinstance(locked, str) and datetime.fromisoformat(locked.replace("Z", "+00:00")) > datetime.now(UTC):
        return texts.USER_STATUS_LOCKED
    return texts.USER_STATUS_MUST_CHANGE if user.get("must_change_password") else texts.USER_STATUS_NORMAL


USER_COLUMNS = tuple(
    Column(title, text)
    for title, text in zip(
        texts.USER_COLUMNS,
        (
            field("username"),
            field("display_name"),
            field("org_unit_name"),
            _roles,
            field("phone"),
            _status,
            lambda user: local_time(user.get("last_login_at")),
        ),
        strict=True,
    )
)
GRANT_COLUMNS = tuple(
    Column(title, text)
    for title, text in zip(
        texts.GRANT_COLUMNS,
        (field("role_label"), field("scope_unit_name"), lambda grant: local_time(grant.get("created_at"))),
        strict=True,
    )
)


class UsersTab(AdminTab):
    """Users and role grants."""

    title = texts.TAB_USERS

    def __init__(self, context: AppContext, service: AdminService, parent: QWidget | None = None) -> None:
        super().__init__(context, service, parent)
        self.ui = Ui_AdminUsersTab()
        self.ui.setupUi(self)
        self.messageLabel = self.ui.messageLabel
        self.actions_layout = self.ui.actionsLayout
        self.units: list[Row] = []
        self.users = RowTableModel(USER_COLUMNS, muted=lambda user: bool(user.get("disabled")), parent=self)
        self.grants = RowTableModel(GRANT_COLUMNS, parent=self)
        setup_table(self.ui.usersView, self.users, stretch_column=2)
        setup_table(self.ui.grantsView, self.grants, stretch_column=1)
        self.ui.splitter.setSizes([360, 160])
        self.ui.usersView.selectionModel().selectionChanged.connect(self._user_changed)
        self.ui.grantsView.selectionModel().selectionChanged.connect(self.selection_changed)
        self.ui.usersView.doubleClicked.connect(lambda _: self.edit_user())
        self.ui.refreshButton.clicked.connect(self.load)
        self._search = QTimer(self)
        self._search.setSingleShot(True)
        self._search.setInterval(SEARCH_DELAY_MS)
        self._search.timeout.connect(self.load)
        self.ui.searchEdit.textChanged.connect(lambda _: self._search.start())
        has_user = self.user_selected
        self.add_button(texts.USER_NEW, self.new_user)
        self.add_button(texts.EDIT, self.edit_user, enabled=has_user)
        self.add_button(texts.USER_DISABLE, self.disable_user, enabled=lambda: self._user_is(disabled=False))
        self.add_button(texts.USER_ENABLE, self.enable_user, enabled=lambda: self._user_is(disabled=True))
        self.add_button(texts.USER_RESET_PASSWORD, self.reset_password, enabled=has_user)
        grant_row = self.ui.grantActionsLayout
        self.add_button(texts.GRANT_ADD, self.grant_role, layout=grant_row, enabled=has_user)
        self.add_button(texts.GRANT_REVOKE, self.revoke_grant, layout=grant_row, enabled=self.grant_selected)

    # -- selection --------------------------------------------------------------------------------------------------

    def selected_user(self) -> Row | None:
        """The selected user, or None."""
        return selected_row(self.ui.usersView, self.users)

    def selected_grant(self) -> Row | None:
        """The selected grant of the selected user, or None."""
        return selected_row(self.ui.grantsView, self.grants)

    def user_selected(self) -> bool:
        """True when a user is selected."""
        return self.selected_user() is not None

    def grant_selected(self) -> bool:
        """True when a grant is selected."""
        return self.selected_grant() is not None

    def _user_is(self, *, disabled: bool) -> bool:
        user = self.selected_user()
        return user is not None and bool(user.get("disabled")) == disabled

    def _user_changed(self) -> None:
        user = self.selected_user()
        self.grants.set_rows(user.get("grants", []) if user else [])
        fit_columns(self.ui.grantsView)
        self.selection_changed()

    def select_user(self, username: str) -> bool:
        """Select the user `username`; False when not listed."""
        number = self.users.find("username", username)
        if number >= 0:
            self.ui.usersView.selectRow(number)
        return number >= 0

    # -- loading ----------------------------------------------------------------------------------------------------

    def load(self) -> None:
        """Fetch the users matching the search text, and the units for the forms."""
        text = self.ui.searchEdit.text().strip()
        self.fetch(lambda: (self.service.users(text), self.service.units()), self._show)

    def _show(self, result: tuple[list[Row], list[Row]]) -> None:
        users, self.units = result
        previous = self.selected_user()
        self.users.set_rows(users)
        fit_columns(self.ui.usersView)
        if previous is not None:
            self.select_user(str(previous["username"]))
        self._user_changed()

    # -- actions ----------------------------------------------------------------------------------------------------

    def _user_form(self, user: Row | None) -> FormDialog:
        ui = Ui_AdminUserForm()

        def collect() -> Row:
            values: Row = {
                "display_name": ui.displayNameEdit.text().strip(),
                "phone": ui.phoneEdit.text().strip() or None,
                "org_unit_id": ui.unitCombo.currentData(),
            }
            if user is None:
                values["username"] = ui.usernameEdit.text().strip()
                values["password"] = ui.passwordEdit.text()
                if not values["password"]:
                    raise ValueError(texts.USER_PASSWORD_EMPTY)
            if not values["display_name"] or not values["org_unit_id"] or (user is None and not values["username"]):
                raise ValueError(texts.USER_FIELDS_EMPTY)
            return values

        if user is None:
            title, save = texts.USER_NEW_TITLE, self.service.create_user
        else:
            title = texts.USER_EDIT_TITLE.format(name=user["display_name"])

            def save(values: Row) -> Row:
                return self.service.update_user(user["id"], values)

        dialog = FormDialog(self.context, ui, title, collect, save, self)
        current = user or {}
        ui.usernameEdit.setText(current.get("username", ""))
        ui.usernameEdit.setReadOnly(user is not None)
        ui.displayNameEdit.setText(current.get("display_name", ""))
        ui.phoneEdit.setText(current.get("phone") or "")
        fill_combo(ui.unitCombo, unit_items(self.units), current.get("org_unit_id"))
        ui.formLayout.setRowVisible(ui.passwordEdit, user is None)
        return dialog

    def new_user(self) -> None:
        """Open the form for a new user with an initial password."""
        self.open_form(self._user_form(None))

    def edit_user(self) -> None:
        """Open the form on the selected user."""
        user = self.selected_user()
        if user is None:
            self.say(texts.NO_SELECTION)
            return
        self.open_form(self._user_form(user))

    def disable_user(self) -> None:
        """Disable the selected user after confirmation."""
        user = self.selected_user()
        if user is not None and self.confirm(texts.CONFIRM_DISABLE_USER.format(name=user["display_name"])):
            self.change(lambda: self.service.set_user_enabled(user["id"], False))

    def enable_user(self) -> None:
        """Enable the selected user."""
        user = self.selected_user()
        if user is not None:
            self.change(lambda: self.service.set_user_enabled(user["id"], True))

    def reset_password(self) -> None:
        """Give the selected user a new initial password."""
        user = self.selected_user()
        if user is None:
            return
        ui = Ui_AdminPasswordForm()

        def collect() -> Row:
            if not ui.passwordEdit.text():
                raise ValueError(texts.USER_PASSWORD_EMPTY)
            return {"password": ui.passwordEdit.text()}

        title = texts.RESET_TITLE.format(name=user["display_name"])
        self.open_form(
            FormDialog(
                self.context, ui, title, collect, lambda v: self.service.reset_password(user["id"], v["password"]), self
            )
        )

    def grant_role(self) -> None:
        """Grant the selected user a role within a unit's scope."""
        user = self.selected_user()
        if user is None:
            return
        ui = Ui_AdminGrantForm()

        def collect() -> Row:
            return {"role": ui.roleCombo.currentData(), "scope_unit_id": ui.scopeCombo.currentData()}

        def save(values: Row) -> Row:
            return self.service.grant(user["id"], values["role"], values["scope_unit_id"])

        dialog = FormDialog(self.context, ui, texts.GRANT_TITLE.format(name=user["display_name"]), collect, save, self)
        fill_combo(ui.roleCombo, [(role.label, role.value) for role in Role])
        fill_combo(ui.scopeCombo, unit_items(self.units), user.get("org_unit_id"))
        self.open_form(dialog)

    def revoke_grant(self) -> None:
        """Revoke the selected grant after confirmation."""
        user, grant = self.selected_user(), self.selected_grant()
        if user is None or grant is None:
            self.say(texts.GRANT_NO_SELECTION)
            return
        question = texts.CONFIRM_REVOKE_GRANT.format(
            name=user["display_name"], scope=grant["scope_unit_name"], role=grant["role_label"]
        )
        if self.confirm(question):
            self.change(lambda: self.service.revoke(user["id"], grant["id"]))
