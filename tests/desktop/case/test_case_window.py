"""The case window (pytest-qt, a real replica): header, timeline, a button per allowed event, actions via dialogs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QStackedWidget, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from efangtong_core.lifecycle import EventType
from efangtong_core.models import PetitionerPhone
from efangtong_core.models.sync import SyncOutbox
from efangtong_desktop.context import AppContext
from efangtong_desktop.services import case_actions as actions
from efangtong_desktop.services.api_client import SignedInUser
from efangtong_desktop.services.case_actions import available_actions, load_case
from efangtong_desktop.services.sync_service import SyncStatus
from efangtong_desktop.views.case import show_case
from efangtong_desktop.views.case.action_dialog import CaseActionDialog
from efangtong_desktop.views.case.window import CaseWindow
from sync.outbox import REJECTED
from tests.desktop.case.world import CaseWorld, build_world

E = EventType


@pytest.fixture
def world(context: AppContext) -> CaseWorld:
    return build_world(context.engine, context.session_factory)


@pytest.fixture
def windows() -> Iterator[list[CaseWindow]]:
    opened: list[CaseWindow] = []
    yield opened
    for window in opened:
        if shiboken6.isValid(window):
            window.close()


def sign_in(context: AppContext, world: CaseWorld, who: str) -> None:
    actor = world.actors[who]
    assert actor.user_id is not None and actor.unit_id is not None
    context.signed_in = SignedInUser(
        id=actor.user_id,
        username=who,
        display_name=world.names[actor.user_id],
        org_unit_id=actor.unit_id,
        org_unit_name="",
        roles=actor.roles,
        must_change_password=False,
    )


def open_case(qtbot: QtBot, context: AppContext, petition_id: str, windows: list[CaseWindow]) -> CaseWindow:
    window = show_case(context, petition_id)
    assert isinstance(window, CaseWindow)
    windows.append(window)
    qtbot.waitUntil(lambda: window.details is not None, timeout=5000)
    return window


def reopened(qtbot: QtBot, window: CaseWindow) -> None:
    with qtbot.waitSignal(window.loaded, timeout=5000):
        window.reload()


def rows(window: CaseWindow) -> list[list[str]]:
    tree = window.ui.timelineTree
    items = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    return [[item.text(c) for c in range(5)] for item in items if item is not None]


def assigned(world: CaseWorld) -> str:
    case = world.new_case()
    actions.route(world.factory, world.actors["dispatcher"], case, assign=True, unit_id=world.units["town_a"],
                  co_unit_ids=[world.units["dept"]])  # fmt: skip
    return case


def test_the_timeline_shows_every_event_in_words(
    qtbot: QtBot, context: AppContext, world: CaseWorld, windows: list[CaseWindow]
) -> None:
    case = assigned(world)
    sign_in(context, world, "handler_a")
    actions.sign_for(world.factory, world.actors["handler_a"], case)
    window = open_case(qtbot, context, case, windows)
    shown = rows(window)
    assert [row[1] for row in shown] == ["登记", "交办（待同步）", "签收（待同步）"]
    assert shown[1][2] == "张分办（分办员）" and shown[1][3] == "伊金霍洛旗信访局"
    assert "承办单位：札萨克镇" in shown[1][4] and "协办单位：旗自然资源局" in shown[1][4] and "期限：" in shown[1][4]
    assert shown[2][3] == "札萨克镇"
    ui = window.ui
    assert ui.stateLabel.text() == "待受理" and ui.leadUnitValue.text() == "札萨克镇"
    assert ui.coUnitsValue.text() == "旗自然资源局" and ui.townValue.text() == "札萨克镇"
    assert ui.numberLabel.text().startswith("伊信") and not ui.provisionalLabel.isVisible()
    assert "剩" in ui.deadlineLabel.text() and ui.deadlineLabel.property("urgency") == "ok"
    assert show_case(context, case) is window  # a second open raises the same window


def test_buttons_are_exactly_the_allowed_events_of_the_users_roles(
    qtbot: QtBot, context: AppContext, world: CaseWorld, windows: list[CaseWindow]
) -> None:
    case = world.new_case()
    sign_in(context, world, "dispatcher")
    window = open_case(qtbot, context, case, windows)
    with world.factory() as session:
        expected = available_actions(load_case(session, case), world.actors["dispatcher"])
    assert list(window.action_buttons) == expected
    assert {b.text() for b in window.action_buttons.values()} == {
        "受理",
        "不予受理",
        "不再受理",
        "转送",
        "交办",
        "合并",
    }
    window.close()
    windows.clear()
    sign_in(context, world, "handler_b")
    other = open_case(qtbot, context, case, windows)
    assert other.action_buttons == {} and not other.ui.noActionsLabel.isHidden()


def test_personal_data_is_masked_for_the_inspector_only(
    qtbot: QtBot, context: AppContext, world: CaseWorld, windows: list[CaseWindow]
) -> None:
    case = world.new_case()
    with world.plain() as session:
        person_id = world.petition(case).petitioner_id
        assert person_id is not None
        session.add(PetitionerPhone(petitioner_id=person_id, phone="13904770001", position=0))
        session.commit()
    sign_in(context, world, "inspector")
    window = open_case(qtbot, context, case, windows)
    assert window.ui.idNumberValue.text() == "150627********1234" and window.ui.phonesValue.text() == "139****0001"
    window.close()
    windows.clear()
    sign_in(context, world, "dispatcher")
    window = open_case(qtbot, context, case, windows)
    assert window.ui.idNumberValue.text() == "150627198001011234" and window.ui.phonesValue.text() == "13904770001"


def test_signing_for_through_its_dialog_updates_the_window(
    qtbot: QtBot, context: AppContext, world: CaseWorld, windows: list[CaseWindow]
) -> None:
    case = assigned(world)
    sign_in(context, world, "handler_a")
    window = open_case(qtbot, context, case, windows)
    assert list(window.action_buttons) == [E.SIGNED_FOR]
    qtbot.mouseClick(window.action_buttons[E.SIGNED_FOR], Qt.MouseButton.LeftButton)
    dialog = window.dialog
    assert isinstance(dialog, CaseActionDialog) and dialog.isVisible()
    with qtbot.waitSignal(window.loaded, timeout=5000):
        qtbot.mouseClick(dialog.ui.okButton, Qt.MouseButton.LeftButton)
    assert window.ui.stateLabel.text() == "待受理"
    assert set(window.action_buttons) == {E.ACCEPTED, E.NOT_ACCEPTED, E.NOT_REACCEPTED, E.RETURNED_MISROUTED}
    assert "已记录「签收」" in window.ui.messageLabel.text()
    assert world.petition(case).state == "pending_acceptance"


def test_a_refused_dialog_keeps_its_message_and_writes_nothing(
    qtbot: QtBot, context: AppContext, world: CaseWorld, windows: list[CaseWindow]
) -> None:
    case = assigned(world)
    actions.sign_for(world.factory, world.actors["handler_a"], case)
    sign_in(context, world, "handler_a")
    window = open_case(qtbot, context, case, windows)
    dialog = window.open_action(E.RETURNED_MISROUTED)
    assert dialog is not None
    qtbot.mouseClick(dialog.ui.okButton, Qt.MouseButton.LeftButton)
    assert dialog.ui.messageLabel.text() == "请填写异议理由" and dialog.isVisible()
    assert world.petition(case).event_count == 3
    dialog.ui.textEdit.setPlainText("该事项属自然资源部门职权")
    with qtbot.waitSignal(window.loaded, timeout=5000):
        qtbot.mouseClick(dialog.ui.okButton, Qt.MouseButton.LeftButton)
    assert window.ui.stateLabel.text() == "待分办" and window.ui.leadUnitValue.text() == "—"
    assert window.action_buttons == {}


def test_assignment_through_its_dialog_with_a_co_unit(
    qtbot: QtBot, context: AppContext, world: CaseWorld, windows: list[CaseWindow]
) -> None:
    case = world.new_case()
    sign_in(context, world, "dispatcher")
    window = open_case(qtbot, context, case, windows)
    dialog = window.open_action(E.ASSIGNED)
    assert dialog is not None
    ui = dialog.ui
    qtbot.waitUntil(lambda: ui.unitCombo.isEnabled() and ui.unitCombo.count() >= 3, timeout=5000)
    ui.unitCombo.setCurrentIndex(ui.unitCombo.findData(world.units["town_b"]))
    for row in range(ui.coUnitsList.count()):
        item = ui.coUnitsList.item(row)
        if item is not None and item.data(Qt.ItemDataRole.UserRole) == world.units["dept"]:
            item.setCheckState(Qt.CheckState.Checked)
    assert ui.deadlineEdit.date().toPython() > window.details.header.registered_at.date()  # type: ignore[union-attr,operator]
    with qtbot.waitSignal(window.loaded, timeout=5000):
        qtbot.mouseClick(ui.okButton, Qt.MouseButton.LeftButton)
    assert window.ui.stateLabel.text() == "已交办（待签收）"
    assert window.ui.leadUnitValue.text() == "乌兰木伦镇" and window.ui.coUnitsValue.text() == "旗自然资源局"
    assert world.outbox()[-1] == ("case_event", "upsert")


def test_a_note_with_an_attachment_shows_a_thumbnail(
    qtbot: QtBot, context: AppContext, world: CaseWorld, windows: list[CaseWindow], tmp_path: Path
) -> None:
    case = assigned(world)
    actions.sign_for(world.factory, world.actors["handler_a"], case)
    actions.accept(world.factory, world.actors["handler_a"], case)
    sign_in(context, world, "handler_a")
    window = open_case(qtbot, context, case, windows)
    from PySide6.QtGui import QColor, QImage

    picture = tmp_path / "现场.png"
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("#336699"))
    assert image.save(str(picture))
    dialog = window.open_action(E.NOTE)
    assert dialog is not None
    dialog.ui.textEdit.setPlainText("已实地走访")
    dialog.add_attachments([picture])
    with qtbot.waitSignal(window.loaded, timeout=5000):
        qtbot.mouseClick(dialog.ui.okButton, Qt.MouseButton.LeftButton)
    listing = window.ui.attachmentList
    assert listing.count() == 1 and listing.item(0).text() == "现场.png"  # type: ignore[union-attr]
    assert not listing.item(0).icon().isNull()  # type: ignore[union-attr]
    assert "附件：现场.png" in rows(window)[-1][4]


def test_an_event_the_server_refused_shows_as_returned_with_its_reason(
    qtbot: QtBot, context: AppContext, world: CaseWorld, windows: list[CaseWindow]
) -> None:
    case = assigned(world)
    event_id = actions.sign_for(world.factory, world.actors["handler_a"], case)
    with world.plain() as session:
        session.execute(
            update(SyncOutbox).where(SyncOutbox.row_id == event_id).values(state=REJECTED, reason="该件已被改派")
        )
        session.commit()
    sign_in(context, world, "handler_a")
    window = open_case(qtbot, context, case, windows)
    last = rows(window)[-1]
    assert last[1] == "签收" and last[4].startswith("被服务器退回：该件已被改派")
    assert window.ui.stateLabel.text() == "已交办（待签收）"
    assert list(window.action_buttons) == [E.SIGNED_FOR]


def test_assignment_without_a_chosen_unit_is_refused_in_the_dialog(
    qtbot: QtBot, context: AppContext, world: CaseWorld, windows: list[CaseWindow]
) -> None:
    case = world.new_case()
    sign_in(context, world, "dispatcher")
    window = open_case(qtbot, context, case, windows)
    dialog = window.open_action(E.TRANSFERRED)
    assert dialog is not None
    qtbot.waitUntil(dialog.ui.unitCombo.isEnabled, timeout=5000)
    assert dialog.ui.unitCombo.currentData() is None  # no routing suggestion here: nothing is preselected
    qtbot.mouseClick(dialog.ui.okButton, Qt.MouseButton.LeftButton)
    assert dialog.ui.messageLabel.text() == "请选择主办单位" and dialog.isVisible()
    assert world.petition(case).event_count == 1 and world.outbox() == []


def test_an_attachment_opens_as_a_named_copy_with_the_system_viewer(
    qtbot: QtBot,
    context: AppContext,
    world: CaseWorld,
    windows: list[CaseWindow],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from efangtong_desktop.services.blob_store import blob_store
    from efangtong_desktop.views.case import media

    case = assigned(world)
    actions.sign_for(world.factory, world.actors["handler_a"], case)
    actions.accept(world.factory, world.actors["handler_a"], case)
    recording = tmp_path / "约谈录音.mp3"
    recording.write_bytes(b"ID3" + bytes(300))
    store = blob_store(context.settings)
    actions.add_note(world.factory, world.actors["handler_a"], case, text="约谈", attachments=[recording], store=store)
    opened: list[Path] = []
    monkeypatch.setattr(media, "multimedia_available", lambda: False)  # as on a PC without PySide6-Addons
    monkeypatch.setattr(media, "open_with_system", lambda path: opened.append(path) or True)
    sign_in(context, world, "handler_a")
    window = open_case(qtbot, context, case, windows)
    window.ui.attachmentList.setCurrentRow(0)
    window.open_selected_attachment()
    qtbot.waitUntil(lambda: bool(opened), timeout=5000)
    assert opened[0].name == "约谈录音.mp3" and opened[0].read_bytes() == recording.read_bytes()
    assert context.settings.data_dir in opened[0].parents
    details = window.details
    assert details is not None
    sha = details.attachments[0].sha256
    store.blob_path(sha).unlink()  # bytes not (yet) on this PC: a row may arrive before its bytes
    reopened(qtbot, window)
    window.ui.attachmentList.setCurrentRow(0)
    window.open_selected_attachment()
    qtbot.waitUntil(lambda: "尚未下载" in window.ui.messageLabel.text(), timeout=5000)


class FakeMainWindow(QWidget):
    """Stands in for the main window: the registration page, the page stack and the sync service."""

    status_changed = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.corrected: list[str] = []
        self.navigated: list[int] = []
        self.syncs = 0
        self.register_page = self
        self.sync_service = self
        stack = QStackedWidget(self)
        self.ui = SimpleNamespace(pageStack=stack, pageRegister=QWidget(stack))
        stack.addWidget(QWidget(stack))
        stack.addWidget(self.ui.pageRegister)

    def edit_registration(self, petition_id: str) -> None:
        self.corrected.append(petition_id)

    def navigate(self, index: int) -> None:
        self.navigated.append(index)

    def sync_now(self) -> None:
        self.syncs += 1


def test_from_the_main_window_a_clerk_corrects_the_registration_and_actions_sync_at_once(
    qtbot: QtBot, context: AppContext, world: CaseWorld, windows: list[CaseWindow]
) -> None:
    main = FakeMainWindow()
    qtbot.addWidget(main)
    case = world.new_case()
    sign_in(context, world, "clerk")
    window = show_case(context, case, main)
    assert isinstance(window, CaseWindow)
    windows.append(window)
    qtbot.waitUntil(lambda: window.details is not None, timeout=5000)
    assert not window.ui.correctButton.isHidden() and window.action_buttons == {}
    qtbot.mouseClick(window.ui.correctButton, Qt.MouseButton.LeftButton)
    assert main.corrected == [case] and main.navigated == [1]
    window.close()
    windows.clear()
    sign_in(context, world, "dispatcher")
    window = open_case_with_parent(qtbot, context, case, windows, main)
    assert window.ui.correctButton.isHidden()  # correcting is the clerk's, before routing
    dialog = window.open_action(E.NOT_ACCEPTED)
    assert dialog is not None
    dialog.ui.textEdit.setPlainText("属于诉讼途径解决的事项")
    with qtbot.waitSignal(window.loaded, timeout=5000):
        qtbot.mouseClick(dialog.ui.okButton, Qt.MouseButton.LeftButton)
    assert main.syncs == 1 and window.ui.stateLabel.text() == "不予受理"
    with qtbot.waitSignal(window.loaded, timeout=5000):  # a finished sync: the window reads the case again
        main.status_changed.emit(SyncStatus(online=True, last_success=datetime.now(UTC)))
    assert rows(window)[-1][1] == "不予受理（待同步）"


def open_case_with_parent(
    qtbot: QtBot, context: AppContext, petition_id: str, windows: list[CaseWindow], parent: QWidget
) -> CaseWindow:
    window = show_case(context, petition_id, parent)
    assert isinstance(window, CaseWindow)
    windows.append(window)
    qtbot.waitUntil(lambda: window.details is not None, timeout=5000)
    return window


def test_every_action_has_a_dialog_showing_only_its_fields(
    qtbot: QtBot, context: AppContext, world: CaseWorld, windows: list[CaseWindow]
) -> None:
    from efangtong_desktop.views.case.action_dialog import SPECS

    case = world.new_case()
    sign_in(context, world, "dispatcher")
    window = open_case(qtbot, context, case, windows)
    details = window.details
    assert details is not None
    assert set(SPECS) == {kind for kind in EventType if kind not in (E.REGISTERED, E.REGISTRATION_CORRECTED)}
    for kind, spec in SPECS.items():
        dialog = CaseActionDialog(context, window.actor, details, kind, window)
        ui = dialog.ui
        assert ui.okButton.text() and details.header.number in dialog.windowTitle()
        assert ui.formLayout.isRowVisible(ui.textEdit) == bool(spec.text), kind
        assert ui.formLayout.isRowVisible(ui.unitCombo) == spec.unit, kind
        assert ui.formLayout.isRowVisible(ui.daysSpin) == spec.days, kind
        assert ui.formLayout.isRowVisible(ui.choiceCombo) == (spec.choice is not None), kind
        assert ui.formLayout.isRowVisible(ui.intoEdit) == spec.into, kind
        if spec.choice is not None:
            assert ui.choiceCombo.count() == len(list(spec.choice))
        dialog.reject()
        dialog.deleteLater()
    qtbot.waitUntil(lambda: context.tasks.pending == 0, timeout=5000)
