"""A card's text record is shown ahead of its photo (real pcscd + vpcd): a card pulled during the photo's READ BINARYs
after its text was handed to the form leaves the form exactly as it was, with why; a draft written meanwhile never
holds the card still being read; a read that completes fills the whole card."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from pytestqt.qtbot import QtBot

from efangtong_desktop.cardreader.pcsc import PcscBackend
from efangtong_desktop.cardreader.profile import ApduProfile
from efangtong_desktop.cardreader.qt import CardReaderBridge
from efangtong_desktop.cardreader.service import CardReadingService
from efangtong_desktop.context import AppContext
from efangtong_desktop.views.register import texts as register_texts
from efangtong_desktop.views.register.page import RegisterPage
from tests.desktop.cardreader.cards import PHOTO, RESIDENT, TODAY, text_of
from tests.support.pcscd import FIRST_READER
from tests.support.vpcd import VirtualIdCard, VpcdCardSession

PutCard = Callable[[VirtualIdCard], VpcdCardSession]
TIMEOUT_MS = 10_000
HELD_READ = 5
"""The READ BINARY the card holds back: the text takes reads 1-2 (256 bytes by 128), the photo reads 3-10."""


@dataclass
class HeldCard(VirtualIdCard):
    """A virtual card that holds back one of the photo's READ BINARYs until the test lets it go (then it answers,
    or vanishes when `vanish` is set): the form has the card's text meanwhile."""

    release: threading.Event = field(default_factory=threading.Event)
    vanish: bool = False
    held: threading.Event = field(default_factory=threading.Event)

    def answer(self, apdu: bytes) -> bytes | None:
        """Hold the HELD_READ-th READ BINARY back until released."""
        if apdu[:2] == self.profile.read_binary and self._reads + 1 == HELD_READ:
            self.held.set()
            if not self.release.wait(TIMEOUT_MS / 1000):
                return None
            if self.vanish:
                self.apdus.append(apdu)
                return None
        return super().answer(apdu)


@pytest.fixture
def page(context: AppContext, qtbot: QtBot, backend: PcscBackend) -> Iterator[RegisterPage]:
    """A shown 登记 page watching the test pcscd's first reader; the clerk has typed a name, an address and a phone."""
    form = RegisterPage(context)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitUntil(lambda: form.fields.choices is not None, timeout=TIMEOUT_MS)
    bridge = CardReaderBridge(backend, CardReadingService(today=lambda: TODAY), context.tasks, form)
    bridge.preview_after_ms = 0.0  # the virtual reader is fast: previews as a slow reader's
    form.attach_card_reader(bridge)
    bridge.start()
    qtbot.waitUntil(lambda: FIRST_READER in bridge.state.readers, timeout=TIMEOUT_MS)
    qtbot.keyClicks(form.ui.nameEdit, "Zhang San")
    qtbot.keyClicks(form.ui.addressEdit, "Dongsheng 1")
    qtbot.keyClicks(form.ui.phonesEdit, "13800000000")
    form.ui.nameEdit.setCursorPosition(1)
    form.controller.write_draft()  # now, not by its pause timer while a card is on the reader (that drops a preview)
    yield form
    bridge.stop()
    context.tasks.wait_for_workers()


def _person(page: RegisterPage) -> tuple[object, ...]:
    ui = page.ui
    return (
        ui.idTypeCombo.currentIndex(),
        ui.idNumberEdit.text(),
        ui.nameEdit.text(),
        ui.nameEdit.cursorPosition(),
        ui.nationCombo.currentIndex(),
        ui.addressEdit.text(),
        ui.sexValue.text(),
        ui.birthDateValue.text(),
        ui.idNumberHint.text(),
        page.card_photo,
        page.id_number(),
    )


def test_a_card_pulled_during_its_photo_after_its_text_was_shown_leaves_the_form_as_it_was(
    page: RegisterPage, qtbot: QtBot, put_card: PutCard, profiles: list[ApduProfile]
) -> None:
    before = _person(page)
    card = HeldCard(profiles[0], text_of(RESIDENT), PHOTO, vanish=True)
    put_card(card)
    qtbot.waitUntil(lambda: card.held.is_set() and page.ui.nameEdit.text() == RESIDENT.name, timeout=TIMEOUT_MS)
    assert page.ui.idNumberEdit.text() == RESIDENT.id_number, "the text, ahead of the photo"
    assert page.id_number() == "", "no lookup starts for a card still being read"
    card.release.set()
    qtbot.waitUntil(lambda: "移开" in page.ui.messageLabel.text(), timeout=TIMEOUT_MS)
    assert _person(page) == before, "the form exactly as it was before the card"
    assert page.ui.phonesEdit.text() == "13800000000"
    assert page.ui.messageLabel.property("role") == "formError"


def test_a_draft_written_while_the_photo_is_read_keeps_the_form_before_the_card_then_the_whole_card_fills(
    page: RegisterPage, qtbot: QtBot, put_card: PutCard, profiles: list[ApduProfile]
) -> None:
    card = HeldCard(profiles[0], text_of(RESIDENT), PHOTO)
    put_card(card)
    qtbot.waitUntil(lambda: card.held.is_set() and page.ui.nameEdit.text() == RESIDENT.name, timeout=TIMEOUT_MS)
    page.controller.write_draft()  # the pause timer, or the page hidden, while the photo is on the wire
    draft = page.controller.drafts.load()
    assert draft is not None
    kept = (draft.values["name"], draft.values["address"], draft.values["id_number"])
    assert kept == ("Zhang San", "Dongsheng 1", "")
    assert page.ui.nameEdit.text() == "Zhang San", "the card still being read was taken off the form"
    with qtbot.waitSignal(page.id_number_changed, timeout=TIMEOUT_MS) as changed:
        card.release.set()
    assert changed.args == [RESIDENT.id_number]
    ui = page.ui
    assert (ui.nameEdit.text(), ui.addressEdit.text()) == (RESIDENT.name, RESIDENT.address)
    assert ui.messageLabel.text() == register_texts.CARD_FILLED.format(name=RESIDENT.name)
    assert page.ui.phonesEdit.text() == "13800000000"
