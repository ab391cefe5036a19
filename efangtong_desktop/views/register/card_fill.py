"""The 登记 form's ID card reading: the configured reader is watched from the start (a card put on it fills the form),
and F2 reads the card now.

Watching starts once the page's data layer is in (`choices_loaded`): a worker imports the card side and builds this
PC's configured backend and photo decoder (本机设置), then the bridge starts. Without a reader or a smart-card service
the form says nothing — only the F2 button's tooltip (`reader_status`) tells, and the backend keeps trying quietly;
F2 explains what is missing. Watching stops when the page or its window closes (no thread is left behind).
A card read fills the person's fields as a whole (never a part of one); a failed read changes nothing and says why.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, QSignalBlocker
from PySide6.QtWidgets import QLineEdit

from efangtong_desktop.views.feedback import show_message
from efangtong_desktop.views.register import texts
from efangtong_desktop.views.register.card_photo import CardPhotoView

if TYPE_CHECKING:  # the reading side (ctypes, the bridge's thread) is imported after the data layer, off the GUI thread
    from efangtong_core.idcard import CardType, IdCardRecord  # (and the card types: not before the first paint)
    from efangtong_desktop.cardreader.base import CardReaderBackend
    from efangtong_desktop.cardreader.photo import WltDecoder
    from efangtong_desktop.cardreader.qt import AfterPaintCalls, CardReaderBridge
    from efangtong_desktop.cardreader.service import CardFormData, CardFormState
    from efangtong_desktop.views.register.page import RegisterPage

ReaderParts = tuple["CardReaderBackend", "WltDecoder | None"]


FieldValues = tuple[int, str, str, int, str]
"""What a card writes: ID type index, ID number, name, nation index, address."""


@dataclass(frozen=True)
class _Preview:
    """A card shown ahead of its photo: what its fields held before and what the card put there."""

    record: IdCardRecord
    before: FieldValues
    written: FieldValues
    cursors: tuple[int, int, int]
    modified: tuple[bool, bool, bool]


class _CloseWatch(QObject):
    """Stops the card watching when the page's window (or the page itself, shown alone) closes."""

    def __init__(self, filler: CardFiller, page: QObject) -> None:
        super().__init__(page)
        self._filler = filler

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Stop on a close that was accepted."""
        if event.type() == QEvent.Type.Close and event.isAccepted():
            self._filler.stop()
        return False


class CardFiller:
    """Connects one registration page to a card reader bridge and fills its person fields from the cards read."""

    def __init__(self, page: RegisterPage, backend: CardReaderBackend | None) -> None:
        self.page = page
        self.backend = backend
        """The reader given by the caller (tests, benchmarks); None: this PC's configured reader."""
        self.bridge: CardReaderBridge | None = None
        self.reader_status = ""
        """The quiet status of the watched reader (the F2 button's tooltip), "" before watching starts."""
        self._own_bridge = False
        self._stopped = False
        self._building = False
        self._busy = False
        self._error: str | None = None
        self._data: CardFormData | None = None
        self._watch_after_read = False
        self._preview: _Preview | None = None
        self._after_paint: AfterPaintCalls | None = None
        self.photo = CardPhotoView(page.ui.cardPhotoLabel, page.ui.idNumberEdit)
        self._reader_seen: tuple[tuple[str, ...], str] | None = None
        self._close_watch = _CloseWatch(self, page)
        page.installEventFilter(self._close_watch)
        window = page.window()
        if window is not page:
            window.installEventFilter(self._close_watch)
        page.choices_loaded.connect(self._data_ready)
        page.destroyed.connect(lambda *_: self.stop())

    # -- the bridge -------------------------------------------------------------------------------------------------

    def attach(self, bridge: CardReaderBridge) -> None:
        """Fill the form from the cards `bridge` reports (inserted cards and F2 reads); replaces the page's own."""
        if self.bridge is bridge:
            return
        self._drop_own_bridge()
        self.bridge = bridge
        self._own_bridge = False
        self._stopped = False
        bridge.state_changed.connect(self._state)
        bridge.watch_previews(self._previewed)

    def start_watching(self) -> None:
        """Watch this PC's configured reader from now on (its parts built in a worker); quiet without a reader."""
        if self.bridge is not None or self._building or self._stopped:
            return
        self._building = True
        settings, given = self.page.context.settings, self.backend

        def work() -> ReaderParts:
            from efangtong_desktop.cardreader import qt  # noqa: F401  (imported here, off the GUI thread)

            return _reader_parts(settings, given)

        self.page.context.tasks.run(work, self._parts_built, self._parts_failed, owner=self._close_watch)

    def stop(self) -> None:
        """Stop watching (the page or its window closes); the reader the page made itself is released."""
        self._stopped = True
        self.drop_preview()
        bridge = self.bridge
        if bridge is not None:
            bridge.stop()  # plain Python state: safe while the page is being destroyed
        self._drop_own_bridge()

    def read_now(self) -> None:
        """Read the card on the reader now (F2); the configured reader is watched afterwards if it was not yet."""
        if self.bridge is None:
            from efangtong_desktop.cardreader.base import CardReadError

            try:
                parts = _reader_parts(self.page.context.settings, self.backend)
            except CardReadError as error:
                show_message(self.page.ui.messageLabel, error.message)
                return
            self._make_bridge(parts)
            self._watch_after_read = True
        assert self.bridge is not None
        self._stopped = False
        self.bridge.read_now()

    def _data_ready(self, choices: object) -> None:
        if not isinstance(choices, Exception):
            self.start_watching()

    def _parts_built(self, parts: ReaderParts) -> None:
        self._building = False
        if self.bridge is not None or self._stopped or not shiboken6.isValid(self.page):
            if self.backend is None:
                _close_backend(parts[0])  # F2 made a bridge meanwhile, or the page closed
            return
        self._make_bridge(parts)
        assert self.bridge is not None
        self.bridge.start()

    def _parts_failed(self, error: Exception) -> None:
        self._building = False
        from efangtong_desktop.cardreader import texts as card_texts
        from efangtong_desktop.cardreader.base import CardReadError

        reason = error.message if isinstance(error, CardReadError) else type(error).__name__
        self._show_status(card_texts.WATCH_UNAVAILABLE.format(reason=reason))  # F2 says it aloud

    def _make_bridge(self, parts: ReaderParts) -> None:
        from efangtong_desktop.cardreader.qt import CardReaderBridge
        from efangtong_desktop.cardreader.service import CardReadingService

        backend, decoder = parts
        bridge = CardReaderBridge(backend, CardReadingService(decoder=decoder), self.page.context.tasks, self.page)
        self.attach(bridge)
        self._own_bridge = True

    def _drop_own_bridge(self) -> None:
        bridge, own = self.bridge, self._own_bridge
        if bridge is None or not own:
            return
        self.bridge, self._own_bridge = None, False
        bridge.stop()
        if self.backend is None:
            _close_backend(bridge.backend)

    # -- what the bridge reports ------------------------------------------------------------------------------------

    def _state(self, state: CardFormState) -> None:
        # The bridge reports its whole state after every event: act on what changed (a card removed keeps the card
        # in the state, and refilling the form then would undo the clerk's typing).
        if not shiboken6.isValid(self.page):
            return
        preview = self._preview
        if preview is not None and not state.busy:
            if state.data is not self._data and state.data is not None and state.data.record == preview.record:
                self._preview = None  # the previewed card, read completely: its fields are in (unless changed since)
                self._finish_fill(state.data) if self._field_values() == preview.written else self.fill(state.data)
                self._show_reader(state)
                self._busy, self._error, self._data = state.busy, state.error, state.data
                return
            if state.data is not self._data or state.error:
                self.drop_preview()  # the read failed (or another card came): the form as it was
        self._show_reader(state)
        label = self.page.ui.messageLabel
        if state.busy:
            if not self._busy:
                show_message(label, texts.CARD_READING, ok=True)
        elif state.error and (state.error != self._error or self._busy):
            show_message(label, state.error)  # a failed read leaves the form as it was
        elif state.data is not None and self._data is not None and state.data.record is self._data.record:
            self.show_photo(state.data)  # the same read, its photo decoded after the fill
        elif state.data is not None and state.data is not self._data:
            self.fill(state.data)
        if not state.busy and self._watch_after_read and self.bridge is not None and not self._stopped:
            self._watch_after_read = False  # after F2's read, so that the watch does not read the same card again
            self.bridge.start()
        self._busy, self._error, self._data = state.busy, state.error, state.data

    def _previewed(self, card: CardFormData) -> None:
        """A card's text record is in, its photo still on the wire: write its fields now, keeping what they held
        (the read's outcome commits them or puts the old values back; no draft, message or lookup before that)."""
        if not shiboken6.isValid(self.page) or self._stopped:
            return
        self.drop_preview()
        edits = self._edits()
        before = self._field_values()
        cursors = (edits[0].cursorPosition(), edits[1].cursorPosition(), edits[2].cursorPosition())
        modified = (edits[0].isModified(), edits[1].isModified(), edits[2].isModified())
        self._write_fields(card)
        self._preview = _Preview(card.record, before, self._field_values(), cursors, modified)

    def drop_preview(self) -> None:
        """Put back the fields a card shown ahead of its photo changed and that still hold its values (its read
        failed, or the form is read — draft, save — before the read ended: a complete fill follows the outcome)."""
        preview, self._preview = self._preview, None
        if preview is None or not shiboken6.isValid(self.page):
            return
        ui = self.page.ui
        (id_type, number, name, nation, address), now = preview.before, self._field_values()
        with QSignalBlocker(ui.idTypeCombo), QSignalBlocker(ui.idNumberEdit):
            if now[0] == preview.written[0]:
                ui.idTypeCombo.setCurrentIndex(id_type)
            if now[1] == preview.written[1]:
                ui.idNumberEdit.setText(number)
        self.page.fields.show_id_number(ui.idNumberEdit.text())
        if now[2] == preview.written[2]:
            ui.nameEdit.setText(name)
        if now[3] == preview.written[3]:
            ui.nationCombo.setCurrentIndex(nation)
        if now[4] == preview.written[4]:
            ui.addressEdit.setText(address)
        for index, edit in enumerate(self._edits()):
            if now[index + 1 if index < 2 else 4] == preview.written[index + 1 if index < 2 else 4]:
                edit.setCursorPosition(preview.cursors[index])
                edit.setModified(preview.modified[index])

    def _edits(self) -> tuple[QLineEdit, QLineEdit, QLineEdit]:
        ui = self.page.ui
        return ui.idNumberEdit, ui.nameEdit, ui.addressEdit

    def _field_values(self) -> FieldValues:
        ui = self.page.ui
        return (
            ui.idTypeCombo.currentIndex(),
            ui.idNumberEdit.text(),
            ui.nameEdit.text(),
            ui.nationCombo.currentIndex(),
            ui.addressEdit.text(),
        )

    def _show_reader(self, state: CardFormState) -> None:
        """The quiet reader status: connected, or none found (never a message on the form)."""
        seen = (state.readers, "" if state.readers else state.status)  # the status matters with no reader only
        if seen == self._reader_seen:
            return
        self._reader_seen = seen
        from efangtong_desktop.cardreader import texts as card_texts

        if state.readers:
            status = card_texts.WATCH_READER.format(reader=state.readers[0])
        elif state.status == card_texts.SERVICE_UNAVAILABLE:
            status = card_texts.WATCH_NO_SERVICE
        else:
            status = card_texts.WATCH_NO_READER
        self._show_status(status)

    def _show_status(self, status: str) -> None:
        if status != self.reader_status and shiboken6.isValid(self.page):
            self.reader_status = status
            self.page.ui.readCardButton.setToolTip(status)

    def fill(self, card: CardFormData) -> None:
        """Put a whole card into the person's fields (never a part of one)."""
        self._write_fields(card)
        self._finish_fill(card)

    def _write_fields(self, card: CardFormData) -> None:
        page, ui = self.page, self.page.ui
        # The same card read again (F2 twice, a reader that finds a resting card anew): what the clerk typed over
        # its name or address since (a corrected address, say) stays; another person's card replaces everything.
        again = ui.idNumberEdit.text() == card.id_number
        nation = card.nation if card.nation.endswith("族") or not card.nation else card.nation + "族"
        page.fields.select_card_values(_id_type_of_card(card.record.card_type), nation or None)
        blocked = ui.idNumberEdit.blockSignals(True)  # its live check and lookups: once, after the fill
        ui.idNumberEdit.setText(card.id_number)
        ui.idNumberEdit.blockSignals(blocked)
        page.fields.show_card_id_number(card.id_number, card.sex, card.birth_date)
        if not (again and ui.nameEdit.isModified()):
            ui.nameEdit.setText(card.name)
        if not (again and ui.addressEdit.isModified()):
            ui.addressEdit.setText(card.address)

    def _finish_fill(self, card: CardFormData) -> None:
        """The fields hold the whole card: its photo and the message now; the draft and the focus right after (next
        in the event queue, before the paint), then the lookups once the fill is painted."""
        page, ui = self.page, self.page.ui
        self.show_photo(card)
        show_message(ui.messageLabel, texts.CARD_FILLED.format(name=card.name), ok=True)
        if self._after_paint is None:
            from efangtong_desktop.cardreader.qt import AfterPaintCalls  # loaded with the bridge

            self._after_paint = AfterPaintCalls(page)
        self._after_paint.post_soon(self._after_fill)
        # id_number_changed (repeat recognition, verification: lookups starting worker threads) once the fill is painted
        self._after_paint.post(lambda: page.id_number_typed(ui.idNumberEdit.text()))

    def show_photo(self, card: CardFormData | None) -> None:
        """Keep the card's photo for the petitioner and show it (None: no card, the empty frame)."""
        self.page.card_photo = card.photo if card is not None else None
        if card is None:
            self.photo.clear()
        else:
            self.photo.show(card.photo, card.photo_note, card.id_number)

    def photo_to_save(self) -> bytes | None:
        """The card's photo, when the form still holds that card's number (a number typed since is someone else)."""
        return self.photo.photo_for(self.page.card_photo, self.page.ui.idNumberEdit.text())

    def _after_fill(self) -> None:
        """What follows a fill at once: the draft is written when the clerk pauses, the cursor goes on."""
        if not shiboken6.isValid(self.page):
            return
        page, ui = self.page, self.page.ui
        page.form_edited()
        (ui.phonesEdit if not ui.phonesEdit.text() else ui.formCombo).setFocus()


def _reader_parts(settings: object, given: CardReaderBackend | None) -> ReaderParts:
    """The backend (the given one, else this PC's configured one) and the configured photo decoder."""
    from efangtong_desktop.cardreader.configured import configured_backend, configured_decoder
    from efangtong_desktop.settings import Settings, read_card_reader_config

    assert isinstance(settings, Settings)
    config = read_card_reader_config(settings)
    backend = given if given is not None else configured_backend(config)
    return backend, configured_decoder(config)


def _close_backend(backend: CardReaderBackend) -> None:
    """Release a backend the page made (PC/SC keeps a reading context; the SDKs a port)."""
    backend.stop()
    pcsc = sys.modules.get("efangtong_desktop.cardreader.pcsc")  # loaded when the backend is a PC/SC one
    if pcsc is not None and isinstance(backend, pcsc.PcscBackend):
        backend.close()


def _id_type_of_card(card_type: CardType) -> str:
    """The 登记 form's ID type (idTypeCombo value) of a card type."""
    return _id_types().get(card_type, "other")


@cache
def _id_types() -> dict[CardType, str]:
    from efangtong_core.idcard import CardType  # loaded by then: a card was read

    return {
        CardType.RESIDENT: "resident",
        CardType.HK_MO_TW_RESIDENCE: "hmt",
        CardType.FOREIGN_PERMANENT_OLD: "foreign",
        CardType.FOREIGN_PERMANENT_2023: "foreign",
    }
