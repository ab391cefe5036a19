"""系统设置 · 系统参数: the known parameters with their value and default; change one (takes effect at once)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from efangtong_desktop.context import AppContext
from efangtong_desktop.forms.ui_admin_parameter_form import Ui_AdminParameterForm
from efangtong_desktop.services.admin import AdminService, Row
from efangtong_desktop.views.admin import texts
from efangtong_desktop.views.admin.base import FormDialog
from efangtong_desktop.views.admin.table_model import columns, field, time_field, yes_no
from efangtong_desktop.views.admin.table_tab import TableTab


def value_text(value: object) -> str:
    """A parameter value as shown: 是/否 for booleans."""
    return yes_no(value) if isinstance(value, bool) else str(value)


def _current(row: Row) -> str:
    text = value_text(row.get("value"))
    return texts.PARAMETER_DEFAULT_MARK.format(value=text) if row.get("is_default") else text


class ParametersTab(TableTab):
    """System parameters."""

    title = texts.TAB_PARAMETERS
    hint = texts.PARAMETERS_HINT
    key = "key"
    stretch_column = 1
    columns = columns(
        texts.PARAMETER_COLUMNS,
        (
            field("key"),
            field("description"),
            _current,
            lambda row: value_text(row.get("default")),
            time_field("updated_at"),
        ),
    )

    def __init__(self, context: AppContext, service: AdminService, parent: QWidget | None = None) -> None:
        super().__init__(context, service, parent)
        self.add_button(texts.EDIT, self.activated, enabled=self.has_selection)

    def rows(self) -> list[Row]:
        """Every known parameter."""
        return self.service.parameters()

    def activated(self) -> None:
        """Edit the selected parameter with the editor its type needs."""
        parameter = self.selected()
        if parameter is None:
            self.say(texts.NO_SELECTION)
            return
        ui = Ui_AdminParameterForm()
        kind = parameter.get("type")

        def collect() -> Row:
            if kind == "bool":
                return {"value": ui.boolCheck.isChecked()}
            if kind == "int":
                return {"value": ui.intSpin.value()}
            return {"value": ui.textEdit.text()}

        key = str(parameter["key"])
        title = texts.PARAMETER_EDIT_TITLE.format(key=key)
        dialog = FormDialog(
            self.context, ui, title, collect, lambda values: self.service.set_parameter(key, values["value"]), self
        )
        ui.keyLabel.setText(f"{key}（{parameter.get('description', '')}）")
        ui.keyLabel.setWordWrap(True)
        value = parameter.get("value")
        ui.formLayout.setRowVisible(ui.intSpin, kind == "int")
        ui.formLayout.setRowVisible(ui.boolCheck, kind == "bool")
        ui.formLayout.setRowVisible(ui.textEdit, kind not in ("int", "bool"))
        if kind == "int":
            ui.intSpin.setRange(int(parameter.get("minimum") or 0), int(parameter.get("maximum") or 2_000_000_000))
            ui.intSpin.setValue(int(value or 0))
        elif kind == "bool":
            ui.boolCheck.setChecked(bool(value))
        else:
            ui.textEdit.setText(str(value or ""))
        self.open_form(dialog)
