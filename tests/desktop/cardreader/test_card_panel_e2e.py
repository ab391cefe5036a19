"""The card panel (a real Qt widget, offscreen) fed by the real PC/SC stack: cards fill it, failures leave it empty."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from efangtong_desktop.cardreader.base import CardInserted, CardRead, RecordRead
from efangtong_desktop.cardreader.pcsc import PcscBackend
from efangtong_desktop.cardreader.photo import WltDecoder
from efangtong_desktop.cardreader.profile import ApduProfile
from efangtong_desktop.cardreader.qt import CardReaderBridge
from efangtong_desktop.cardreader.service import CardReadingService
from efangtong_desktop.tasks import TaskManager
from efangtong_desktop.views.card_panel import CardPanel
from tests.desktop.cardreader.cards import EXPIRED, HK_MO_TW, PHOTO, RESIDENT, TODAY, text_of
from tests.desktop.live_server import wait_until
from tests.support.pcscd import FIRST_READER, wait_for_card
from tests.support.vpcd import VirtualIdCard, VpcdCardSession

PutCard = Callable[[VirtualIdCard], VpcdCardSession]


@pytest.fixture
def panel(qapp: QApplication, backend: PcscBackend) -> Iterator[CardPanel]:
    """A shown card panel whose bridge watches the test pcscd's readers."""
    tasks = TaskManager()
    bridge = CardReaderBridge(backend, CardReadingService(today=lambda: TODAY), tasks)
    widget = CardPanel(bridge)
    widget.show()
    bridge.start()
    wait_until(lambda: FIRST_READER in bridge.state.readers)
    yield widget
    bridge.stop()
    tasks.wait_for_workers()
    widget.close()
    widget.deleteLater()


def test_a_card_on_the_reader_fills_the_panel(panel: CardPanel, put_card: PutCard, profiles: list[ApduProfile]) -> None:
    put_card(VirtualIdCard(profiles[0], text_of(RESIDENT), PHOTO))
    wait_until(lambda: panel.fields["name"].text() == "巴特尔")
    shown = {key: label.text() for key, label in panel.fields.items()}
    assert shown["id_number"] == RESIDENT.id_number
    assert shown["sex"] == "男" and shown["nation"] == "蒙古族" and shown["birth_date"] == "1985-03-07"
    assert shown["card_type"] == "居民身份证" and shown["validity"] == "2015.03.10-2035.03.10"
    assert shown["address"] == RESIDENT.address and shown["issuing_authority"] == "伊金霍洛旗公安局"
    assert "未配置照片解码库" in panel.photo.text()
    assert not panel.error.isVisibleTo(panel)
    assert panel.bridge.state.data is not None and panel.bridge.state.data.record == RESIDENT


def test_pulling_the_card_mid_read_leaves_the_panel_empty_with_an_error(
    panel: CardPanel, put_card: PutCard, profiles: list[ApduProfile]
) -> None:
    first = put_card(VirtualIdCard(profiles[0], text_of(HK_MO_TW), PHOTO))
    wait_until(lambda: panel.fields["name"].text() == "陈美玲")
    first.pull()
    wait_for_card(FIRST_READER, present=False)
    put_card(VirtualIdCard(profiles[0], text_of(RESIDENT), PHOTO, pull_at_read=3))
    wait_until(lambda: bool(panel.error.text()))
    assert "被移开" in panel.error.text() and panel.error.isVisibleTo(panel)
    assert panel.is_empty()
    assert panel.bridge.state.data is None


def test_an_expired_card_is_refused_and_shows_nothing(
    panel: CardPanel, put_card: PutCard, profiles: list[ApduProfile]
) -> None:
    put_card(VirtualIdCard(profiles[0], text_of(EXPIRED)))
    wait_until(lambda: bool(panel.error.text()))
    assert "已过期" in panel.error.text() and "2025年03月10日" in panel.error.text()
    assert panel.is_empty()


def test_f2_reads_the_card_again_off_the_gui_thread(
    panel: CardPanel, put_card: PutCard, profiles: list[ApduProfile]
) -> None:
    card = put_card(VirtualIdCard(profiles[0], text_of(RESIDENT)))
    wait_until(lambda: panel.fields["name"].text() == "巴特尔")
    count = len(card.card.apdus)
    panel.activateWindow()
    QTest.keyClick(panel, Qt.Key.Key_F2)
    wait_until(lambda: len(card.card.apdus) > count and not panel.bridge.state.busy)
    assert panel.fields["name"].text() == "巴特尔"


def test_f2_without_a_card_says_so(panel: CardPanel) -> None:
    panel.bridge.read_now()
    wait_until(lambda: bool(panel.error.text()))
    assert "没有证件" in panel.error.text() and panel.is_empty()


def test_a_photo_decoded_by_the_vendor_library_is_shown(qapp: QApplication, fake_sdk: dict[str, Path]) -> None:
    service = CardReadingService(decoder=WltDecoder(fake_sdk["wlt"]), today=lambda: TODAY)
    tasks = TaskManager()
    widget = CardPanel(CardReaderBridge(PcscBackend([]), service, tasks))
    widget.show_state(service.handle(RecordRead(FIRST_READER, CardRead(RESIDENT, FIRST_READER, PHOTO))))
    assert not widget.photo.pixmap().isNull() and widget.photo.pixmap().width() == 102
    widget.show_state(service.handle(CardInserted(FIRST_READER)))
    assert widget.is_empty()
    widget.deleteLater()
