"""The real 登记 page fed by the real PC/SC stack (pcscd + vpcd): a card put on the reader fills the form, the photo
decoded after the fields, the repeat lookups after the fill; a card pulled mid-read leaves the form empty with why."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from efangtong_desktop.cardreader import texts as card_texts
from efangtong_desktop.cardreader.pcsc import PcscBackend
from efangtong_desktop.cardreader.photo import WltDecoder
from efangtong_desktop.cardreader.profile import ApduProfile
from efangtong_desktop.cardreader.qt import CardReaderBridge
from efangtong_desktop.cardreader.service import CardReadingService
from efangtong_desktop.context import AppContext
from efangtong_desktop.settings import CardReaderConfig, save_card_reader_config
from efangtong_desktop.views.main_window import MainWindow
from efangtong_desktop.views.register import texts as register_texts
from efangtong_desktop.views.register.page import RegisterPage
from tests.desktop.cardreader.cards import HK_MO_TW, PHOTO, RESIDENT, TODAY, text_of
from tests.support.pcscd import FIRST_READER, Pcscd
from tests.support.vpcd import VirtualIdCard, VpcdCardSession

PutCard = Callable[[VirtualIdCard], VpcdCardSession]
TIMEOUT_MS = 10_000


@pytest.fixture
def page(context: AppContext, qtbot: QtBot, backend: PcscBackend, fake_sdk: dict[str, Path]) -> Iterator[RegisterPage]:
    """A shown 登记 page watching the test pcscd's first reader, with the vendor-like photo decoder."""
    form = RegisterPage(context)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitUntil(lambda: form.fields.choices is not None, timeout=TIMEOUT_MS)
    service = CardReadingService(decoder=WltDecoder(fake_sdk["wlt"]), today=lambda: TODAY)
    bridge = CardReaderBridge(backend, service, context.tasks, form)
    form.attach_card_reader(bridge)
    bridge.start()
    qtbot.waitUntil(lambda: FIRST_READER in bridge.state.readers, timeout=TIMEOUT_MS)
    yield form
    bridge.stop()
    context.tasks.wait_for_workers()


def test_a_card_put_on_the_reader_fills_the_form_then_its_photo_and_lookups_follow(
    page: RegisterPage, qtbot: QtBot, put_card: PutCard, profiles: list[ApduProfile]
) -> None:
    names_at_lookup: list[str] = []
    page.id_number_changed.connect(lambda _number: names_at_lookup.append(page.ui.nameEdit.text()))
    with qtbot.waitSignal(page.id_number_changed, timeout=TIMEOUT_MS) as changed:
        put_card(VirtualIdCard(profiles[0], text_of(RESIDENT), PHOTO))
    assert changed.args == [RESIDENT.id_number]
    assert names_at_lookup == ["巴特尔"], "the lookups a new ID number starts come after the whole fill"
    ui = page.ui
    assert ui.idNumberEdit.text() == RESIDENT.id_number and ui.addressEdit.text() == RESIDENT.address
    assert ui.nationCombo.currentText() == "蒙古族" and "1985-03-07" in ui.birthDateValue.text()
    qtbot.waitUntil(lambda: page.card_photo is not None, timeout=TIMEOUT_MS)
    assert page.card_photo is not None and page.card_photo[:2] == b"BM", "the decoded photo reaches the page"
    assert ui.nameEdit.text() == "巴特尔"


def test_a_card_pulled_mid_read_leaves_the_form_empty_and_says_why(
    page: RegisterPage, qtbot: QtBot, put_card: PutCard, profiles: list[ApduProfile]
) -> None:
    put_card(VirtualIdCard(profiles[0], text_of(HK_MO_TW), PHOTO, pull_at_read=6))  # in the middle of the photo
    qtbot.waitUntil(lambda: "移开" in page.ui.messageLabel.text(), timeout=TIMEOUT_MS)
    ui = page.ui
    assert (ui.nameEdit.text(), ui.idNumberEdit.text(), ui.addressEdit.text()) == ("", "", "")
    assert page.card_photo is None and page.id_number() == ""


def _card_threads() -> set[threading.Thread]:
    return {thread for thread in threading.enumerate() if thread.name in ("pcsc-monitor", "card-slow-read-notice")}


def test_a_freshly_started_page_watches_the_reader_and_a_card_fills_it_with_the_configured_decoder(
    context: AppContext,
    qtbot: QtBot,
    pcscd: Pcscd,
    fake_sdk: dict[str, Path],
    put_card: PutCard,
    profiles: list[ApduProfile],
) -> None:
    save_card_reader_config(context.settings, CardReaderConfig(photo_decoder=fake_sdk["wlt"]))
    before = _card_threads()
    page = RegisterPage(context)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: FIRST_READER in page.cards.reader_status, timeout=TIMEOUT_MS)
    assert "已连接" in page.ui.readCardButton.toolTip()
    put_card(VirtualIdCard(profiles[0], text_of(RESIDENT), PHOTO))  # no F2
    qtbot.waitUntil(lambda: page.ui.nameEdit.text() == "巴特尔", timeout=TIMEOUT_MS)
    assert page.ui.idNumberEdit.text() == RESIDENT.id_number
    qtbot.waitUntil(lambda: page.card_photo is not None, timeout=TIMEOUT_MS)
    assert page.card_photo is not None and page.card_photo[:2] == b"BM", "the configured decoder decoded the photo"
    assert len(_card_threads() - before) == 2, "a monitor and a slow-read notice while watching"
    page.close()
    assert _card_threads() - before == set(), "closing the page stops the watching"
    context.tasks.wait_for_workers()


def test_without_a_smart_card_service_the_page_says_nothing_until_f2(
    context: AppContext, qtbot: QtBot, pcscd: Pcscd
) -> None:
    pcscd.stop()
    before = _card_threads()
    page = RegisterPage(context)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.cards.reader_status == card_texts.WATCH_NO_SERVICE, timeout=TIMEOUT_MS)
    assert page.ui.messageLabel.text() == register_texts.NEW_FORM, "passive watching shows no error"
    page.read_card()  # F2 explains
    qtbot.waitUntil(lambda: page.ui.messageLabel.text() == card_texts.SERVICE_UNAVAILABLE, timeout=TIMEOUT_MS)
    window_closed = page.close()
    assert window_closed and _card_threads() - before == set()
    context.tasks.wait_for_workers()


def test_the_started_main_window_fills_its_form_from_a_card_and_stops_watching_when_closed(
    context: AppContext, qtbot: QtBot, pcscd: Pcscd, put_card: PutCard, profiles: list[ApduProfile]
) -> None:
    before = _card_threads()
    window = MainWindow(context)
    window.show()
    ready: list[bool] = []
    window.when_ready(lambda: ready.append(True))
    qtbot.waitUntil(lambda: bool(ready), timeout=TIMEOUT_MS)
    page = window.register_page
    qtbot.waitUntil(lambda: FIRST_READER in page.cards.reader_status, timeout=TIMEOUT_MS)
    put_card(VirtualIdCard(profiles[0], text_of(RESIDENT), PHOTO))
    qtbot.waitUntil(lambda: page.ui.nameEdit.text() == "巴特尔", timeout=TIMEOUT_MS)
    assert page.card_photo is None, "no photo decoder configured on this PC: the placeholder, not a photo"
    window.close()
    assert _card_threads() - before == set(), "closing the window stops the watching"
    context.tasks.wait_for_workers()
    window.deleteLater()
