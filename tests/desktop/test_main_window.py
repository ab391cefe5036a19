"""The main window shell: navigation, menus, status bar, remembered geometry, form and resources."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QFile, QRect, Qt
from PySide6.QtGui import QIcon
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtTest import QTest
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from efangtong_desktop import resources
from efangtong_desktop.context import AppContext
from efangtong_desktop.settings import load_settings
from efangtong_desktop.views.main_window import NAV_ICONS, MainWindow

REPO = Path(__file__).resolve().parents[2]
NAV_LABELS = ["登记", "查询", "待办", "信访人", "预约", "预警", "研判/大屏", "设置"]


@pytest.fixture
def window(context: AppContext) -> Iterator[MainWindow]:
    """A shown main window on a fresh replica."""
    main_window = MainWindow(context)
    main_window.show()
    assert QTest.qWaitForWindowExposed(main_window)
    yield main_window
    main_window.close()
    main_window.deleteLater()


def labels_of(page: QWidget) -> list[str]:
    """The texts of all labels on `page`."""
    return [label.text() for label in page.findChildren(QLabel)]


def test_window_builds_with_navigation_pages_menus_and_status(window: MainWindow) -> None:
    assert "e访通" in window.windowTitle()
    assert [window.nav_label(row) for row in range(window.page_count())] == NAV_LABELS
    assert window.ui.pageStack.count() == len(NAV_LABELS) == len(NAV_ICONS)
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus == ["文件(&F)", "视图(&V)", "帮助(&H)"]
    assert window.ui.actionQuit.text() == "退出(&X)"
    assert window.ui.actionBigScreen.text() == "大屏模式(&B)"
    assert window.ui.actionAbout.text().startswith("关于")
    assert window.status.user.text() == "用户：测试员"
    assert window.status.unit.text() == "单位：未设置"
    assert window.status.connection.text() == "● 离线"
    assert "127.0.0.1:9" in window.status.connection.toolTip()
    assert window.status.sync.text() == "同步：尚未同步"
    assert all(not window.ui.navList.item(row).icon().isNull() for row in range(window.page_count()))


@pytest.mark.parametrize("row", range(len(NAV_LABELS)))
def test_clicking_each_navigation_entry_shows_its_placeholder_page(window: MainWindow, row: int) -> None:
    nav = window.ui.navList
    rect: QRect = nav.visualItemRect(nav.item(row))
    assert rect.isValid() and nav.viewport().rect().contains(rect), "every entry is visible without scrolling"
    QTest.mouseClick(nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert nav.currentRow() == row
    assert window.ui.pageStack.currentIndex() == row
    page_texts = labels_of(window.current_page())
    assert "本模块将在后续版本中提供" in page_texts
    shown = [label.text() for label in window.current_page().findChildren(QLabel) if label.isVisibleTo(window)]
    assert all(text.strip() for text in shown), "no empty label that would look broken"


def test_navigate_and_keyboard_shortcut_switch_pages(window: MainWindow) -> None:
    window.navigate(3)
    assert window.ui.navList.currentRow() == 3
    assert window.current_page().objectName() == "pagePetitioners"
    window.activateWindow()
    assert QTest.qWaitForWindowActive(window)  # a window shortcut fires only in the active window
    QTest.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.ui.pageStack.currentIndex() == 4
    with pytest.raises(IndexError):
        window.navigate(len(NAV_LABELS))


def test_big_screen_action_opens_the_dashboard_full_screen(window: MainWindow) -> None:
    window.ui.actionBigScreen.trigger()
    big_screen = window.big_screen
    assert big_screen is not None and big_screen.isFullScreen()
    assert big_screen.refresh_timer.isActive() and big_screen.rotate_timer.isActive()
    assert window.open_big_screen() is big_screen, "a second trigger brings back the same dashboard"
    window.close()
    assert not big_screen.isVisible()


def test_about_box_names_version_and_data_directory(window: MainWindow, data_dir: Path) -> None:
    box = window.show_about()
    try:
        assert box.isVisible()
        assert "e访通" in box.text()
        assert str(data_dir.resolve()) in box.text()
    finally:
        box.close()


def test_online_indicator_can_switch(window: MainWindow) -> None:
    window.status.show_connection(True, "http://server")
    assert window.status.connection.text() == "● 在线"
    assert window.status.connection.property("role") == "statusOnline"
    window.status.show_sync("3 条待上传")
    assert window.status.sync.text() == "同步：3 条待上传"


def test_geometry_is_saved_on_close_and_restored_next_start(qapp: QApplication, data_dir: Path) -> None:
    first_context = AppContext.open(load_settings(data_dir=data_dir, user="测试员"))
    first = MainWindow(first_context)
    first.show()
    first.setGeometry(140, 90, 1100, 700)
    assert QTest.qWaitForWindowExposed(first)
    saved = first.geometry()
    first.close()
    first_context.close()

    second_context = AppContext.open(load_settings(data_dir=data_dir, user="测试员"))
    second = MainWindow(second_context)
    try:
        second.show()
        assert QTest.qWaitForWindowExposed(second)
        assert second.geometry() == saved
    finally:
        second.close()
        second_context.close()


def test_first_start_fits_the_screen(window: MainWindow) -> None:
    screen = window.screen().availableGeometry()
    assert screen.contains(window.frameGeometry())
    assert window.width() >= window.minimumWidth()


def test_form_loads_like_designer_loads_it(qapp: QApplication) -> None:
    form = QFile(str(REPO / "ui" / "main_window.ui"))
    assert form.open(QFile.OpenModeFlag.ReadOnly)
    loaded = QUiLoader().load(form)
    form.close()
    assert loaded is not None, QUiLoader().errorString()
    assert loaded.objectName() == "MainWindow"
    loaded.deleteLater()


@pytest.mark.parametrize("name", ["theme.qss", "icons/app.svg", *NAV_ICONS])
def test_resources_exist_and_icons_are_valid_svg(qapp: QApplication, name: str) -> None:
    path = resources.resource_path(name)
    if path.suffix == ".svg":
        assert QSvgRenderer(str(path)).isValid()
        assert not QIcon(str(path)).isNull()
    else:
        assert "WenQuanYi Micro Hei" in path.read_text(encoding="utf-8")


def test_resource_path_finds_a_pyinstaller_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "resources").mkdir()
    (tmp_path / "resources" / "theme.qss").write_text("", encoding="utf-8")
    monkeypatch.setattr("sys._MEIPASS", str(tmp_path), raising=False)
    assert resources.resource_path("theme.qss") == tmp_path / "resources" / "theme.qss"
    with pytest.raises(FileNotFoundError, match="缺少资源文件"):
        resources.resource_path("icons/app.svg")
