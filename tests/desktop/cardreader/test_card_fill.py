"""The 登记 form filled from a card: the ID number's derived sex, birth date and region are those the live check of a
typed number shows (the card's record checked the number: not parsed again)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from PySide6.QtCore import QBuffer, QIODevice, Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from efangtong_core.idcard import IdCardRecord
from efangtong_desktop.cardreader.base import CardRead
from efangtong_desktop.cardreader.service import form_data
from efangtong_desktop.context import AppContext
from efangtong_desktop.views.register.page import RegisterPage
from tests.desktop.cardreader.cards import ALL_TYPES, TODAY

TIMEOUT_MS = 10_000


@pytest.fixture
def page(context: AppContext, qtbot: QtBot) -> Iterator[RegisterPage]:
    """A shown 登记 page with its lists in (no reader watched)."""
    form = RegisterPage(context)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitUntil(lambda: form.fields.choices is not None, timeout=TIMEOUT_MS)
    form.cards.stop()
    yield form
    context.tasks.wait_for_workers()


def _derived(page: RegisterPage) -> tuple[str, str, str, object]:
    ui = page.ui
    return ui.sexValue.text(), ui.birthDateValue.text(), ui.idNumberHint.text(), ui.idNumberHint.property("role")


@pytest.mark.parametrize("record", ALL_TYPES, ids=lambda record: record.card_type.name.lower())
def test_a_filled_card_shows_what_the_typed_number_would(page: RegisterPage, record: IdCardRecord) -> None:
    page.fields.show_id_number("1234")  # an incomplete number before: its hint, no sex or birth date
    page.cards.fill(form_data(CardRead(record, "读卡器"), decoder=None, today=TODAY))
    filled = _derived(page)
    assert page.ui.idNumberEdit.text() == record.id_number
    page.fields.show_id_number(page.ui.idNumberEdit.text())
    assert filled == _derived(page)
    if page.ui.idTypeCombo.currentData() == "resident":
        assert record.birth_date.isoformat() in filled[1] and record.sex.label in filled[0]


def test_a_fill_is_followed_at_once_by_the_focus_the_draft_and_the_number_s_lookups(
    page: RegisterPage, qtbot: QtBot
) -> None:
    record = ALL_TYPES[0]
    page.cards.fill(form_data(CardRead(record, "读卡器"), decoder=None, today=TODAY))
    assert (page.ui.nameEdit.text(), page.ui.nationCombo.currentData()) == (record.name, record.nation)
    qtbot.waitUntil(lambda: page.window().focusWidget() is page.ui.phonesEdit, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: page.id_number() == record.id_number, timeout=TIMEOUT_MS)  # the live check, after
    qtbot.waitUntil(lambda: page.controller.drafts.load() is not None, timeout=TIMEOUT_MS)
    draft = page.controller.drafts.load()
    assert draft is not None and (draft.values["name"], draft.values["nation"]) == (record.name, record.nation)


def test_the_card_s_nation_is_found_in_a_reloaded_list(page: RegisterPage) -> None:
    choices = page.fields.choices
    assert choices is not None and "蒙古族" in choices.nations
    page.fields.set_choices(replace(choices, nations=tuple(reversed(choices.nations))))
    record = ALL_TYPES[0]
    page.cards.fill(form_data(CardRead(record, "读卡器"), decoder=None, today=TODAY))
    assert page.ui.nationCombo.currentText() == record.nation == "蒙古族"
    page.cards.fill(form_data(CardRead(replace(record, nation=None), "读卡器"), decoder=None, today=TODAY))
    assert page.ui.nationCombo.currentIndex() == 0  # no nation on the card: 未填


def test_the_same_card_read_again_keeps_what_the_clerk_typed_and_another_card_replaces_it(
    page: RegisterPage, qtbot: QtBot
) -> None:
    first, other = ALL_TYPES[0], ALL_TYPES[1]
    page.cards.fill(form_data(CardRead(first, "读卡器"), decoder=None, today=TODAY))
    address = page.ui.addressEdit
    address.setFocus()
    address.end(False)
    qtbot.keyClicks(address, " B-5")  # typed by the clerk: a modified field
    typed = f"{first.address} B-5"
    page.cards.fill(form_data(CardRead(first, "读卡器"), decoder=None, today=TODAY))
    assert (page.ui.nameEdit.text(), address.text()) == (first.name, typed)
    page.cards.fill(form_data(CardRead(other, "读卡器"), decoder=None, today=TODAY))
    assert (page.ui.idNumberEdit.text(), page.ui.nameEdit.text(), address.text()) == (
        other.id_number,
        other.name,
        other.address,
    )


def _png() -> bytes:
    image = QImage(102, 126, QImage.Format.Format_RGB32)
    image.fill(0x3366AA)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data().data())


def test_the_card_s_photo_is_shown_and_saved_only_while_the_form_holds_the_card_s_number(
    page: RegisterPage, qtbot: QtBot
) -> None:
    record, label = ALL_TYPES[0], page.ui.cardPhotoLabel
    assert label.text() == "证件照片" and label.pixmap().isNull()
    photo = _png()
    page.cards.fill(form_data(CardRead(record, "读卡器", photo_image=photo), decoder=None, today=TODAY))
    assert not label.pixmap().isNull() and label.pixmap().height() <= label.maximumHeight()
    assert page.cards.photo_to_save() == photo
    number = page.ui.idNumberEdit
    number.setFocus()
    number.end(False)
    qtbot.keyClick(number, Qt.Key.Key_Backspace)  # another person's number now
    assert label.pixmap().isNull() and label.text() == "证件照片"
    assert page.cards.photo_to_save() is None, "a photo is never saved with someone else's number"
    qtbot.keyClicks(number, record.id_number[-1])
    assert not label.pixmap().isNull() and page.cards.photo_to_save() == photo
    page.new_registration()
    assert label.pixmap().isNull() and label.text() == "证件照片" and page.card_photo is None


def test_a_card_without_a_decoded_photo_says_why(page: RegisterPage) -> None:
    card = form_data(CardRead(ALL_TYPES[0], "读卡器", photo_wlt=b"\x00" * 1024), decoder=None, today=TODAY)
    page.cards.fill(card)
    assert card.photo is None and card.photo_note
    assert page.ui.cardPhotoLabel.text() == card.photo_note and page.ui.cardPhotoLabel.pixmap().isNull()
