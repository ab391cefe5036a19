"""Binding between the registration form's widgets and its values: fill the combos, read and write every field.

`form_values()` is the JSON-ready dict the draft stores; `registration_input()` is what the service saves; problems
from `validate_registration` are shown by marking the widgets of their field keys.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QComboBox, QTableWidgetItem, QWidget

from efangtong_core.idnumber import InvalidIdNumber, parse_id_number
from efangtong_core.regions import region_name
from efangtong_core.vocabulary import MAX_GROUP_REPRESENTATIVES, PetitionForm, PetitionPurpose
from efangtong_desktop.forms.ui_register_page import Ui_RegisterPage
from efangtong_desktop.services.registration_form import PersonInput, RegistrationInput
from efangtong_desktop.views.feedback import restyle, set_role
from efangtong_desktop.views.register import texts

if TYPE_CHECKING:  # the lists come from the replica, loaded after the form is shown
    from efangtong_desktop.services.registration_choices import Choice, RegistrationChoices


def fill_combo(combo: QComboBox, choices: tuple[Choice, ...] | list[Choice], *, empty: str | None = None) -> None:
    """Replace a combo's items with (label, value) choices, an optional empty first item (value None)."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    if empty is not None:
        combo.addItem(empty, None)
    for label, value in choices:
        combo.addItem(label, value)
    select_value(combo, current)
    combo.blockSignals(False)


def select_value(combo: QComboBox, value: object) -> None:
    """Select the item whose data is `value` (the first item when there is none)."""
    index = combo.findData(value) if value is not None else -1
    combo.setCurrentIndex(index if index >= 0 else 0)


class FormFields:
    """Reads and writes the values of one registration form."""

    def __init__(self, ui: Ui_RegisterPage) -> None:
        self.ui = ui
        self.choices: RegistrationChoices | None = None
        self.attachments: list[Path] = []
        fill_combo(ui.idTypeCombo, list(texts.ID_TYPES))
        self.id_type_index = {value: index for index, (_label, value) in reversed(list(enumerate(texts.ID_TYPES)))}
        """idTypeCombo's item index of each ID type (its items never change)."""
        self._gb_number_types = {self.id_type_index["resident"], self.id_type_index["hmt"]}
        self.nation_index: dict[object, int] = {}
        """nationCombo's item index of each nation (the first with it), rebuilt with its items."""
        fill_combo(ui.formCombo, [(form.label, form.value) for form in PetitionForm], empty=texts.NO_CHOICE)
        fill_combo(ui.purposeCombo, [(p.label, p.value) for p in PetitionPurpose], empty=texts.NO_CHOICE)
        ui.representativesTable.horizontalHeader().setStretchLastSection(True)
        ui.representativesTable.verticalHeader().setVisible(False)
        self.widgets_by_field: dict[str, QWidget] = {
            "name": ui.nameEdit,
            "id_number": ui.idNumberEdit,
            "phones": ui.phonesEdit,
            "form": ui.formCombo,
            "purpose": ui.purposeCombo,
            "category": ui.subcategoryCombo,
            "town": ui.townCombo,
            "content": ui.contentEdit,
            "head_count": ui.headCountSpin,
            "representatives": ui.representativesTable,
            "agent": ui.agentCombo,
            "attachments": ui.attachmentsList,
        }

    # -- choices ----------------------------------------------------------------------------------------------------

    def set_choices(self, choices: RegistrationChoices) -> None:
        """Fill the combos that come from the replica, keeping what is selected."""
        self.choices = choices
        ui = self.ui
        fill_combo(ui.nationCombo, [(name, name) for name in choices.nations], empty=texts.NO_NATION)
        self.nation_index = {}
        for index in range(ui.nationCombo.count() - 1, -1, -1):
            self.nation_index[ui.nationCombo.itemData(index)] = index
        fill_combo(ui.categoryCombo, choices.categories, empty=texts.NO_CHOICE)
        fill_combo(ui.townCombo, choices.towns, empty=texts.NO_CHOICE)
        fill_combo(ui.agentCombo, choices.agents, empty=texts.NO_AGENT)
        self.refresh_subcategories()

    def refresh_subcategories(self) -> None:
        """List the second-level categories of the selected first-level one."""
        parent = self.ui.categoryCombo.currentData()
        children = self.choices.subcategories.get(parent, ()) if self.choices and parent else ()
        fill_combo(self.ui.subcategoryCombo, children, empty=texts.NO_CHOICE)

    def parent_of(self, category_id: str | None) -> str | None:
        """The first-level category of a second-level one."""
        if self.choices is None or category_id is None:
            return None
        for parent, children in self.choices.subcategories.items():
            if any(value == category_id for _, value in children):
                return parent
        return None

    # -- values -----------------------------------------------------------------------------------------------------

    def representatives(self) -> list[tuple[str, str]]:
        """(name, ID number) of each filled row of the representatives table."""
        table = self.ui.representativesTable
        rows = []
        for row in range(table.rowCount()):
            cells = [table.item(row, column) for column in (0, 1)]
            name, number = (cell.text().strip() if cell is not None else "" for cell in cells)
            if name or number:
                rows.append((name, number))
        return rows

    def add_representative_row(self, name: str = "", number: str = "") -> bool:
        """Add a row (False when the table already holds the other 4 representatives)."""
        table = self.ui.representativesTable
        if table.rowCount() >= MAX_GROUP_REPRESENTATIVES - 1:
            return False
        row = table.rowCount()
        table.insertRow(row)
        table.setItem(row, 0, QTableWidgetItem(name))
        table.setItem(row, 1, QTableWidgetItem(number))
        return True

    def form_values(self) -> dict[str, Any]:
        """Every field as JSON-ready values (what a draft keeps)."""
        ui = self.ui
        return {
            "id_type": ui.idTypeCombo.currentData(),
            "id_number": ui.idNumberEdit.text(),
            "name": ui.nameEdit.text(),
            "nation": ui.nationCombo.currentData(),
            "phones": ui.phonesEdit.text(),
            "address": ui.addressEdit.text(),
            "form": ui.formCombo.currentData(),
            "purpose": ui.purposeCombo.currentData(),
            "category": ui.subcategoryCombo.currentData(),
            "town": ui.townCombo.currentData(),
            "head_count": ui.headCountSpin.value(),
            "agent": ui.agentCombo.currentData(),
            "title": ui.titleEdit.text(),
            "content": ui.contentEdit.toPlainText(),
            "representatives": [list(row) for row in self.representatives()],
            "attachments": [str(path) for path in self.attachments],
        }

    def set_form_values(self, values: dict[str, Any]) -> None:
        """Put saved values back into the fields (unknown keys ignored, missing ones emptied)."""
        ui = self.ui
        select_value(ui.idTypeCombo, values.get("id_type") or "resident")
        ui.idNumberEdit.setText(str(values.get("id_number") or ""))
        ui.nameEdit.setText(str(values.get("name") or ""))
        select_value(ui.nationCombo, values.get("nation"))
        ui.phonesEdit.setText(str(values.get("phones") or ""))
        ui.addressEdit.setText(str(values.get("address") or ""))
        select_value(ui.formCombo, values.get("form"))
        select_value(ui.purposeCombo, values.get("purpose"))
        category = values.get("category")
        select_value(ui.categoryCombo, self.parent_of(category))
        self.refresh_subcategories()
        select_value(ui.subcategoryCombo, category)
        select_value(ui.townCombo, values.get("town"))
        head = values.get("head_count")
        ui.headCountSpin.setValue(head if isinstance(head, int) and head > 0 else 1)
        select_value(ui.agentCombo, values.get("agent"))
        ui.titleEdit.setText(str(values.get("title") or ""))
        ui.contentEdit.setPlainText(str(values.get("content") or ""))
        ui.representativesTable.setRowCount(0)
        for row in values.get("representatives") or []:
            if isinstance(row, list | tuple) and len(row) == 2:
                self.add_representative_row(str(row[0]), str(row[1]))
        self.attachments = [Path(str(path)) for path in values.get("attachments") or []]
        self.show_attachments()

    def show_attachments(self) -> None:
        """List the picked attachment files."""
        self.ui.attachmentsList.clear()
        for path in self.attachments:
            self.ui.attachmentsList.addItem(path.name)

    def registration_input(self, *, card_photo: bytes | None, repeat_of_id: str | None) -> RegistrationInput:
        """The form as the registration service's input."""
        values = self.form_values()
        phones = tuple(part.strip() for part in _split_phones(values["phones"]) if part.strip())
        person = PersonInput(
            name=values["name"],
            id_number=values["id_number"],
            id_type=values["id_type"] or "resident",
            nation=values["nation"] or "",
            address=values["address"],
            phones=phones,
        )
        others = tuple(PersonInput(name=name, id_number=number) for name, number in self.representatives())
        return RegistrationInput(
            petitioner=person,
            form=values["form"] or "",
            purpose=values["purpose"] or "",
            category_id=values["category"],
            town_id=values["town"],
            content=values["content"],
            head_count=values["head_count"],
            title=values["title"],
            representatives=others,
            agent_id=values["agent"],
            repeat_of_id=repeat_of_id,
            attachments=tuple(self.attachments),
            card_photo=card_photo,
        )

    def set_input(self, data: RegistrationInput) -> None:
        """Show a saved registration (for a correction)."""
        person = data.petitioner
        self.set_form_values(
            {
                "id_type": person.id_type,
                "id_number": person.id_number,
                "name": person.name,
                "nation": person.nation or None,
                "phones": "，".join(person.phones),
                "address": person.address,
                "form": data.form,
                "purpose": data.purpose,
                "category": data.category_id,
                "town": data.town_id,
                "head_count": data.head_count,
                "agent": data.agent_id,
                "title": data.title,
                "content": data.content,
                "representatives": [[person.name, person.id_number] for person in data.representatives],
            }
        )

    # -- the ID number, checked as it is typed ----------------------------------------------------------------------

    def show_id_number(self, text: str) -> str:
        """Check the typed number live: hint, sex and birth date; returns the valid normalised number or ""."""
        ui = self.ui
        hint, ok = "", True
        cleaned = text.strip()
        carries_gb_number = ui.idTypeCombo.currentData() in ("resident", "hmt")
        if cleaned and carries_gb_number and len(cleaned) not in (15, 18):
            hint = texts.ID_INCOMPLETE.format(count=len(cleaned))
        elif cleaned and carries_gb_number:
            try:
                parsed = parse_id_number(cleaned)
            except InvalidIdNumber as error:
                hint, ok = texts.ID_BAD.format(reason=error), False
            else:
                self._show_derived(parsed.sex.label, parsed.birth_date, parsed.region_name or parsed.region_code)
                return parsed.number
        ui.sexValue.setText("—")
        ui.birthDateValue.setText("—")
        ui.idNumberHint.setText(hint or texts.ID_HINT)
        set_role(ui.idNumberHint, "fieldHint" if ok else "formError")
        return ""

    def select_card_values(self, id_type: str, nation: str | None) -> None:
        """Select a card's ID type and nation (as select_value does: the first item when there is none), by the
        indices kept for them; a combo already showing its value is left alone. The ID type's signals stay blocked
        (its live check runs with the ID number's)."""
        ui, type_index = self.ui, self.id_type_index.get(id_type, 0)
        if ui.idTypeCombo.currentIndex() != type_index:
            blocked = ui.idTypeCombo.blockSignals(True)
            ui.idTypeCombo.setCurrentIndex(type_index)
            ui.idTypeCombo.blockSignals(blocked)
        nation_index = self.nation_index.get(nation, 0) if nation is not None else 0
        if ui.nationCombo.currentIndex() != nation_index:
            ui.nationCombo.setCurrentIndex(nation_index)

    def show_card_id_number(self, number: str, sex_label: str, birth_date: date) -> str:
        """`show_id_number` for the number of a card read (checked with the card: its sex and birth date), unparsed."""
        if self.ui.idTypeCombo.currentIndex() not in self._gb_number_types:
            return self.show_id_number(number)
        self._show_derived(sex_label, birth_date, _region_text(number[:6]))
        return number

    def _show_derived(self, sex_label: str, birth_date: date, region: str) -> None:
        """What a valid number tells: sex, birth date and region (in the hint's normal colour)."""
        ui = self.ui
        ui.sexValue.setText(texts.SEX_DERIVED.format(sex=sex_label))
        ui.birthDateValue.setText(texts.BIRTH_DERIVED.format(day=birth_date.isoformat()))
        ui.idNumberHint.setText(texts.ID_REGION.format(region=region))
        set_role(ui.idNumberHint, "fieldHint")

    # -- problems ---------------------------------------------------------------------------------------------------

    def mark_problems(self, problems: dict[str, str]) -> None:
        """Outline the widgets of fields with a problem (and clear the others); tooltips carry the message."""
        for field, widget in self.widgets_by_field.items():
            invalid = field in problems
            if bool(widget.property("invalid")) != invalid:
                widget.setProperty("invalid", invalid)
                restyle(widget)
            widget.setToolTip(problems.get(field, ""))

    def first_problem_widget(self, problems: dict[str, str]) -> QWidget | None:
        """The widget of the first problem in tab order, to put the cursor there."""
        for field, widget in self.widgets_by_field.items():
            if field in problems:
                return widget
        return None


@lru_cache(maxsize=256)
def _region_text(code: str) -> str:
    """The region a number's first 6 digits name (the code when unknown); kept, as a counter sees the same few."""
    return region_name(code) or code


def _split_phones(text: str) -> list[str]:
    for separator in ("，", "、", ";", "；"):
        text = text.replace(separator, ",")
    return text.split(",")
