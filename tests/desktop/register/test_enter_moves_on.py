"""The 登记 form's Enter key: in every one-line field (line edits, combos, the spin box's own edit) it moves on."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from efangtong_desktop.views.register.page import RegisterPage


def _press_enter_in(page: RegisterPage, qtbot: QtBot, field: QWidget, receiver: QWidget) -> QWidget | None:
    field.setFocus()
    qtbot.waitUntil(lambda: field.hasFocus(), timeout=2000)
    qtbot.keyClick(receiver, Qt.Key.Key_Return)
    return QApplication.focusWidget()


def test_enter_moves_on_from_line_edits_combos_and_the_spin_box(page: RegisterPage, qtbot: QtBot) -> None:
    ui = page.ui
    page.show()
    qtbot.waitExposed(page)
    assert _press_enter_in(page, qtbot, ui.idNumberEdit, ui.idNumberEdit) is ui.nameEdit
    assert _press_enter_in(page, qtbot, ui.formCombo, ui.formCombo) is ui.purposeCombo
    spin_edit = ui.headCountSpin.findChildren(QLineEdit)[0]  # where the key presses of the spin box arrive
    assert _press_enter_in(page, qtbot, ui.headCountSpin, spin_edit) is ui.agentCombo
    assert _press_enter_in(page, qtbot, ui.agentCombo, ui.agentCombo) is ui.titleEdit


def test_enter_in_the_content_box_stays_a_new_line(page: RegisterPage, qtbot: QtBot) -> None:
    page.show()
    qtbot.waitExposed(page)
    assert _press_enter_in(page, qtbot, page.ui.contentEdit, page.ui.contentEdit) is page.ui.contentEdit
    assert page.ui.contentEdit.toPlainText() == "\n"
