"""The 登记 page before its data layer is in: typing is kept, Ctrl+S waits for the data and then saves once.

The page is shown on a context whose replica is not open (as `efangtong` starts); its loading, which begins after
the first paint in a worker, is held at a gate until the test has typed, so "before the data" is certain.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from efangtong_core.db import open_database
from efangtong_core.models import Petition
from efangtong_desktop.context import AppContext
from efangtong_desktop.services.api_client import SignedInUser
from efangtong_desktop.services.drafts import DraftStore
from efangtong_desktop.settings import load_settings
from efangtong_desktop.views.register import texts
from efangtong_desktop.views.register.fields import select_value
from efangtong_desktop.views.register.page import RegisterPage
from tests.desktop.register.reference import RESIDENT_ID, Reference, seed_reference
from tests.desktop.register.test_register_page import type_text

WAIT_MS = 10000


@dataclass
class HeldStart:
    """A context whose replica opens only once `gate` is set, and the seeded ids."""

    context: AppContext
    gate: threading.Event
    reference: Reference


@pytest.fixture
def held(qapp: object, data_dir: object, monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldStart]:
    """A signed-in clerk's context not opened yet; opening it waits for the test to open the gate."""
    settings = load_settings(data_dir=data_dir, server_url="http://127.0.0.1:9", user="登记员")  # type: ignore[arg-type]
    engine = open_database(settings.replica_url)
    reference = seed_reference(engine)  # already seeded: reads the ids
    engine.dispose()
    context = AppContext.prepare(settings)
    context.signed_in = SignedInUser(
        id=reference.clerk_id,
        username="clerk",
        display_name="登记员",
        org_unit_id=reference.bureau_id,
        org_unit_name="伊金霍洛旗信访局",
        roles=("clerk",),
        must_change_password=False,
    )
    gate = threading.Event()
    open_replica = AppContext.open_replica

    def gated_open(self: AppContext) -> None:
        assert gate.wait(WAIT_MS / 1000), "the test never let the replica open"
        open_replica(self)

    monkeypatch.setattr(AppContext, "open_replica", gated_open)
    try:
        yield HeldStart(context, gate, reference)
    finally:
        gate.set()
        context.close()


def shown_page(context: AppContext, qtbot: QtBot) -> RegisterPage:
    """The page shown and painted, its data still held back."""
    page = RegisterPage(context)
    qtbot.addWidget(page)
    page.resize(1200, 720)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=WAIT_MS)  # the shortcuts need an active window
    assert not context.replica_open and not page.data_ready
    return page


def test_typing_before_the_data_is_kept_over_an_earlier_draft_and_then_drafted(held: HeldStart, qtbot: QtBot) -> None:
    context = held.context
    drafts = DraftStore(context.settings.data_dir)
    drafts.save("earlier-token", {"name": "旧名字", "content": "上次没保存的信访内容，要留下。", "phones": ""})
    page = shown_page(context, qtbot)
    ui = page.ui
    ui.nameEdit.setFocus()
    type_text(ui.nameEdit, "巴特尔")
    qtbot.keyClicks(ui.phonesEdit, "13947712345")
    assert ui.nameEdit.text() == "巴特尔"
    assert drafts.load() is not None and drafts.load().values["name"] == "旧名字", "no draft written before the data"  # type: ignore[union-attr]

    held.gate.set()
    qtbot.waitUntil(lambda: page.data_ready, timeout=WAIT_MS)
    assert ui.nameEdit.text() == "巴特尔" and ui.phonesEdit.text() == "13947712345", "what was typed is kept"
    assert ui.contentEdit.toPlainText() == "上次没保存的信访内容，要留下。", "the earlier draft fills the rest"
    assert ui.townCombo.count() > 1, "the lists came in"
    assert page.controller.token == "earlier-token"

    def drafted() -> bool:
        draft = drafts.load()
        return draft is not None and draft.values.get("name") == "巴特尔"

    qtbot.waitUntil(drafted, timeout=WAIT_MS)
    draft = drafts.load()
    assert draft is not None and draft.values["content"] == "上次没保存的信访内容，要留下。"


def test_ctrl_s_before_the_data_waits_and_then_saves_once(held: HeldStart, qtbot: QtBot) -> None:
    context, ref = held.context, held.reference
    page = shown_page(context, qtbot)
    ui = page.ui
    ui.idNumberEdit.setFocus()
    qtbot.keyClicks(ui.idNumberEdit, RESIDENT_ID)
    type_text(ui.nameEdit, "巴特尔")
    select_value(ui.formCombo, "visit")
    select_value(ui.purposeCombo, "request")
    type_text(ui.contentEdit, "某工地拖欠农民工工资三个月，要求尽快解决。")
    saves: list[object] = []
    page.saved.connect(saves.append)
    ui.contentEdit.setFocus()
    for _press in range(2):
        qtbot.keyClick(ui.contentEdit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert ui.messageLabel.text() == texts.WAITING_FOR_DATA
    assert saves == [] and not context.replica_open

    def choose_lists(_choices: object) -> None:  # the clerk picks category and town as the lists arrive
        select_value(ui.categoryCombo, ref.category_parent_id)
        select_value(ui.subcategoryCombo, ref.category_id)
        select_value(ui.townCombo, ref.town_id)

    page.choices_loaded.connect(choose_lists)
    held.gate.set()
    qtbot.waitUntil(lambda: len(saves) == 1, timeout=WAIT_MS)
    context.tasks.wait_for_workers()
    qtbot.wait(50)  # nothing more may arrive: a second save would have been queued by now
    assert len(saves) == 1
    with context.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Petition)) == 1
    assert ui.nameEdit.text() == "巴特尔"


def test_new_registration_and_print_before_the_data_wait_or_say_so(held: HeldStart, qtbot: QtBot) -> None:
    page = shown_page(held.context, qtbot)
    page.print_receipt()
    assert page.ui.messageLabel.text() == texts.NOTHING_TO_PRINT
    type_text(page.ui.nameEdit, "巴特尔")
    page.new_registration()
    assert page.ui.nameEdit.text() == "巴特尔", "nothing is cleared before the data is in"
    assert page.ui.messageLabel.text() == texts.WAITING_FOR_DATA
    held.gate.set()
    qtbot.waitUntil(lambda: page.data_ready and page.ui.nameEdit.text() == "", timeout=WAIT_MS)
    assert page.ui.messageLabel.text() == texts.NEW_FORM


def test_closing_before_the_data_keeps_what_was_typed_over_the_earlier_draft(held: HeldStart, qtbot: QtBot) -> None:
    drafts = DraftStore(held.context.settings.data_dir)
    drafts.save("earlier-token", {"name": "旧名字", "content": "上次没保存的信访内容，要留下。"})
    page = shown_page(held.context, qtbot)
    type_text(page.ui.nameEdit, "巴特尔")
    page.close()  # the clerk closes the window within the first second
    assert not held.context.replica_open
    draft = drafts.load()
    assert draft is not None and draft.token == "earlier-token"
    assert draft.values["name"] == "巴特尔" and draft.values["content"] == "上次没保存的信访内容，要留下。"
