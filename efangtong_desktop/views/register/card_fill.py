"""The 登记 form's ID card reading: F2 reads the card now, a watched reader fills the form when a card is put on it.

A card read fills the person's fields as a whole (never a part of one); a failed read changes nothing and says why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker

from efangtong_core.idcard import CardType
from efangtong_desktop.cardreader.base import CardReaderBackend
from efangtong_desktop.views.feedback import show_message
from efangtong_desktop.views.register import texts
from efangtong_desktop.views.register.fields import select_value

if TYPE_CHECKING:  # the reading side (ctypes, the bridge's thread) is imported at the first read
    from efangtong_desktop.cardreader.qt import CardReaderBridge
    from efangtong_desktop.cardreader.service import CardFormData, CardFormState
    from efangtong_desktop.views.register.page import RegisterPage

_ID_TYPE_OF_CARD = {
    CardType.RESIDENT: "resident",
    CardType.HK_MO_TW_RESIDENCE: "hmt",
    CardType.FOREIGN_PERMANENT_OLD: "foreign",
    CardType.FOREIGN_PERMANENT_2023: "foreign",
}


class CardFiller:
    """Connects one registration page to a card reader bridge and fills its person fields from the cards read."""

    def __init__(self, page: RegisterPage, backend: CardReaderBackend | None) -> None:
        self.page = page
        self.backend = backend
        self.bridge: CardReaderBridge | None = None
        self._busy = False
        self._error: str | None = None
        self._data: CardFormData | None = None
        self._watch_after_read = False

    def attach(self, bridge: CardReaderBridge) -> None:
        """Fill the form from the cards `bridge` reports (inserted cards and F2 reads)."""
        self.bridge = bridge
        bridge.state_changed.connect(self._state)

    def read_now(self) -> None:
        """Read the card on the reader now; the PC/SC reader is used when no other was attached.

        After the first successful read of that reader, it is also watched: a card put on it fills the form.
        """
        if self.bridge is None:
            from efangtong_desktop.cardreader.qt import CardReaderBridge
            from efangtong_desktop.cardreader.service import CardReadingService

            backend = self.backend
            if backend is None:
                from efangtong_desktop.cardreader.pcsc import PcscBackend

                backend = PcscBackend()
            context = self.page.context
            self.attach(CardReaderBridge(backend, CardReadingService(), context.tasks, self.page))
            self._watch_after_read = True
        assert self.bridge is not None
        self.bridge.read_now()

    def _state(self, state: CardFormState) -> None:
        # The bridge reports its whole state after every event: act on what changed (a card removed keeps the card
        # in the state, and refilling the form then would undo the clerk's typing).
        label = self.page.ui.messageLabel
        if state.busy:
            if not self._busy:
                show_message(label, texts.CARD_READING, ok=True)
        elif state.error and (state.error != self._error or self._busy):
            show_message(label, state.error)  # a failed read leaves the form as it was
        elif state.data is not None and self._data is not None and state.data.record is self._data.record:
            self.page.card_photo = state.data.photo  # the same read, its photo decoded after the fill
        elif state.data is not None and state.data is not self._data:
            self.fill(state.data)
            if self._watch_after_read and self.bridge is not None:
                self._watch_after_read = False
                self.bridge.start()
        self._busy, self._error, self._data = state.busy, state.error, state.data

    def fill(self, card: CardFormData) -> None:
        """Put a whole card into the person's fields (never a part of one)."""
        page, ui = self.page, self.page.ui
        with QSignalBlocker(ui.idTypeCombo), QSignalBlocker(ui.idNumberEdit):
            select_value(ui.idTypeCombo, _ID_TYPE_OF_CARD.get(card.record.card_type, "other"))
            ui.idNumberEdit.setText(card.id_number)
        page.fields.show_id_number(card.id_number)
        ui.nameEdit.setText(card.name)
        nation = card.nation if card.nation.endswith("族") or not card.nation else card.nation + "族"
        select_value(ui.nationCombo, nation or None)
        ui.addressEdit.setText(card.address)
        page.card_photo = card.photo
        show_message(ui.messageLabel, texts.CARD_FILLED.format(name=card.name), ok=True)
        page.form_edited()
        (ui.phonesEdit if not ui.phonesEdit.text() else ui.formCombo).setFocus()
        # id_number_changed (repeat recognition, verification: lookups starting worker threads) once the fill is painted
        from efangtong_desktop.cardreader.qt import call_after_paint  # loaded with the bridge, at the first read

        call_after_paint(page, lambda: page.id_number_typed(ui.idNumberEdit.text()))
