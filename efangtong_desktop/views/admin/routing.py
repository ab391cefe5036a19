"""系统设置 · 分办规则: which unit handles matters of a category (and town); add, change, delete."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from efangtong_desktop.context import AppContext
from efangtong_desktop.forms.ui_admin_routing_form import Ui_AdminRoutingForm
from efangtong_desktop.services.admin import AdminService, Row
from efangtong_desktop.views.admin import texts
from efangtong_desktop.views.admin.base import FormDialog, fill_combo, unit_items
from efangtong_desktop.views.admin.table_model import active_status, columns, field
from efangtong_desktop.views.admin.table_tab import TableTab


def category_items(categories: list[Row]) -> list[tuple[str, str]]:
    """Both levels of the category tree as indented (name, id) combo entries, active ones only."""
    items: list[tuple[str, str]] = []
    for top in categories:
        if top.get("active"):
            items.append((f"{top['code']} {top['name']}", str(top["id"])))
            items += [
                (f"　{child['code']} {child['name']}", str(child["id"]))
                for child in top.get("children", [])
                if child.get("active")
            ]
    return items


class RoutingTab(TableTab):
    """Routing rules."""

    title = texts.TAB_ROUTING
    hint = texts.ROUTING_HINT
    stretch_column = 2
    columns = columns(
        texts.ROUTING_COLUMNS,
        (
            field("category_name", texts.ANY),
            field("town_name", texts.ANY),
            field("unit_name"),
            field("priority"),
            active_status,
        ),
        right=(3,),
    )

    def __init__(self, context: AppContext, service: AdminService, parent: QWidget | None = None) -> None:
        super().__init__(context, service, parent)
        self.units: list[Row] = []
        self.categories: list[Row] = []
        self.add_button(texts.NEW, lambda: self.open_form(self._form(None)))
        self.add_button(texts.EDIT, self.activated, enabled=self.has_selection)
        self.add_button(texts.DELETE, self.delete_rule, enabled=self.has_selection)

    def load(self) -> None:
        """Fetch the rules, and the units and categories the form offers."""
        service = self.service
        self.fetch(lambda: (service.routing_rules(), service.units(), service.categories()), self._show)

    def _show(self, result: tuple[list[Row], list[Row], list[Row]]) -> None:
        rules, self.units, self.categories = result
        self.show_rows(rules)

    def activated(self) -> None:
        """Edit the selected rule."""
        rule = self.selected()
        if rule is None:
            self.say(texts.NO_SELECTION)
            return
        self.open_form(self._form(rule))

    def _form(self, rule: Row | None) -> FormDialog:
        ui = Ui_AdminRoutingForm()

        def collect() -> Row:
            if not ui.unitCombo.currentData():
                raise ValueError(texts.ROUTING_UNIT_EMPTY)
            return {
                "category_id": ui.categoryCombo.currentData(),
                "town_id": ui.townCombo.currentData(),
                "unit_id": ui.unitCombo.currentData(),
                "priority": ui.prioritySpin.value(),
                "active": ui.activeCheck.isChecked(),
            }

        if rule is None:
            dialog = FormDialog(
                self.context, ui, texts.ROUTING_NEW_TITLE, collect, self.service.create_routing_rule, self
            )
        else:
            dialog = FormDialog(
                self.context,
                ui,
                texts.ROUTING_EDIT_TITLE,
                collect,
                lambda values: self.service.update_routing_rule(rule["id"], values),
                self,
            )
        current = rule or {}
        towns = [(str(u["name"]), str(u["id"])) for u in self.units if u.get("kind") == "town" and u.get("active")]
        fill_combo(ui.categoryCombo, [(texts.ANY, None), *category_items(self.categories)], current.get("category_id"))
        fill_combo(ui.townCombo, [(texts.ANY, None), *towns], current.get("town_id"))
        fill_combo(ui.unitCombo, unit_items(self.units), current.get("unit_id"))
        ui.prioritySpin.setValue(int(current.get("priority", 0)))
        ui.activeCheck.setChecked(bool(current.get("active", True)))
        return dialog

    def delete_rule(self) -> None:
        """Delete the selected rule after confirmation."""
        rule = self.selected()
        if rule is None:
            return
        question = texts.CONFIRM_DELETE_ROUTING.format(
            category=rule.get("category_name") or texts.ANY,
            town=rule.get("town_name") or texts.ANY,
            unit=rule["unit_name"],
        )
        if self.confirm(question):
            self.change(lambda: self.service.delete_routing_rule(rule["id"]))
