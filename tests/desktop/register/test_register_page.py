"""The 登记 page driven like a clerk does: typing, Enter, Ctrl+S, validation messages, drafts, double saves."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from efangtong_core.lifecycle import EventType
from efangtong_core.models import CaseEvent, Petition, SyncOutbox
from efangtong_desktop.context import AppContext
from efangtong_desktop.services.drafts import DraftStore
from efangtong_desktop.views.register.fields import select_value
from efangtong_desktop.views.register.page import RegisterPage
from tests.desktop.register.conftest import open_page
from tests.desktop.register.reference import RESIDENT_ID, Reference


def count(context: AppContext, model: type, *where: object) -> int:
    with context.session_factory() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)  # type: ignore[arg-type]


def type_text(widget: QWidget, text: str) -> None:
    """Type `text` into the focused widget key by key, Chinese included (QTest.keyClicks knows ASCII only)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char))


def fill_valid_form(page: RegisterPage, qtbot: QtBot, ref: Reference) -> None:
    """Type a whole visit registration with the keyboard, as a clerk would."""
    ui = page.ui
    ui.idNumberEdit.setFocus()
    qtbot.keyClicks(ui.idNumberEdit, RESIDENT_ID)
    qtbot.keyClick(ui.idNumberEdit, Qt.Key.Key_Return)
    assert ui.nameEdit.hasFocus(), "Enter moves to the next field"
    type_text(ui.nameEdit, "巴特尔")
    qtbot.keyClicks(ui.phonesEdit, "13947712345")
    select_value(ui.formCombo, "visit")
    select_value(ui.purposeCombo, "request")
    select_value(ui.categoryCombo, ref.category_parent_id)
    select_value(ui.subcategoryCombo, ref.category_id)
    select_value(ui.townCombo, ref.town_id)
    type_text(ui.contentEdit, "某工地拖欠农民工工资三个月，要求尽快解决。")


def save_with_keyboard(page: RegisterPage, qtbot: QtBot) -> None:
    page.ui.contentEdit.setFocus()
    qtbot.keyClick(page.ui.contentEdit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def test_the_id_number_is_checked_live_and_gives_sex_and_birth_date(page: RegisterPage, qtbot: QtBot) -> None:
    ui = page.ui
    qtbot.keyClicks(ui.idNumberEdit, "150627198503071234")
    assert "校验码" in ui.idNumberHint.text()
    assert ui.sexValue.text() == "—"
    with qtbot.waitSignal(page.id_number_changed, timeout=1000) as signal:
        ui.idNumberEdit.setText(RESIDENT_ID)
    assert signal.args == [RESIDENT_ID]
    assert "男" in ui.sexValue.text() and "1985-03-07" in ui.birthDateValue.text()
    assert "伊金霍洛" in ui.idNumberHint.text()


def test_an_empty_form_gets_chinese_messages_and_nothing_is_saved(
    page: RegisterPage, qtbot: QtBot, context: AppContext
) -> None:
    save_with_keyboard(page, qtbot)
    message = page.ui.messageLabel.text()
    assert "请改正" in message and "姓名" in message
    assert page.ui.nameEdit.property("invalid") is True
    assert "信访内容" in page.ui.contentEdit.toolTip()
    assert page.ui.nameEdit.hasFocus(), "the cursor goes to the first field to fix"
    assert count(context, Petition) == 0 and count(context, SyncOutbox) == 0


def test_typing_and_ctrl_s_register_the_petition_with_its_event_and_outbox(
    page: RegisterPage, qtbot: QtBot, context: AppContext, reference: Reference
) -> None:
    fill_valid_form(page, qtbot, reference)
    with qtbot.waitSignal(page.saved, timeout=5000) as signal:
        save_with_keyboard(page, qtbot)
    result = signal.args[0]
    assert result.created and result.query_code in page.ui.messageLabel.text()
    assert result.query_code in page.ui.resultLabel.text()
    with context.session_factory() as session:
        petition = session.get(Petition, result.petition_id)
        assert petition is not None and petition.form == "visit" and petition.category_id == reference.category_id
        event = session.scalars(select(CaseEvent).where(CaseEvent.petition_id == petition.id)).one()
        assert event.type == EventType.REGISTERED.value and event.actor_id == reference.clerk_id
    tables = {row for row in _outbox_tables(context)}
    assert {"petitioner", "petitioner_phone", "petition", "case_event"} <= tables
    assert not DraftStore(context.settings.data_dir).exists(), "the draft is cleared after the save"


def _outbox_tables(context: AppContext) -> list[str]:
    with context.session_factory() as session:
        return list(session.scalars(select(SyncOutbox.table_name)))


def test_a_double_click_on_save_registers_once(
    page: RegisterPage, qtbot: QtBot, context: AppContext, reference: Reference
) -> None:
    fill_valid_form(page, qtbot, reference)
    with qtbot.waitSignal(page.saved, timeout=5000):
        QTest.mouseDClick(page.ui.saveButton, Qt.MouseButton.LeftButton)
        QTest.mouseClick(page.ui.saveButton, Qt.MouseButton.LeftButton)
    context.tasks.wait_for_workers()
    qtbot.waitUntil(lambda: page.ui.saveButton.isEnabled())
    assert count(context, Petition) == 1
    assert count(context, CaseEvent) == 1


def test_a_draft_survives_a_crash_and_a_restart_does_not_register_twice(
    page: RegisterPage, qtbot: QtBot, context: AppContext, reference: Reference
) -> None:
    fill_valid_form(page, qtbot, reference)
    drafts = DraftStore(context.settings.data_dir)
    qtbot.waitUntil(lambda: drafts.exists() and "拖欠" in str(drafts.load().values.get("content")), timeout=3000)  # type: ignore[union-attr]
    token = page.controller.token
    # The counter PC loses power: no save, no close event. A new page on the same data directory comes back.
    restarted = open_page(context, qtbot)
    assert restarted.ui.nameEdit.text() == "巴特尔"
    assert restarted.ui.idNumberEdit.text() == RESIDENT_ID
    assert restarted.ui.subcategoryCombo.currentData() == reference.category_id
    assert "草稿" in restarted.ui.messageLabel.text()
    assert restarted.controller.token == token
    with qtbot.waitSignal(restarted.saved, timeout=5000) as first:
        restarted.save()
    # Power lost again between the commit and removing the draft: the same token finds the first registration.
    drafts.save(token, restarted.draft_values())
    again = open_page(context, qtbot)
    with qtbot.waitSignal(again.saved, timeout=5000) as second:
        again.save()
    assert second.args[0].petition_id == first.args[0].petition_id and not second.args[0].created
    assert "未重复登记" in again.ui.messageLabel.text()
    assert count(context, Petition) == 1


def test_saving_again_after_a_change_records_a_correction(
    page: RegisterPage, qtbot: QtBot, context: AppContext, reference: Reference
) -> None:
    fill_valid_form(page, qtbot, reference)
    with qtbot.waitSignal(page.saved, timeout=5000) as signal:
        page.save()
    page.ui.headCountSpin.setValue(3)
    with qtbot.waitSignal(page.controller.corrected, timeout=5000):
        save_with_keyboard(page, qtbot)
    assert "已更正" in page.ui.messageLabel.text()
    with context.session_factory() as session:
        events = session.scalars(
            select(CaseEvent).where(CaseEvent.petition_id == signal.args[0].petition_id).order_by(CaseEvent.seq)
        ).all()
        assert [event.type for event in events] == ["registered", "registration_corrected"]
        assert events[1].payload["changes"]["head_count"] == {"old": 1, "new": 3}


def test_the_repeat_panel_hooks_and_scanner_folder(
    page: RegisterPage, qtbot: QtBot, context: AppContext, reference: Reference, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QLabel

    panel = QLabel("重复信访面板")
    page.set_repeats_panel(panel)
    assert panel.parent() is page.ui.repeatsArea
    scans = tmp_path / "scans"
    scans.mkdir()
    (scans / "old.jpg").write_bytes(b"old")
    newest = scans / "new.jpg"
    newest.write_bytes(b"new")
    import os

    os.utime(scans / "old.jpg", (1_000_000, 1_000_000))
    page.set_scanner_folder(scans)
    page.take_scans()
    assert page.fields.attachments == [newest]
    fill_valid_form(page, qtbot, reference)
    with qtbot.waitSignal(page.saved, timeout=5000) as first:
        page.save()
    earlier = first.args[0].petition_id
    page.new_registration()
    assert page.ui.nameEdit.text() == "" and not page.fields.attachments
    fill_valid_form(page, qtbot, reference)
    page.link_repeat_of(earlier)
    with qtbot.waitSignal(page.saved, timeout=5000) as second:
        page.save()
    with context.session_factory() as session:
        repeat = session.get(Petition, second.args[0].petition_id)
        assert repeat is not None and repeat.repeat_of_id == earlier
        assert count(context, Petition) == 2


def test_without_a_signed_in_clerk_nothing_is_saved_and_the_draft_is_kept(
    page: RegisterPage, qtbot: QtBot, context: AppContext, reference: Reference
) -> None:
    fill_valid_form(page, qtbot, reference)
    signed_in = context.signed_in
    assert signed_in is not None
    context.signed_in = replace(signed_in, roles=("handler",))
    page.save()
    assert "登记员" in page.ui.messageLabel.text()
    context.signed_in = None
    page.save()
    assert "尚未登录" in page.ui.messageLabel.text()
    assert count(context, Petition) == 0
    draft = DraftStore(context.settings.data_dir).load()
    assert draft is not None and draft.values["name"] == "巴特尔"


def test_an_empty_form_leaves_no_draft_behind(page: RegisterPage, qtbot: QtBot, context: AppContext) -> None:
    drafts = DraftStore(context.settings.data_dir)
    type_text(page.ui.nameEdit, "乌云")
    qtbot.waitUntil(drafts.exists, timeout=3000)
    page.new_registration()
    page.hide()  # leaving the page writes the draft at once: an empty form has none
    assert not drafts.exists()


def test_a_group_visit_registers_its_representatives_and_a_sixth_is_refused(
    page: RegisterPage, qtbot: QtBot, context: AppContext, reference: Reference
) -> None:
    from efangtong_core.idnumber import make_id_number
    from efangtong_core.models import PetitionRepresentative
    from efangtong_core.vocabulary import Sex

    fill_valid_form(page, qtbot, reference)
    page.ui.headCountSpin.setValue(2)
    for day in range(1, 5):
        QTest.mouseClick(page.ui.addRepresentativeButton, Qt.MouseButton.LeftButton)
        row = page.ui.representativesTable.rowCount() - 1
        page.ui.representativesTable.item(row, 0).setText(f"代表{day}")  # type: ignore[union-attr]
        number = make_id_number("150627", date(1990, 1, day), 11, Sex.MALE)
        page.ui.representativesTable.item(row, 1).setText(number)  # type: ignore[union-attr]
    QTest.mouseClick(page.ui.addRepresentativeButton, Qt.MouseButton.LeftButton)
    assert page.ui.representativesTable.rowCount() == 4 and "最多 5 名" in page.ui.messageLabel.text()
    page.save()
    assert "不能少于代表人数" in page.ui.messageLabel.text() and count(context, Petition) == 0
    page.ui.headCountSpin.setValue(12)
    with qtbot.waitSignal(page.saved, timeout=5000) as signal:
        page.save()
    petition_id = signal.args[0].petition_id
    assert count(context, PetitionRepresentative, PetitionRepresentative.petition_id == petition_id) == 5

    other = open_page(context, qtbot)  # 更正登记 from the case view: the saved representatives are on the form
    other.edit_registration(petition_id)
    qtbot.waitUntil(lambda: other.ui.representativesTable.rowCount() == 4, timeout=3000)
    other.ui.representativesTable.setCurrentCell(3, 0)
    QTest.mouseClick(other.ui.removeRepresentativeButton, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(other.controller.corrected, timeout=5000) as corrected:
        other.save()
    change = corrected.args[0].changes["representatives"]
    assert [one["name"] for one in change["new"]] == ["巴特尔", "代表1", "代表2", "代表3"]
    live = PetitionRepresentative.petition_id == petition_id, PetitionRepresentative.deleted_at.is_(None)
    assert count(context, PetitionRepresentative, *live) == 4


def test_a_correction_typed_before_a_crash_comes_back_over_the_saved_registration(
    page: RegisterPage, qtbot: QtBot, context: AppContext, reference: Reference
) -> None:
    fill_valid_form(page, qtbot, reference)
    with qtbot.waitSignal(page.saved, timeout=5000) as signal:
        page.save()
    page.hide()  # nothing typed since the save: no correction draft
    corrections = DraftStore(context.settings.data_dir, "correction")
    assert not corrections.exists()
    page.show()
    page.ui.addressEdit.setFocus()
    type_text(page.ui.addressEdit, "阿勒腾席热镇")
    qtbot.waitUntil(corrections.exists, timeout=3000)
    restarted = open_page(context, qtbot)  # the power went before Ctrl+S
    qtbot.waitUntil(lambda: restarted.controller.editing is not None, timeout=3000)
    assert restarted.controller.petition_id == signal.args[0].petition_id
    assert restarted.ui.addressEdit.text() == "阿勒腾席热镇" and restarted.ui.nameEdit.text() == "巴特尔"
    assert "未保存的对" in restarted.ui.messageLabel.text()
    with qtbot.waitSignal(restarted.controller.corrected, timeout=5000) as corrected:
        restarted.save()
    assert "petitioner.address" in corrected.args[0].changes and not corrections.exists()
