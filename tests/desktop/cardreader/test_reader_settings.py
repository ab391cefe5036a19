"""本机设置 of the ID card reader: the photo decoder library and the vendor backend are checked (Chinese messages,
nothing stored when wrong), shown and edited on the tab, and used by the 登记 page's own reader."""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from efangtong_desktop.cardreader.sdtapi import SdtapiBackend
from efangtong_desktop.context import AppContext
from efangtong_desktop.services.local_settings import LocalSettingsInvalid, read_local_settings, save_local_settings
from efangtong_desktop.settings import CardReaderConfig, read_card_reader_config, save_card_reader_config
from efangtong_desktop.views.register.page import RegisterPage
from efangtong_desktop.views.settings.local_tab import LocalSettingsTab
from tests.desktop.cardreader.cards import PHOTO, RESIDENT, text_of


def _refused(context: AppContext, config: CardReaderConfig) -> dict[str, str]:
    with pytest.raises(LocalSettingsInvalid) as refused:
        save_local_settings(context.settings, tracking_base="", scanner_folder="", card_reader=config)
    return refused.value.problems


def test_a_wrong_photo_decoder_library_is_refused_and_nothing_is_stored(
    context: AppContext, tmp_path: Path, fake_sdk: dict[str, Path]
) -> None:
    not_a_library = tmp_path / "WltRS.dll"
    not_a_library.write_bytes(b"MZ not really")
    cases = (
        (tmp_path / "无此文件.so", "不存在"),
        (not_a_library, "无法加载"),
        (fake_sdk["sdtapi"], "没有解码函数 unpack"),  # a library, but not a decoder
        (tmp_path, "不是文件夹"),
    )
    for path, words in cases:
        problems = _refused(context, CardReaderConfig(photo_decoder=path))
        assert words in problems["photo_decoder"]
    assert read_card_reader_config(context.settings).photo_decoder is None
    stored = save_local_settings(
        context.settings,
        tracking_base="",
        scanner_folder="",
        card_reader=CardReaderConfig(photo_decoder=fake_sdk["wlt"]),
    )
    assert stored.card_reader.photo_decoder == fake_sdk["wlt"]


def test_a_vendor_backend_needs_its_library_and_a_real_port(context: AppContext, fake_sdk: dict[str, Path]) -> None:
    assert "须填写" in _refused(context, CardReaderConfig(backend="sdtapi"))["sdk_library"]
    assert (
        "1001–1016"
        in _refused(context, CardReaderConfig(backend="termb", sdk_library=fake_sdk["termb"], port=99))["card_port"]
    )
    assert read_card_reader_config(context.settings).backend == "pcsc"


def test_the_tab_shows_checks_and_stores_the_card_reader(
    context: AppContext, qtbot: QtBot, tmp_path: Path, fake_sdk: dict[str, Path]
) -> None:
    tab = LocalSettingsTab(context)
    qtbot.addWidget(tab)
    tab.show()
    ui = tab.ui
    assert ui.cardBackendCombo.currentData() == "pcsc" and not ui.sdkLibraryEdit.isEnabled()
    ui.decoderEdit.setText(str(tmp_path / "无此解码库.so"))
    ui.saveButton.click()
    assert "照片解码库不存在" in ui.messageLabel.text() and ui.decoderEdit.property("invalid")
    assert read_local_settings(context.settings).card_reader.photo_decoder is None
    ui.decoderEdit.setText(str(fake_sdk["wlt"]))
    ui.cardBackendCombo.setCurrentIndex(ui.cardBackendCombo.findData("sdtapi"))
    assert ui.sdkLibraryEdit.isEnabled()
    ui.sdkLibraryEdit.setText(str(fake_sdk["sdtapi"]))
    ui.cardPortSpin.setValue(1001)
    ui.saveButton.click()
    assert "已保存" in ui.messageLabel.text() and not ui.decoderEdit.property("invalid")
    stored = read_card_reader_config(context.settings)
    assert (stored.backend, stored.sdk_library, stored.port) == ("sdtapi", fake_sdk["sdtapi"], 1001)
    assert stored.photo_decoder == fake_sdk["wlt"]


@pytest.fixture
def sdt_control(fake_sdk: dict[str, Path]) -> Iterator[ctypes.CDLL]:
    """The fake sdtapi library's controls: no card, reader plugged, reads succeed (and no card left afterwards)."""
    control = ctypes.CDLL(str(fake_sdk["sdtapi"]))
    control.fake_remove_card()
    control.fake_unplug(0)
    control.fake_fail_read(0)
    yield control
    control.fake_remove_card()


@pytest.fixture
def vendor_page(context: AppContext, qtbot: QtBot, fake_sdk: dict[str, Path]) -> Iterator[RegisterPage]:
    """A 登记 page on a PC configured for the sdtapi reader with the WLT decoder."""
    config = CardReaderConfig(backend="sdtapi", sdk_library=fake_sdk["sdtapi"], photo_decoder=fake_sdk["wlt"])
    save_card_reader_config(context.settings, config)
    page = RegisterPage(context)
    qtbot.addWidget(page)
    page.show()
    yield page
    page.close()
    context.tasks.wait_for_workers()


def test_the_page_watches_the_configured_vendor_reader_with_the_configured_decoder(
    vendor_page: RegisterPage, qtbot: QtBot, fake_sdk: dict[str, Path], sdt_control: ctypes.CDLL
) -> None:
    qtbot.waitUntil(lambda: vendor_page.card_bridge is not None, timeout=5000)
    bridge = vendor_page.card_bridge
    assert bridge is not None and isinstance(bridge.backend, SdtapiBackend)
    decoder = bridge.service.decoder
    assert decoder is not None and decoder.library == fake_sdk["wlt"]
    qtbot.waitUntil(lambda: "sdtapi USB 1001" in vendor_page.cards.reader_status, timeout=5000)
    sdt_control.fake_put_card(text_of(RESIDENT), PHOTO)  # no F2: the watched reader fills the form
    qtbot.waitUntil(lambda: vendor_page.ui.nameEdit.text() == "巴特尔", timeout=5000)
    qtbot.waitUntil(lambda: vendor_page.card_photo is not None, timeout=5000)
    assert vendor_page.card_photo is not None and vendor_page.card_photo[:2] == b"BM", (
        "decoded by the configured library"
    )
