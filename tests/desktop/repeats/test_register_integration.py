"""Repeat recognition on the real registration page: the panel fills as the number is typed, links, chip verifies."""

from __future__ import annotations

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from efangtong_core.models import Petitioner
from efangtong_desktop.context import AppContext
from efangtong_desktop.views.register.page import RegisterPage
from efangtong_desktop.views.repeats.install import install_repeat_recognition
from tests.core.test_repeats import ID_NUMBER, WAGES, WAGES_PARAPHRASE
from tests.desktop.repeats.test_repeats_panel import WAIT_MS, _seed


def test_the_page_shows_history_links_a_repeat_and_verifies(qtbot: QtBot, context: AppContext) -> None:
    ids = _seed(context)
    page = RegisterPage(context)
    qtbot.addWidget(page)
    recognition = install_repeat_recognition(page)
    page.resize(1400, 800)
    page.show()
    assert page.repeats_panel is recognition.panel
    page.ui.nameEdit.setText("巴特尔")
    with (
        qtbot.waitSignal(recognition.panel.loaded, timeout=WAIT_MS),
        qtbot.waitSignal(recognition.chip.verified, timeout=WAIT_MS),
    ):
        page.ui.idNumberEdit.setText(ID_NUMBER)
    assert recognition.panel.ui.candidatesTable.rowCount() == 3
    assert recognition.chip.text() == "身份核验：待核验"  # the test context is offline
    with context.session_factory() as session:
        assert session.scalar(select(Petitioner.verification_status)) == "pending"
    with qtbot.waitSignal(recognition.panel.loaded, timeout=WAIT_MS):
        page.ui.contentEdit.setPlainText(WAGES_PARAPHRASE)
    recognition.panel.ui.linkButton.click()
    assert page.repeat_of_id == ids[WAGES]
    page.grab().save("/tmp/register_with_repeats.png")
    page.ui.idNumberEdit.setText("")
    assert page.repeat_of_id is None  # the link belonged to the previous person
    assert recognition.chip.text() == "身份核验：未核验"
    assert recognition.panel.ui.candidatesTable.rowCount() == 0
