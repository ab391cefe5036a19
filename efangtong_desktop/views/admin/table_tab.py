"""A tab that is one table with an action row (`ui/admin_table_tab.ui`): the shape of most 系统设置 tabs."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QWidget

from efangtong_desktop.context import AppContext
from efangtong_desktop.forms.ui_admin_table_tab import Ui_AdminTableTab
from efangtong_desktop.services.admin import AdminService, Row
from efangtong_desktop.views.admin.base import AdminTab, fit_columns, selected_row, setup_table
from efangtong_desktop.views.admin.table_model import Column, RowTableModel


class TableTab(AdminTab):
    """One table of rows; subclasses name the columns, the hint, how to fetch and which buttons to add."""

    columns: Sequence[Column] = ()
    hint = ""
    stretch_column: int | None = None

    def __init__(self, context: AppContext, service: AdminService, parent: QWidget | None = None) -> None:
        super().__init__(context, service, parent)
        self.ui = Ui_AdminTableTab()
        self.ui.setupUi(self)
        self.messageLabel = self.ui.messageLabel
        self.actions_layout = self.ui.actionsLayout
        self.ui.hintLabel.setText(self.hint)
        self.ui.hintLabel.setVisible(bool(self.hint))
        self.model = RowTableModel(self.columns, muted=self.is_muted, parent=self)
        setup_table(self.ui.tableView, self.model, self.stretch_column)
        self.ui.tableView.selectionModel().selectionChanged.connect(self.selection_changed)
        self.ui.tableView.doubleClicked.connect(lambda _: self.activated())
        self.ui.refreshButton.clicked.connect(self.load)

    def is_muted(self, row: Row) -> bool:
        """Rows drawn grey (inactive ones)."""
        return row.get("active") is False

    def rows(self) -> list[Row]:
        """Fetch the rows (runs off the GUI thread)."""
        raise NotImplementedError

    def load(self) -> None:
        """Fetch and show the rows, keeping the selection on the same record."""
        self.fetch(self.rows, self.show_rows)

    def show_rows(self, rows: list[Row]) -> None:
        """Show `rows`; reselect the record that was selected."""
        previous = self.selected()
        self.model.set_rows(rows)
        fit_columns(self.ui.tableView)
        if previous is not None:
            number = self.model.find(self.key, previous.get(self.key))
            if number >= 0:
                self.ui.tableView.selectRow(number)

    key = "id"

    def selected(self) -> Row | None:
        """The selected row, or None."""
        return selected_row(self.ui.tableView, self.model)

    def has_selection(self) -> bool:
        """True when a row is selected."""
        return self.selected() is not None

    def when_selected(self, predicate: Callable[[Row], bool]) -> Callable[[], bool]:
        """An `enabled` test: a row is selected and `predicate(row)` holds."""

        def test() -> bool:
            row = self.selected()
            return row is not None and predicate(row)

        return test

    def activated(self) -> None:
        """Double click or Enter on a row (subclasses open the edit form)."""

    def select_where(self, key: str, value: object) -> bool:
        """Select the row whose `key` equals `value` (tests and after-create); False when there is none."""
        number = self.model.find(key, value)
        if number >= 0:
            self.ui.tableView.selectRow(number)
        return number >= 0
