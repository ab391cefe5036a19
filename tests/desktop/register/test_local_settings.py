"""本机设置: the receipt's tracking address and the scanner folder, checked with Chinese messages, stored per PC."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from efangtong_desktop.context import AppContext
from efangtong_desktop.services.local_settings import (
    LocalSettingsInvalid,
    read_local_settings,
    save_local_settings,
)
from efangtong_desktop.services.receipt import tracking_base
from efangtong_desktop.views.admin.page import AdminPage
from efangtong_desktop.views.register.page import RegisterPage
from tests.desktop.register.reference import Reference


@pytest.mark.parametrize(
    ("address", "words"),
    [
        ("xf.yjhl.gov.cn", "http:// 或 https://"),
        ("ftp://xf.yjhl.gov.cn", "http:// 或 https://"),
        ("https://", "域名或 IP"),
        ("https://xf.yjhl.gov.cn:99999", "端口"),
        ("https://xf.yjhl.gov.cn/m?x=1", "参数"),
        ("https://xf yjhl.gov.cn", "空格"),
    ],
)
def test_a_wrong_tracking_address_is_refused_and_nothing_is_stored(
    context: AppContext, tmp_path: Path, address: str, words: str
) -> None:
    with pytest.raises(LocalSettingsInvalid) as refused:
        save_local_settings(context.settings, tracking_base=address, scanner_folder=str(tmp_path))
    assert words in refused.value.problems["tracking_base"]
    assert read_local_settings(context.settings).scanner_folder is None  # the good folder is not stored either


def test_a_missing_or_relative_scanner_folder_is_refused(context: AppContext, tmp_path: Path) -> None:
    afile = tmp_path / "scan.pdf"
    afile.write_bytes(b"%PDF")
    for folder, words in ((tmp_path / "无此文件夹", "不存在"), (afile, "不是文件"), (Path("扫描"), "完整路径")):
        with pytest.raises(LocalSettingsInvalid) as refused:
            save_local_settings(context.settings, tracking_base="", scanner_folder=str(folder))
        assert words in refused.value.problems["scanner_folder"]
    assert read_local_settings(context.settings).tracking_base == ""


def test_the_clerk_sets_both_on_the_settings_page_and_the_receipt_and_scanner_use_them(
    context: AppContext, reference: Reference, page: RegisterPage, qtbot: QtBot, tmp_path: Path
) -> None:
    settings_page = AdminPage(context)
    qtbot.addWidget(settings_page)
    settings_page.resize(1366, 700)
    settings_page.show()
    tabs = settings_page.ui.tabs
    assert [tabs.tabText(i) for i in range(tabs.count())] == ["本机设置"]  # a clerk: no administration tabs
    assert not settings_page.ui.refusedCard.isVisible()
    tab = settings_page.local_tab
    assert tab is not None
    assert "127.0.0.1:9" in tab.ui.trackingEdit.placeholderText()  # empty: the server address

    qtbot.keyClicks(tab.ui.trackingEdit, "ftp://xf.yjhl.gov.cn")
    assert "http:// 或 https://" in tab.ui.trackingHint.text()
    tab.ui.saveButton.click()
    assert tab.ui.messageLabel.text().startswith("未保存")
    assert tab.ui.trackingEdit.property("invalid") is True
    assert read_local_settings(context.settings).tracking_base == ""

    scans = tmp_path / "扫描"
    scans.mkdir()
    tab.ui.trackingEdit.setText("https://xf.yjhl.gov.cn/")
    assert tab.ui.trackingHint.text() == "回执二维码将指向：https://xf.yjhl.gov.cn/m/track?code=ABCD2345"
    tab.ui.scannerEdit.setText(str(scans))
    tab.ui.saveButton.click()
    assert "已保存" in tab.ui.messageLabel.text()
    assert tab.ui.trackingEdit.property("invalid") is False
    assert tracking_base(context.settings) == "https://xf.yjhl.gov.cn"
    assert page.scanner_folder() == scans
    settings_page.grab().save(str(tmp_path / "local_settings.png"))
