"""系统设置 · 期限规则与节假日: the regulation deadlines as data, and the holiday calendar of a year."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QWidget

from efangtong_core.case_states import EventType
from efangtong_core.workdays import DayKind, HolidayKind
from efangtong_desktop.context import AppContext
from efangtong_desktop.forms.ui_admin_deadlines_tab import Ui_AdminDeadlinesTab
from efangtong_desktop.forms.ui_admin_holiday_form import Ui_AdminHolidayForm
from efangtong_desktop.forms.ui_admin_rule_form import Ui_AdminRuleForm
from efangtong_desktop.services.admin import AdminService, Row
from efangtong_desktop.views.admin import texts
from efangtong_desktop.views.admin.base import AdminTab, FormDialog, fill_combo, fit_columns, selected_row, setup_table
from efangtong_desktop.views.admin.table_model import RowTableModel, active_status, columns, field, weekday

RULE_COLUMNS = columns(
    texts.RULE_COLUMNS,
    (field("name"), field("days"), field("day_kind_label"), field("starts_at_label"), field("article"), active_status),
    right=(1,),
)
HOLIDAY_COLUMNS = columns(
    texts.HOLIDAY_COLUMNS, (field("day"), lambda row: weekday(row.get("day")), field("kind_label"), field("name"))
)


class DeadlinesTab(AdminTab):
    """Deadline rules and holidays."""

    title = texts.TAB_DEADLINES

    def __init__(self, context: AppContext, service: AdminService, parent: QWidget | None = None) -> None:
        super().__init__(context, service, parent)
        self.ui = Ui_AdminDeadlinesTab()
        self.ui.setupUi(self)
        self.messageLabel = self.ui.messageLabel
        self.actions_layout = self.ui.actionsLayout
        self.rules = RowTableModel(RULE_COLUMNS, muted=lambda row: not row.get("active"), parent=self)
        self.holidays = RowTableModel(HOLIDAY_COLUMNS, parent=self)
        setup_table(self.ui.rulesView, self.rules, stretch_column=4)
        setup_table(self.ui.holidaysView, self.holidays, stretch_column=3)
        self.ui.splitter.setSizes([300, 260])
        self.ui.yearSpin.setValue(date.today().year)
        self.ui.yearSpin.valueChanged.connect(lambda _: self.load())
        self.ui.refreshButton.clicked.connect(self.load)
        for view in (self.ui.rulesView, self.ui.holidaysView):
            view.selectionModel().selectionChanged.connect(self.selection_changed)
        self.ui.rulesView.doubleClicked.connect(lambda _: self.edit_rule())
        rule_row, holiday_row = self.ui.ruleActionsLayout, self.ui.holidayActionsLayout
        self.add_button(
            texts.RULE_EDIT, self.edit_rule, layout=rule_row, enabled=lambda: self.selected_rule() is not None
        )
        self.add_button(texts.HOLIDAY_NEW, self.new_holiday, layout=holiday_row)
        self.add_button(
            texts.HOLIDAY_DELETE,
            self.delete_holiday,
            layout=holiday_row,
            enabled=lambda: self.selected_holiday() is not None,
        )

    def selected_rule(self) -> Row | None:
        """The selected deadline rule, or None."""
        return selected_row(self.ui.rulesView, self.rules)

    def selected_holiday(self) -> Row | None:
        """The selected holiday, or None."""
        return selected_row(self.ui.holidaysView, self.holidays)

    def load(self) -> None:
        """Fetch the rules and the chosen year's holidays."""
        year = self.ui.yearSpin.value()
        self.fetch(lambda: (self.service.deadline_rules(), self.service.holidays(year)), self._show)

    def _show(self, result: tuple[list[Row], list[Row]]) -> None:
        rules, holidays = result
        self.rules.set_rows(rules)
        self.holidays.set_rows(holidays)
        fit_columns(self.ui.rulesView)
        fit_columns(self.ui.holidaysView)

    def edit_rule(self) -> None:
        """Open the form on the selected rule."""
        rule = self.selected_rule()
        if rule is None:
            self.say(texts.NO_SELECTION)
            return
        ui = Ui_AdminRuleForm()

        def collect() -> Row:
            name = ui.nameEdit.text().strip()
            if not name:
                raise ValueError(texts.RULE_NAME_EMPTY)
            return {
                "name": name,
                "article": ui.articleEdit.text().strip(),
                "days": ui.daysSpin.value(),
                "day_kind": ui.dayKindCombo.currentData(),
                "starts_at": ui.startsAtCombo.currentData(),
                "note": ui.noteEdit.toPlainText().strip() or None,
                "active": ui.activeCheck.isChecked(),
            }

        code = str(rule["code"])
        title = texts.RULE_EDIT_TITLE.format(name=rule["name"])
        dialog = FormDialog(
            self.context, ui, title, collect, lambda v: self.service.update_deadline_rule(code, v), self
        )
        ui.nameEdit.setText(rule.get("name", ""))
        ui.articleEdit.setText(rule.get("article", ""))
        ui.daysSpin.setValue(int(rule.get("days", 1)))
        fill_combo(ui.dayKindCombo, [(kind.label, kind.value) for kind in DayKind], rule.get("day_kind"))
        fill_combo(ui.startsAtCombo, [(event.label, event.value) for event in EventType], rule.get("starts_at"))
        ui.noteEdit.setPlainText(rule.get("note") or "")
        ui.noteEdit.setMaximumHeight(90)
        ui.activeCheck.setChecked(bool(rule.get("active", True)))
        self.open_form(dialog)

    def new_holiday(self) -> None:
        """Open the form for a new holiday or worked weekend day."""
        ui = Ui_AdminHolidayForm()

        def collect() -> Row:
            return {
                "day": ui.dayEdit.date().toString("yyyy-MM-dd"),
                "kind": ui.kindCombo.currentData(),
                "name": ui.nameEdit.text().strip() or None,
            }

        dialog = FormDialog(self.context, ui, texts.HOLIDAY_NEW_TITLE, collect, self.service.add_holiday, self)
        today = QDate.currentDate()
        ui.dayEdit.setDate(QDate(self.ui.yearSpin.value(), today.month(), today.day()))
        fill_combo(ui.kindCombo, [(kind.label, kind.value) for kind in HolidayKind])
        self.open_form(dialog)

    def delete_holiday(self) -> None:
        """Delete the selected holiday after confirmation."""
        holiday = self.selected_holiday()
        if holiday is not None and self.confirm(texts.CONFIRM_DELETE_HOLIDAY.format(day=holiday["day"])):
            self.change(lambda: self.service.delete_holiday(holiday["id"]))
