"""系统设置 · 审计日志: who read or changed which record, filtered by user, person/record, action and time."""

from __future__ import annotations

import json
from collections.abc import Callable

from PySide6.QtCore import QDateTime, QTime
from PySide6.QtWidgets import QWidget

from efangtong_desktop.context import AppContext
from efangtong_desktop.forms.ui_admin_audit_tab import Ui_AdminAuditTab
from efangtong_desktop.services.admin import AdminService, Row
from efangtong_desktop.views.admin import texts
from efangtong_desktop.views.admin.base import AdminTab, fill_combo, fit_columns, setup_table
from efangtong_desktop.views.admin.table_model import RowTableModel, columns, field, time_field
from efangtong_desktop.views.feedback import show_message


def _label(mapping: dict[str, str], key: str) -> Callable[[Row], str]:
    def text(row: Row) -> str:
        code = row.get(key)
        return mapping.get(str(code), str(code)) if code else ""

    return text


def _details(row: Row) -> str:
    details = row.get("details")
    return json.dumps(details, ensure_ascii=False, separators=(", ", ": ")) if details else ""


AUDIT_COLUMNS = columns(
    texts.AUDIT_COLUMNS,
    (
        time_field("at"),
        field("username"),
        _label(texts.AUDIT_ACTIONS, "action"),
        _label(texts.AUDIT_ENTITIES, "entity"),
        field("entity_id"),
        field("ip"),
        _details,
    ),
)


def _utc_text(moment: QDateTime) -> str:
    return moment.toUTC().toString("yyyy-MM-ddTHH:mm:ssZ")


class AuditTab(AdminTab):
    """The audit trail."""

    title = texts.TAB_AUDIT

    def __init__(self, context: AppContext, service: AdminService, parent: QWidget | None = None) -> None:
        super().__init__(context, service, parent)
        self.ui = Ui_AdminAuditTab()
        self.ui.setupUi(self)
        self.messageLabel = self.ui.messageLabel
        self.model = RowTableModel(AUDIT_COLUMNS, parent=self)
        setup_table(self.ui.tableView, self.model)
        self.users_loaded = False
        fill_combo(self.ui.userCombo, [(texts.AUDIT_ALL_USERS, None)])
        fill_combo(
            self.ui.entityCombo, [(texts.AUDIT_ALL_ENTITIES, None), *[(v, k) for k, v in texts.AUDIT_ENTITIES.items()]]
        )
        fill_combo(
            self.ui.actionCombo, [(texts.AUDIT_ALL_ACTIONS, None), *[(v, k) for k, v in texts.AUDIT_ACTIONS.items()]]
        )
        now = QDateTime.currentDateTime()
        self.ui.sinceEdit.setDateTime(QDateTime(now.date().addDays(-7), QTime(0, 0)))
        self.ui.untilEdit.setDateTime(QDateTime(now.date().addDays(1), QTime(0, 0)))
        self.ui.sinceCheck.toggled.connect(self.ui.sinceEdit.setEnabled)
        self.ui.untilCheck.toggled.connect(self.ui.untilEdit.setEnabled)
        self.ui.searchButton.clicked.connect(self.load)
        self.ui.entityIdEdit.returnPressed.connect(self.load)

    def filters(self) -> Row:
        """The query the filter row describes; ValueError when the time range is backwards."""
        since = self.ui.sinceEdit.dateTime() if self.ui.sinceCheck.isChecked() else None
        until = self.ui.untilEdit.dateTime() if self.ui.untilCheck.isChecked() else None
        if since is not None and until is not None and since >= until:
            raise ValueError(texts.AUDIT_RANGE_BAD)
        return {
            "user_id": self.ui.userCombo.currentData(),
            "entity": self.ui.entityCombo.currentData(),
            "entity_id": self.ui.entityIdEdit.text().strip() or None,
            "action": self.ui.actionCombo.currentData(),
            "since": _utc_text(since) if since is not None else None,
            "until": _utc_text(until) if until is not None else None,
        }

    def load(self) -> None:
        """Query the audit trail with the filters (and, the first time, list the users for the user filter)."""
        try:
            filters = self.filters()
        except ValueError as error:
            self.say(str(error))
            return
        need_users = not self.users_loaded
        service = self.service
        self.fetch(lambda: (service.audit(filters), service.users() if need_users else None), self._show)

    def _show(self, result: tuple[list[Row], list[Row] | None]) -> None:
        entries, users = result
        if users is not None:
            current = self.ui.userCombo.currentData()
            items = [
                (texts.AUDIT_ALL_USERS, None),
                *[(f"{u['display_name']}（{u['username']}）", u["id"]) for u in users],
            ]
            fill_combo(self.ui.userCombo, items, current)
            self.users_loaded = True
        self.model.set_rows(entries)
        fit_columns(self.ui.tableView, maximum=260)
        self.say_count(len(entries))

    def say_count(self, count: int) -> None:
        """Show how many entries were found."""
        show_message(self.messageLabel, texts.LOADED.format(count=count), ok=True)
