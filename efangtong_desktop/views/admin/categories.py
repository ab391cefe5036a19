"""系统设置 · 内容分类: the two-level category tree; add first- and second-level categories, rename, (de)activate."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QHeaderView, QWidget

from efangtong_desktop.context import AppContext
from efangtong_desktop.forms.ui_admin_category_form import Ui_AdminCategoryForm
from efangtong_desktop.forms.ui_admin_tree_tab import Ui_AdminTreeTab
from efangtong_desktop.services.admin import AdminService, Row
from efangtong_desktop.views.admin import texts
from efangtong_desktop.views.admin.base import AdminTab, FormDialog, fill_combo
from efangtong_desktop.views.admin.table_model import MUTED, active_status

ROW_ROLE = Qt.ItemDataRole.UserRole + 1


def _items(category: Row) -> list[QStandardItem]:
    cells = [category["name"], category["code"], str(category.get("sort_order", 0)), active_status(category)]
    items = [QStandardItem(str(text)) for text in cells]
    for item in items:
        item.setEditable(False)
        if not category.get("active"):
            item.setForeground(MUTED)
    items[0].setData(category, ROW_ROLE)
    return items


class CategoriesTab(AdminTab):
    """Content categories as a tree."""

    title = texts.TAB_CATEGORIES

    def __init__(self, context: AppContext, service: AdminService, parent: QWidget | None = None) -> None:
        super().__init__(context, service, parent)
        self.ui = Ui_AdminTreeTab()
        self.ui.setupUi(self)
        self.messageLabel = self.ui.messageLabel
        self.actions_layout = self.ui.actionsLayout
        self.ui.hintLabel.setText(texts.CATEGORIES_HINT)
        self.model = QStandardItemModel(0, len(texts.CATEGORY_COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(texts.CATEGORY_COLUMNS))
        self.ui.treeView.setModel(self.model)
        self.ui.treeView.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.ui.treeView.header().setStretchLastSection(False)
        self.ui.treeView.selectionModel().selectionChanged.connect(self.selection_changed)
        self.ui.treeView.doubleClicked.connect(lambda _: self.edit_category())
        self.ui.refreshButton.clicked.connect(self.load)
        self.tops: list[Row] = []
        selected = self.has_selection
        self.add_button(texts.CATEGORY_NEW, self.new_category)
        self.add_button(texts.EDIT, self.edit_category, enabled=selected)
        self.add_button(texts.DEACTIVATE, lambda: self._set_active(False), enabled=lambda: self._selected_is(True))
        self.add_button(texts.REACTIVATE, lambda: self._set_active(True), enabled=lambda: self._selected_is(False))

    def selected(self) -> Row | None:
        """The selected category (either level), or None."""
        indexes = self.ui.treeView.selectionModel().selectedRows()
        if not indexes:
            return None
        data: Any = indexes[0].data(ROW_ROLE)
        return data if isinstance(data, dict) else None

    def has_selection(self) -> bool:
        """True when a category is selected."""
        return self.selected() is not None

    def _selected_is(self, active: bool) -> bool:
        category = self.selected()
        return category is not None and bool(category.get("active")) == active

    def load(self) -> None:
        """Fetch the tree."""
        self.fetch(self.service.categories, self._show)

    def _show(self, tops: list[Row]) -> None:
        previous = self.selected()
        self.tops = tops
        self.model.removeRows(0, self.model.rowCount())
        for top in tops:
            items = _items(top)
            for child in top.get("children", []):
                items[0].appendRow(_items(child))
            self.model.appendRow(items)
        self.ui.treeView.expandAll()
        for column in range(1, self.model.columnCount()):
            self.ui.treeView.resizeColumnToContents(column)
        if previous is not None:
            self.select_code(str(previous["code"]))

    def select_code(self, code: str) -> bool:
        """Select the category with `code`; False when absent."""
        found = self.model.match(
            self.model.index(0, 1),
            Qt.ItemDataRole.DisplayRole,
            code,
            1,
            Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive,
        )
        if not found:
            return False
        view = self.ui.treeView
        view.setCurrentIndex(found[0].siblingAtColumn(0))
        view.selectionModel().select(
            found[0], view.selectionModel().SelectionFlag.ClearAndSelect | view.selectionModel().SelectionFlag.Rows
        )
        return True

    def _form(self, category: Row | None) -> FormDialog:
        ui = Ui_AdminCategoryForm()

        def collect() -> Row:
            values: Row = {"name": ui.nameEdit.text().strip(), "sort_order": ui.sortSpin.value()}
            if category is None:
                values["code"] = ui.codeEdit.text().strip()
                values["parent_id"] = ui.parentCombo.currentData()
            if not values["name"] or (category is None and not values["code"]):
                raise ValueError(texts.CATEGORY_FIELDS_EMPTY)
            return values

        if category is None:
            dialog = FormDialog(self.context, ui, texts.CATEGORY_NEW_TITLE, collect, self.service.create_category, self)
        else:
            title = texts.CATEGORY_EDIT_TITLE.format(name=category["name"])
            dialog = FormDialog(
                self.context, ui, title, collect, lambda v: self.service.update_category(category["id"], v), self
            )
        current = category or {}
        selected = self.selected() or {}
        default_parent = selected.get("parent_id") or selected.get("id")
        tops = [(f"{top['code']} {top['name']}", top["id"]) for top in self.tops if top.get("active")]
        fill_combo(ui.parentCombo, [(texts.TOP_LEVEL, None), *tops], current.get("parent_id", default_parent))
        ui.parentCombo.setEnabled(category is None)
        ui.codeEdit.setText(current.get("code", ""))
        ui.codeEdit.setReadOnly(category is not None)
        ui.nameEdit.setText(current.get("name", ""))
        ui.sortSpin.setValue(int(current.get("sort_order", 0)))
        return dialog

    def new_category(self) -> None:
        """Open the form for a new category (under the selected first-level one by default)."""
        self.open_form(self._form(None))

    def edit_category(self) -> None:
        """Open the form on the selected category."""
        category = self.selected()
        if category is None:
            self.say(texts.NO_SELECTION)
            return
        self.open_form(self._form(category))

    def _set_active(self, active: bool) -> None:
        category = self.selected()
        if category is not None:
            self.change(lambda: self.service.set_category_active(category["id"], active))
