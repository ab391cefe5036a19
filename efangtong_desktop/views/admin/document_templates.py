"""系统设置 · 文书模板: the text of each written notice (受理告知书 …) with {参数}; edit, deactivate, reactivate.

Every kind is listed; a kind never saved shows its built-in text, and its first save stores it on the server, from
where it replicates to every counter. Placeholders are checked here as on the server, so a wrong one is named at once.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from efangtong_core.notice_templates import DEFAULT_BODIES, PLACEHOLDERS, TemplateError, placeholders
from efangtong_desktop.context import AppContext
from efangtong_desktop.forms.ui_admin_document_template_form import Ui_AdminDocumentTemplateForm
from efangtong_desktop.services.admin import AdminService, Row
from efangtong_desktop.services.document_templates import DocumentTemplateService
from efangtong_desktop.views.admin import document_texts, texts
from efangtong_desktop.views.admin.base import FormDialog
from efangtong_desktop.views.admin.table_model import columns, field
from efangtong_desktop.views.admin.table_tab import TableTab


def _placeholders(row: Row) -> str:
    return "、".join(str(name) for name in row.get("placeholders", []))


def _body(row: Row) -> str:
    return str(row.get("body", "")).replace("\n", " ")[:120]


def _version(row: Row) -> str:
    return str(row.get("version")) if row.get("stored") else "—"


def _state(row: Row) -> str:
    if not row.get("stored"):
        return document_texts.STATE_BUILT_IN
    return document_texts.STATE_ACTIVE if row.get("active") else document_texts.STATE_INACTIVE


class DocumentTemplatesTab(TableTab):
    """Notice templates."""

    title = document_texts.TAB_TITLE
    hint = document_texts.HINT
    stretch_column = 2
    key = "code"
    columns = columns(document_texts.COLUMNS, (field("code"), field("name"), _body, _placeholders, _version, _state))

    def __init__(self, context: AppContext, service: AdminService, parent: QWidget | None = None) -> None:
        super().__init__(context, service, parent)
        self.documents = DocumentTemplateService(service.api)
        self.add_button(texts.EDIT, self.activated, enabled=self.has_selection)
        self.add_button(texts.DEACTIVATE, lambda: self._set_active(False), enabled=self.when_selected(_active))
        self.add_button(texts.REACTIVATE, lambda: self._set_active(True), enabled=self.when_selected(_inactive))

    def rows(self) -> list[Row]:
        """Every kind's template."""
        return self.documents.templates()

    def activated(self) -> None:
        """Edit the selected template."""
        template = self.selected()
        if template is None:
            self.say(texts.NO_SELECTION)
            return
        self.open_form(self.form(template))

    def form(self, template: Row) -> FormDialog:
        """The edit dialog of `template`."""
        ui = Ui_AdminDocumentTemplateForm()

        def collect() -> Row:
            values: Row = {"name": ui.nameEdit.text().strip(), "body": ui.bodyEdit.toPlainText().strip()}
            if not values["name"] or not values["body"]:
                raise ValueError(document_texts.FIELDS_EMPTY)
            try:
                placeholders(values["body"])
            except TemplateError as error:
                raise ValueError(str(error)) from error
            return values

        title = document_texts.EDIT_TITLE.format(name=template["name"])
        dialog = FormDialog(
            self.context, ui, title, collect, lambda values: self.documents.save(template, values), self
        )
        ui.kindLabel.setText(f"{template['code']}（{template['name']}）")
        ui.nameEdit.setText(template.get("name", ""))
        ui.bodyEdit.setPlainText(template.get("body", ""))
        names = "；".join(f"{{{name}}} {label}" for name, label in PLACEHOLDERS.items())
        ui.placeholdersLabel.setText(document_texts.PLACEHOLDER_LIST.format(names=names))
        default = DEFAULT_BODIES.get(str(template["code"]))
        ui.defaultButton.setEnabled(default is not None)
        ui.defaultButton.clicked.connect(lambda: ui.bodyEdit.setPlainText(default or ""))
        return dialog

    def _set_active(self, active: bool) -> None:
        template = self.selected()
        if template is None:
            return
        if not template.get("id"):
            self.say(document_texts.NOT_STORED)
            return
        self.change(lambda: self.documents.set_active(template["id"], active))


def _active(row: Row) -> bool:
    return bool(row.get("stored")) and bool(row.get("active"))


def _inactive(row: Row) -> bool:
    return bool(row.get("stored")) and not row.get("active")
