"""系统设置 · 短信模板: templates with {参数} placeholders; add, change, deactivate and reactivate."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from efangtong_desktop.context import AppContext
from efangtong_desktop.forms.ui_admin_sms_template_form import Ui_AdminSmsTemplateForm
from efangtong_desktop.services.admin import AdminService, Row
from efangtong_desktop.views.admin import texts
from efangtong_desktop.views.admin.base import FormDialog
from efangtong_desktop.views.admin.table_model import active_status, columns, field
from efangtong_desktop.views.admin.table_tab import TableTab


def _placeholders(row: Row) -> str:
    return "、".join(str(name) for name in row.get("placeholders", []))


class SmsTemplatesTab(TableTab):
    """SMS templates."""

    title = texts.TAB_SMS
    hint = texts.SMS_HINT
    stretch_column = 2
    columns = columns(
        texts.SMS_COLUMNS,
        (field("code"), field("name"), field("text"), _placeholders, field("provider_template_code"), active_status),
    )

    def __init__(self, context: AppContext, service: AdminService, parent: QWidget | None = None) -> None:
        super().__init__(context, service, parent)
        self.add_button(texts.NEW, lambda: self.open_form(self._form(None)))
        self.add_button(texts.EDIT, self.activated, enabled=self.has_selection)
        self.add_button(texts.DEACTIVATE, lambda: self._set_active(False), enabled=self.when_selected(_active))
        self.add_button(texts.REACTIVATE, lambda: self._set_active(True), enabled=self.when_selected(_inactive))

    def rows(self) -> list[Row]:
        """Every template."""
        return self.service.sms_templates()

    def activated(self) -> None:
        """Edit the selected template."""
        template = self.selected()
        if template is None:
            self.say(texts.NO_SELECTION)
            return
        self.open_form(self._form(template))

    def _form(self, template: Row | None) -> FormDialog:
        ui = Ui_AdminSmsTemplateForm()

        def collect() -> Row:
            values: Row = {
                "name": ui.nameEdit.text().strip(),
                "text": ui.textEdit.toPlainText().strip(),
                "provider_template_code": ui.providerCodeEdit.text().strip() or None,
            }
            if template is None:
                values["code"] = ui.codeEdit.text().strip()
            if not values["name"] or not values["text"] or (template is None and not values["code"]):
                raise ValueError(texts.SMS_FIELDS_EMPTY)
            return values

        if template is None:
            dialog = FormDialog(self.context, ui, texts.SMS_NEW_TITLE, collect, self.service.create_sms_template, self)
        else:
            title = texts.SMS_EDIT_TITLE.format(name=template["name"])
            dialog = FormDialog(
                self.context,
                ui,
                title,
                collect,
                lambda values: self.service.update_sms_template(template["id"], values),
                self,
            )
        current = template or {}
        ui.codeEdit.setText(current.get("code", ""))
        ui.codeEdit.setReadOnly(template is not None)
        ui.nameEdit.setText(current.get("name", ""))
        ui.textEdit.setPlainText(current.get("text", ""))
        ui.providerCodeEdit.setText(current.get("provider_template_code") or "")
        return dialog

    def _set_active(self, active: bool) -> None:
        template = self.selected()
        if template is not None:
            self.change(lambda: self.service.set_sms_template_active(template["id"], active))


def _active(row: Row) -> bool:
    return bool(row.get("active"))


def _inactive(row: Row) -> bool:
    return not row.get("active")
