"""The small dialog of one case action (ui/case_action_dialog.ui): the fields that action needs, checked, then saved.

One form serves every action; `SPECS` says which of its fields an action shows and what they are called. Saving runs
the action of `services.case_actions` through `context.tasks`; a refusal (the lifecycle's Chinese reason) stays in the
dialog and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QListWidgetItem, QWidget

from efangtong_core.case_states import ReviewOutcome
from efangtong_core.lifecycle import EventType
from efangtong_core.vocabulary import LabelledEnum, ReplyOutcome, Satisfaction
from efangtong_desktop.context import AppContext
from efangtong_desktop.forms.ui_case_action_dialog import Ui_CaseActionDialog
from efangtong_desktop.services import case_actions as actions
from efangtong_desktop.services.blob_store import blob_store
from efangtong_desktop.services.case_actions import Actor, RoutingChoices
from efangtong_desktop.services.case_details import CaseDetails
from efangtong_desktop.views.case import texts
from efangtong_desktop.views.feedback import describe, show_message

E = EventType
MIN_WIDTH = 520


@dataclass(frozen=True)
class DialogSpec:
    """The fields an action's dialog shows."""

    hint: str = ""
    unit: bool = False
    deadline: str = ""
    """"" none, "required" (交办), "optional" (督办: a check box sets it)."""
    days: bool = False
    choice: type[LabelledEnum] | None = None
    choice_caption: str = ""
    into: bool = False
    text: str = ""
    """The caption of the text field; "" hides it."""
    text_required: bool = False
    attachments: bool = False


SPECS: dict[EventType, DialogSpec] = {
    E.ACCEPTED: DialogSpec("受理后开始计算 60 日办理期限，并应书面告知信访人。", text="告知情况"),
    E.NOT_ACCEPTED: DialogSpec("不予受理须书面告知信访人理由。", text="不予受理的理由", text_required=True),
    E.NOT_REACCEPTED: DialogSpec("同一事实和理由已复核终结的，不再受理。", text="不再受理的理由", text_required=True),
    E.TRANSFERRED: DialogSpec("转送有权处理的单位。", unit=True, text="说明"),
    E.ASSIGNED: DialogSpec("交办有权处理的单位，并指定办理期限。", unit=True, deadline="required", text="说明"),
    E.SIGNED_FOR: DialogSpec("确认本单位已收到该信访件。签收后 5 个工作日内可提出异议退回。"),
    E.RETURNED_MISROUTED: DialogSpec(
        "不属于本单位职权范围的，说明理由退回信访局。", text="异议理由", text_required=True
    ),
    E.NOTE: DialogSpec("记录办理情况，可附图片、录音、录像等。", text="办理情况", attachments=True),
    E.EXTENSION_REQUESTED: DialogSpec(
        "情况复杂的，可申请延长办理期限一次，不超过 30 日，由单位负责人审批。",
        days=True,
        text="延期理由",
        text_required=True,
    ),
    E.EXTENSION_APPROVED: DialogSpec("批准后办理期限自原期限届满次日起延长。", days=True),
    E.EXTENSION_REFUSED: DialogSpec("不批准延期，应按原期限办结。", text="不批准的理由", text_required=True),
    E.SUPERVISED: DialogSpec(
        "督促承办单位按期办理，可指定新的期限。", deadline="optional", text="督办意见", text_required=True
    ),
    E.REPLY_DRAFTED: DialogSpec(
        "拟写处理意见书，报单位负责人审批。",
        choice=ReplyOutcome,
        choice_caption="处理意见",
        text="处理意见书内容",
        text_required=True,
    ),
    E.REPLY_RETURNED: DialogSpec("退回承办人修改处理意见。", text="退回理由", text_required=True),
    E.REPLIED: DialogSpec("批准后出具处理意见书，信访人可在 30 日内申请复查。"),
    E.EVALUATED: DialogSpec(
        "录入信访人对处理意见的评价。", choice=Satisfaction, choice_caption="评价结果", text="评价意见"
    ),
    E.REVIEW_REQUESTED: DialogSpec(
        "信访人自收到书面答复之日起 30 日内可申请复查。", text="申请理由", text_required=True
    ),
    E.REVIEW_DECIDED: DialogSpec(
        "复查意见应在 30 日内作出。",
        choice=ReviewOutcome,
        choice_caption="复查意见",
        text="意见内容",
        text_required=True,
    ),
    E.RE_REVIEW_REQUESTED: DialogSpec(
        "信访人自收到复查意见之日起 30 日内可申请复核。", text="申请理由", text_required=True
    ),
    E.RE_REVIEW_DECIDED: DialogSpec(
        "复核意见为终结意见，同一事实和理由不再受理。",
        choice=ReviewOutcome,
        choice_caption="复核意见",
        text="意见内容",
        text_required=True,
    ),
    E.CLOSED: DialogSpec("确认本件办结。办结后信访人仍可在期限内申请复查、复核。", text="说明"),
    E.MERGED: DialogSpec("本件与已有信访件重复，并入原件办理。", into=True, text="合并理由", text_required=True),
}


@dataclass(frozen=True)
class ActionInput:
    """What the user entered in the dialog."""

    text: str = ""
    unit_id: str | None = None
    co_unit_ids: tuple[str, ...] = ()
    deadline: date | None = None
    days: int | None = None
    choice: str | None = None
    into: str = ""
    attachments: tuple[Path, ...] = ()


def run_action(context: AppContext, actor: Actor, petition_id: str, kind: EventType, data: ActionInput) -> str:
    """Record `kind` with `data` on the replica (blocking: call it through context.tasks); returns the event id."""
    f, p, t = context.session_factory, petition_id, data.text
    calls: dict[EventType, Callable[[], str]] = {
        E.ACCEPTED: lambda: actions.accept(f, actor, p, notice=t),
        E.NOT_ACCEPTED: lambda: actions.not_accept(f, actor, p, reason=t),
        E.NOT_REACCEPTED: lambda: actions.not_reaccept(f, actor, p, reason=t),
        E.TRANSFERRED: lambda: _route(f, actor, p, data, assign=False),
        E.ASSIGNED: lambda: _route(f, actor, p, data, assign=True),
        E.SIGNED_FOR: lambda: actions.sign_for(f, actor, p),
        E.RETURNED_MISROUTED: lambda: actions.return_misrouted(f, actor, p, reason=t),
        E.NOTE: lambda: actions.add_note(
            f, actor, p, text=t, attachments=data.attachments, store=blob_store(context.settings)
        ),
        E.EXTENSION_REQUESTED: lambda: actions.request_extension(f, actor, p, days=data.days or 0, reason=t),
        E.EXTENSION_APPROVED: lambda: actions.decide_extension(f, actor, p, approve=True, days=data.days),
        E.EXTENSION_REFUSED: lambda: actions.decide_extension(f, actor, p, approve=False, reason=t),
        E.SUPERVISED: lambda: actions.supervise(f, actor, p, text=t, deadline=data.deadline),
        E.REPLY_DRAFTED: lambda: actions.draft_reply(
            f, actor, p, outcome=ReplyOutcome.from_code(data.choice or ""), text=t
        ),
        E.REPLY_RETURNED: lambda: actions.decide_reply(f, actor, p, approve=False, reason=t),
        E.REPLIED: lambda: actions.decide_reply(f, actor, p, approve=True),
        E.EVALUATED: lambda: actions.evaluate(
            f, actor, p, satisfaction=Satisfaction.from_code(data.choice or ""), comment=t
        ),
        E.REVIEW_REQUESTED: lambda: actions.request_review(f, actor, p, reason=t),
        E.REVIEW_DECIDED: lambda: actions.decide_review(
            f, actor, p, outcome=ReviewOutcome.from_code(data.choice or ""), text=t
        ),
        E.RE_REVIEW_REQUESTED: lambda: actions.request_review(f, actor, p, reason=t, re_review=True),
        E.RE_REVIEW_DECIDED: lambda: actions.decide_review(
            f, actor, p, outcome=ReviewOutcome.from_code(data.choice or ""), text=t, re_review=True
        ),
        E.CLOSED: lambda: actions.close(f, actor, p, note=t),
        E.MERGED: lambda: actions.merge_by_number(f, actor, p, number=data.into, reason=t),
    }
    return calls[kind]()


def _route(f: Any, actor: Actor, petition_id: str, data: ActionInput, *, assign: bool) -> str:
    return actions.route(
        f,
        actor,
        petition_id,
        assign=assign,
        unit_id=data.unit_id or "",
        co_unit_ids=data.co_unit_ids,
        deadline=data.deadline,
        note=data.text,
    )


class CaseActionDialog(QDialog):
    """Asks for what one action needs, checks it, and records the action off the GUI thread."""

    def __init__(
        self, context: AppContext, actor: Actor, details: CaseDetails, kind: EventType, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context, self.actor, self.details, self.kind = context, actor, details, kind
        self.spec = SPECS[kind]
        self.event_id: str | None = None
        self.ui = Ui_CaseActionDialog()
        self.ui.setupUi(self)
        self.setWindowTitle(f"{texts.BUTTONS[kind]} · {details.header.number}")
        self.ui.okButton.setText(texts.BUTTONS[kind])
        self._layout_fields()
        self.ui.okButton.clicked.connect(self.submit)
        self.ui.cancelButton.clicked.connect(self.reject)
        self.ui.addAttachmentButton.clicked.connect(self.pick_attachments)
        self.ui.removeAttachmentButton.clicked.connect(self._remove_attachment)
        self.ui.deadlineCheck.toggled.connect(self.ui.deadlineEdit.setEnabled)
        self.adjustSize()
        self.resize(max(self.width(), MIN_WIDTH), self.height())

    def _layout_fields(self) -> None:
        ui, spec, form = self.ui, self.spec, self.ui.formLayout
        hint = spec.hint
        status = self.details.snapshot.status
        if self.kind is E.REPLIED and status is not None and status.draft_outcome is not None:
            hint += "\n" + texts.DRAFT_OUTCOME.format(outcome=status.draft_outcome.label)
        ui.hintLabel.setText(hint)
        form.setRowVisible(ui.unitCombo, spec.unit)
        form.setRowVisible(ui.coUnitsList, spec.unit)
        form.setRowVisible(2, bool(spec.deadline))
        ui.deadlineCheck.setVisible(spec.deadline == "optional")
        ui.deadlineEdit.setEnabled(spec.deadline == "required")
        ui.deadlineEdit.setMinimumDate(QDate.currentDate())
        ui.deadlineEdit.setDate(QDate.currentDate().addDays(10))
        form.setRowVisible(ui.daysSpin, spec.days)
        self._setup_days(status)
        form.setRowVisible(ui.choiceCombo, spec.choice is not None)
        if spec.choice is not None:
            ui.choiceCaption.setText(spec.choice_caption)
            for member in spec.choice:
                ui.choiceCombo.addItem(member.label, member.value)
        form.setRowVisible(ui.intoEdit, spec.into)
        form.setRowVisible(ui.textEdit, bool(spec.text))
        ui.textCaption.setText(spec.text + ("（必填）" if spec.text_required else ""))
        form.setRowVisible(7, spec.attachments)
        if spec.unit:
            ui.unitCombo.setEnabled(False)
            self.context.tasks.run(
                lambda: actions.routing_choices(
                    self.context.session_factory, self.details.petition_id, today=date.today()
                ),
                self._show_units,
                lambda error: show_message(ui.messageLabel, describe(error)),
                owner=self,
            )

    def _setup_days(self, status: Any) -> None:
        limit = actions.extension_limit(self.details.snapshot)
        requested = status.extension_requested_days if status is not None else None
        maximum = requested if self.kind is E.EXTENSION_APPROVED and requested else limit
        self.ui.daysSpin.setMaximum(maximum)
        self.ui.daysSpin.setValue(maximum)
        if self.kind is E.EXTENSION_APPROVED and requested:
            self.ui.hintLabel.setText(f"{self.ui.hintLabel.text()}\n{texts.REQUESTED_DAYS.format(days=requested)}")

    def _show_units(self, choices: RoutingChoices) -> None:
        ui = self.ui
        suggested = {s.unit_id: s for s in choices.suggestions}
        ui.unitCombo.clear()
        ui.coUnitsList.clear()
        ordered = [u for u in choices.units if u[0] in suggested] + [u for u in choices.units if u[0] not in suggested]
        for unit_id, name in ordered:
            hint = suggested.get(unit_id)
            label = texts.SUGGESTED.format(name=name, reason=hint.reason) if hint else name
            ui.unitCombo.addItem(label, unit_id)
            item = QListWidgetItem(name, ui.coUnitsList)
            item.setData(Qt.ItemDataRole.UserRole, unit_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        if not suggested:  # no suggestion: the dispatcher must choose, Enter alone routes nowhere
            ui.unitCombo.insertItem(0, texts.CHOOSE_UNIT_ITEM, None)
            ui.unitCombo.setCurrentIndex(0)
        ui.unitCombo.setEnabled(True)
        deadline = choices.default_deadline
        ui.deadlineEdit.setDate(QDate(deadline.year, deadline.month, deadline.day))

    def pick_attachments(self) -> None:
        """Add files to attach (images, audio, video, documents)."""
        names, _ = QFileDialog.getOpenFileNames(self, texts.PICK_ATTACHMENTS, "", texts.ATTACHMENT_FILTER)
        self.add_attachments([Path(name) for name in names])

    def add_attachments(self, paths: list[Path]) -> None:
        """Add these files to the list of attachments."""
        for path in paths:
            item = QListWidgetItem(path.name, self.ui.attachmentsList)
            item.setData(Qt.ItemDataRole.UserRole, str(path))

    def _remove_attachment(self) -> None:
        row = self.ui.attachmentsList.currentRow()
        if row >= 0:
            self.ui.attachmentsList.takeItem(row)

    def collect(self) -> ActionInput | None:
        """The entered values, or None after showing what is missing."""
        ui, spec = self.ui, self.spec
        text = ui.textEdit.toPlainText().strip()
        if spec.text_required and not text:
            show_message(ui.messageLabel, texts.TEXT_REQUIRED.format(field=spec.text))
            ui.textEdit.setFocus()
            return None
        unit_id = ui.unitCombo.currentData() if spec.unit else None
        if spec.unit and not unit_id:
            show_message(ui.messageLabel, texts.CHOOSE_UNIT)
            return None
        if spec.into and not ui.intoEdit.text().strip():
            show_message(ui.messageLabel, texts.INTO_REQUIRED)
            ui.intoEdit.setFocus()
            return None
        co_units = []
        for row in range(ui.coUnitsList.count()):
            item = ui.coUnitsList.item(row)
            unit = item.data(Qt.ItemDataRole.UserRole)
            if item.checkState() == Qt.CheckState.Checked and unit != unit_id:
                co_units.append(str(unit))
        wants_deadline = spec.deadline == "required" or (spec.deadline == "optional" and ui.deadlineCheck.isChecked())
        attachments = tuple(
            Path(str(ui.attachmentsList.item(row).data(Qt.ItemDataRole.UserRole)))
            for row in range(ui.attachmentsList.count())
        )
        return ActionInput(
            text=text,
            unit_id=str(unit_id) if unit_id else None,
            co_unit_ids=tuple(co_units),
            deadline=ui.deadlineEdit.date().toPython() if wants_deadline else None,  # type: ignore[arg-type]
            days=ui.daysSpin.value() if spec.days else None,
            choice=str(ui.choiceCombo.currentData()) if spec.choice is not None else None,
            into=ui.intoEdit.text().strip(),
            attachments=attachments,
        )

    def submit(self) -> None:
        """Check the input and record the action off the GUI thread; the dialog closes when it is saved."""
        data = self.collect()
        if data is None:
            return
        self.ui.okButton.setEnabled(False)
        show_message(self.ui.messageLabel, texts.SAVING, ok=True)
        self.context.tasks.run(
            lambda: run_action(self.context, self.actor, self.details.petition_id, self.kind, data),
            self._saved,
            self._refused,
            owner=self,
        )

    def _saved(self, event_id: str) -> None:
        self.event_id = event_id
        self.accept()

    def _refused(self, error: Exception) -> None:
        self.ui.okButton.setEnabled(True)
        show_message(self.ui.messageLabel, describe(error))
