"""系统设置 · 单位: the org-unit tree as an indented table; add, change, deactivate and reactivate units."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from efangtong_core.vocabulary import OrgUnitKind
from efangtong_desktop.context import AppContext
from efangtong_desktop.forms.ui_admin_unit_form import Ui_AdminUnitForm
from efangtong_desktop.services.admin import AdminService, Row
from efangtong_desktop.views.admin import texts
from efangtong_desktop.views.admin.base import FormDialog, fill_combo, unit_items
from efangtong_desktop.views.admin.table_model import active_status, columns, field
from efangtong_desktop.views.admin.table_tab import TableTab


def _indented_name(row: Row) -> str:
    return "　" * int(row.get("depth", 0)) + str(row["name"])


class UnitsTab(TableTab):
    """The org units."""

    title = texts.TAB_UNITS
    hint = texts.UNITS_HINT
    stretch_column = 0
    columns = columns(
        texts.UNIT_COLUMNS,
        (
            _indented_name,
            field("short_name"),
            field("kind_label"),
            field("division_code"),
            field("sort_order"),
            active_status,
        ),
        right=(4,),
    )

    def __init__(self, context: AppContext, service: AdminService, parent: QWidget | None = None) -> None:
        super().__init__(context, service, parent)
        self.add_button(texts.NEW, self.new_unit)
        self.add_button(texts.EDIT, self.edit_unit, enabled=self.has_selection)
        self.add_button(texts.DEACTIVATE, self.deactivate, enabled=self.when_selected(lambda row: row["active"]))
        self.add_button(texts.REACTIVATE, self.reactivate, enabled=self.when_selected(lambda row: not row["active"]))

    def rows(self) -> list[Row]:
        """Every unit in tree order."""
        return self.service.units()

    def activated(self) -> None:
        """Double click edits."""
        self.edit_unit()

    def _form(self, title: str, unit: Row | None) -> FormDialog:
        ui = Ui_AdminUnitForm()
        units = self.model.rows

        def collect() -> Row:
            name = ui.nameEdit.text().strip()
            if not name:
                raise ValueError(texts.UNIT_NAME_EMPTY)
            return {
                "name": name,
                "short_name": ui.shortNameEdit.text().strip() or None,
                "kind": ui.kindCombo.currentData(),
                "parent_id": ui.parentCombo.currentData(),
                "division_code": ui.divisionEdit.text().strip() or None,
                "sort_order": ui.sortSpin.value(),
            }

        if unit is None:
            dialog = FormDialog(self.context, ui, title, collect, self.service.create_unit, self)
        else:
            dialog = FormDialog(
                self.context, ui, title, collect, lambda values: self.service.update_unit(unit["id"], values), self
            )
        current = unit or {}
        ui.nameEdit.setText(current.get("name", ""))
        ui.shortNameEdit.setText(current.get("short_name") or "")
        fill_combo(ui.kindCombo, [(kind.label, kind.value) for kind in OrgUnitKind], current.get("kind", "town"))
        parents = [(texts.NONE, None), *[(t, i) for t, i in unit_items(units) if i != current.get("id")]]
        default_parent = next((row["id"] for row in units if row.get("kind") == "bureau"), None)
        fill_combo(ui.parentCombo, parents, current.get("parent_id", default_parent) if unit else default_parent)
        ui.divisionEdit.setText(current.get("division_code") or "")
        ui.sortSpin.setValue(int(current.get("sort_order", 0)))
        return dialog

    def new_unit(self) -> None:
        """Open the form for a new unit."""
        self.open_form(self._form(texts.UNIT_NEW_TITLE, None))

    def edit_unit(self) -> None:
        """Open the form on the selected unit."""
        unit = self.selected()
        if unit is None:
            self.say(texts.NO_SELECTION)
            return
        self.open_form(self._form(texts.UNIT_EDIT_TITLE.format(name=unit["name"]), unit))

    def deactivate(self) -> None:
        """Deactivate the selected unit."""
        unit = self.selected()
        if unit is not None:
            self.change(lambda: self.service.set_unit_active(unit["id"], False))

    def reactivate(self) -> None:
        """Reactivate the selected unit."""
        unit = self.selected()
        if unit is not None:
            self.change(lambda: self.service.set_unit_active(unit["id"], True))
