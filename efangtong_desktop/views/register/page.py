"""The 登记 page: the registration form of `ui/register_page.ui`, keyboard first.

Tab order is the form's; Enter moves to the next field (except in the content box, where Tab does); Ctrl+S saves,
Ctrl+P prints the receipt, F2 reads the ID card. A card read fills the person's fields; a failed read changes
nothing. The side area `repeatsArea` belongs to repeat recognition: it calls `set_repeats_panel(widget)`, listens to
`id_number_changed` and links the new petition to an earlier one with `link_repeat_of(petition_id)`.

Start-up: the form is pure Qt and is shown before the data layer exists. Once it has been painted (at once when the
context's replica is already open) a worker opens the replica, imports the services and reads the lists; then the
controller is made, the lists filled and the draft restored (`choices_loaded`). Typing meanwhile is kept; save,
print, card read, 新登记 and opening a correction wait for the data and then run (the message line says so).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QWidget

from efangtong_desktop.context import AppContext
from efangtong_desktop.forms.ui_main_window import Ui_MainWindow
from efangtong_desktop.forms.ui_register_page import Ui_RegisterPage
from efangtong_desktop.services.registration_form import validate_registration
from efangtong_desktop.views.feedback import describe, restyle, show_message
from efangtong_desktop.views.first_paint import FirstPaintWatch
from efangtong_desktop.views.register import texts
from efangtong_desktop.views.register.actions import FormActions
from efangtong_desktop.views.register.card_fill import CardFiller
from efangtong_desktop.views.register.fields import FormFields
from efangtong_desktop.views.register.keyboard import EnterMovesOn, add_shortcuts
from efangtong_desktop.views.register.outcomes import SaveOutcomes

if TYPE_CHECKING:  # the data layer (SQLAlchemy, services) loads after the first paint, the card side once it is in
    from efangtong_desktop.cardreader.base import CardReaderBackend
    from efangtong_desktop.cardreader.qt import CardReaderBridge
    from efangtong_desktop.services.registration_choices import RegistrationChoices
    from efangtong_desktop.views.register.controller import RegistrationController

TYPED_KEYS = ("id_number", "name", "phones", "address", "title", "content", "representatives", "attachments")
"""The form values the clerk types, reads or attaches (what makes a form worth keeping)."""


class RegisterPage(QWidget):
    """The registration form with its draft, card reading, saving, receipts and corrections."""

    id_number_changed = Signal(str)
    """A valid normalised ID number once typed or read; "" when the number is cleared or becomes invalid."""
    saved = Signal(object)
    """RegistrationResult after a new registration."""
    choices_loaded = Signal(object)
    """RegistrationChoices once the data layer is in and the lists filled, or the Exception when it failed."""

    def __init__(
        self, context: AppContext, parent: QWidget | None = None, *, card_backend: CardReaderBackend | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.ui = Ui_RegisterPage()
        self.ui.setupUi(self)
        self.fields = FormFields(self.ui)
        self._controller: RegistrationController | None = None
        self.data_ready = False
        """True once the controller is made and the lists are in (actions no longer wait)."""
        self._waiting: list[Callable[[], None]] = []
        self._edited_before_data = False
        self.with_repeat_recognition = False
        """Set by `install_on_register_page`: the repeat panel and chip are added when the data is in."""
        self.repeat_of_id: str | None = None
        self.card_photo: bytes | None = None
        self.repeats_panel: QWidget | None = None
        self._last_id = ""
        self._restoring = False
        self.cards = CardFiller(self, card_backend)
        self.outcomes = SaveOutcomes(self)
        self.form_actions = FormActions(self, self.fields, self.form_edited)
        self._connect()
        add_shortcuts(self, save=self.save, print_=self.print_receipt, read_card=self.read_card)
        self.enter_moves_on = EnterMovesOn(self, self.ui)
        self.ui.resultLabel.setText(texts.NOT_SAVED)  # its role in the form is fieldHint
        self.id_number_typed("")
        self.ui.messageLabel.setText(texts.LOADING)
        # Before the form's first polish, which reads it: no re-polish (`style()` from Python: ~10 ms of enums).
        self.ui.messageLabel.setProperty("role", "formOk")
        if context.replica_open:
            self._load_data()
        else:  # paint first: the data layer's imports and the replica come after
            self._first_paint = FirstPaintWatch(self)
            self._first_paint.add(self._load_data)

    # -- the data layer ---------------------------------------------------------------------------------------------

    @property
    def controller(self) -> RegistrationController:
        """The page's logic (token, draft, saving); made when the data layer is in, or now when asked for first."""
        if self._controller is None:
            from efangtong_desktop.views.register.controller import RegistrationController

            controller = RegistrationController(self.context, self)
            controller.watch(self.draft_values, self.has_content)
            controller.choices_loaded.connect(self._choices_loaded)
            controller.saved.connect(self.outcomes.saved)
            controller.corrected.connect(self.outcomes.corrected)
            controller.save_failed.connect(self.outcomes.failed)
            controller.loaded_for_correction.connect(self.outcomes.loaded_for_correction)
            self._controller = controller
        return self._controller

    def _load_data(self) -> None:
        """Open the replica, import the services and read the lists in a worker; `_data_loaded` follows."""
        context = self.context

        def work() -> RegistrationChoices:
            context.open_replica()
            from efangtong_desktop.services.registration_choices import load_choices  # Qt-free imports only here

            with context.session_factory() as session:
                return load_choices(session)

        context.tasks.run(work, self._data_loaded, self._data_failed, owner=self)

    def _data_loaded(self, choices: RegistrationChoices) -> None:
        if self.with_repeat_recognition:
            from efangtong_desktop.views.repeats.install import install_repeat_recognition

            install_repeat_recognition(self)
            if self._last_id:
                self.id_number_changed.emit(self._last_id)  # typed before the panel was there
        self.controller.choices_loaded.emit(choices)

    def _data_failed(self, error: Exception) -> None:
        show_message(self.ui.messageLabel, texts.LOAD_FAILED.format(reason=describe(error)))
        self.choices_loaded.emit(error)

    def when_data_ready(self, action: Callable[[], None]) -> bool:
        """Run `action` now when the data is in (True), else once it is, once per action (False, "正在加载" shown)."""
        if self.data_ready:
            return True
        if action not in self._waiting:
            self._waiting.append(action)
        show_message(self.ui.messageLabel, texts.WAITING_FOR_DATA, ok=True)
        return False

    # -- public hooks (repeat recognition, case view) ---------------------------------------------------------------

    def set_repeats_panel(self, widget: QWidget) -> None:
        """Put a panel (repeat recognition) into the side area, replacing what was there."""
        layout = self.ui.repeatsLayout
        while layout.count():
            item = layout.takeAt(0)
            old = item.widget() if item is not None else None
            if old is not None:
                old.hide()
                old.setParent(None)
        layout.addWidget(widget)
        self.repeats_panel = widget

    def link_repeat_of(self, petition_id: str | None) -> None:
        """Register the new petition as a repeat (重复信访) of `petition_id` (None: not a repeat)."""
        self.repeat_of_id = petition_id
        show_message(self.ui.messageLabel, texts.REPEAT_LINKED if petition_id else texts.REPEAT_UNLINKED, ok=True)
        self.form_edited()

    def id_number(self) -> str:
        """The valid normalised ID number on the form, "" when there is none."""
        return self._last_id

    def edit_registration(self, petition_id: str) -> None:
        """Open a saved registration for correction (allowed while it is 待分办)."""
        if not self.when_data_ready(lambda: self.edit_registration(petition_id)):
            return
        self.controller.open_for_correction(petition_id)

    # -- wiring -----------------------------------------------------------------------------------------------------

    def _connect(self) -> None:
        ui = self.ui
        ui.idNumberEdit.textChanged.connect(self.id_number_typed)
        ui.idTypeCombo.currentIndexChanged.connect(lambda _index: self.id_number_typed(ui.idNumberEdit.text()))
        ui.categoryCombo.currentIndexChanged.connect(lambda _index: self.fields.refresh_subcategories())
        ui.saveButton.clicked.connect(self.save)
        ui.printButton.clicked.connect(self.print_receipt)
        ui.newButton.clicked.connect(self.new_registration)
        ui.readCardButton.clicked.connect(self.read_card)
        ui.addRepresentativeButton.clicked.connect(self.form_actions.add_representative)
        ui.removeRepresentativeButton.clicked.connect(self.form_actions.remove_representative)
        ui.addFileButton.clicked.connect(self.form_actions.pick_files)
        ui.scannerButton.clicked.connect(self.form_actions.take_scans)
        ui.removeAttachmentButton.clicked.connect(self.form_actions.remove_attachment)
        for edit in (ui.idNumberEdit, ui.nameEdit, ui.phonesEdit, ui.addressEdit, ui.titleEdit):
            edit.textEdited.connect(self.form_edited)
        combos = (ui.idTypeCombo, ui.nationCombo, ui.formCombo, ui.purposeCombo, ui.subcategoryCombo, ui.townCombo)
        for combo in (*combos, ui.agentCombo, ui.categoryCombo):
            combo.activated.connect(self.form_edited)
        ui.headCountSpin.valueChanged.connect(self.form_edited)
        ui.contentEdit.textChanged.connect(self.form_edited)
        ui.representativesTable.itemChanged.connect(self.form_edited)

    # -- loading and drafts -----------------------------------------------------------------------------------------

    def _choices_loaded(self, choices: RegistrationChoices | Exception) -> None:
        if isinstance(choices, Exception):
            show_message(self.ui.messageLabel, texts.LOAD_FAILED.format(reason=describe(choices)))
            self.choices_loaded.emit(choices)
            return
        first_load, self.data_ready = not self.data_ready, True
        self.fields.set_choices(choices)
        typed = self._typed_before_data() if first_load else {}
        draft = self.controller.restore_draft() if first_load else None
        if draft is not None:
            with self.restoring():  # what was typed while loading wins over the earlier run's draft
                self.fields.set_form_values({**draft.values, **typed})
            self.repeat_of_id = draft.values.get("repeat_of") or None
            self.id_number_typed(self.ui.idNumberEdit.text())
            when = draft.saved_at.astimezone().strftime("%H:%M")
            show_message(self.ui.messageLabel, texts.DRAFT_RESTORED.format(time=when), ok=True)
        elif typed:
            show_message(self.ui.messageLabel, texts.LOADED_KEPT_TYPING, ok=True)
        elif first_load and (correction := self.controller.pending_correction()) is not None:
            self.outcomes.unsaved_correction = (
                correction.values
            )  # put back over the saved registration once it is loaded
            self.controller.open_for_correction(correction.token)
        else:
            show_message(self.ui.messageLabel, texts.NEW_FORM, ok=True)
        if typed or (draft is not None and self._edited_before_data):
            self.controller.form_edited()  # the draft now holds what was typed while loading
        self.choices_loaded.emit(choices)
        waiting, self._waiting = self._waiting, []
        for action in waiting:
            action()

    def _typed_before_data(self) -> dict[str, object]:
        """The typed values (non-empty) the clerk entered before the data layer was in."""
        if not self._edited_before_data:
            return {}
        values = self.fields.form_values()
        return {key: values[key] for key in TYPED_KEYS if values[key]}

    def form_edited(self, *_args: object) -> None:
        """Something on the form changed: the draft is written when the clerk pauses (not while restoring one)."""
        if self._restoring:
            return
        if self._controller is None:
            self._edited_before_data = True  # written once the data layer (and the earlier draft) is in
            return
        self.controller.form_edited()

    def draft_values(self) -> dict[str, object]:
        """The form's values as the draft keeps them (never a card still being read: its fields are put back)."""
        self.cards.drop_preview()
        return {**self.fields.form_values(), "repeat_of": self.repeat_of_id}

    def has_content(self) -> bool:
        """True once anything worth keeping was typed, read or attached (a card still being read is not)."""
        self.cards.drop_preview()
        values = self.fields.form_values()
        return any(values[key] for key in TYPED_KEYS)

    def new_registration(self) -> None:
        """Clear the form and the draft for the next petitioner."""
        if not self.when_data_ready(self.new_registration):
            return
        self.controller.start_new()
        with self.restoring():
            self.fields.set_form_values({})
        self.repeat_of_id = None
        self.cards.show_photo(None)
        self._show_not_saved()
        self.fields.mark_problems({})
        self.id_number_typed("")
        show_message(self.ui.messageLabel, texts.NEW_FORM, ok=True)
        self.ui.idNumberEdit.setFocus()

    def _show_not_saved(self) -> None:
        label = self.ui.resultLabel
        label.setText(texts.NOT_SAVED)
        label.setProperty("role", "fieldHint")
        restyle(label)

    def hideEvent(self, event: QHideEvent) -> None:
        """Write a pending draft at once when the page is left."""
        if self._controller is not None:
            self._controller.write_draft()
        elif self._edited_before_data:  # closed before the data layer was in: what was typed is kept all the same
            from efangtong_desktop.services.drafts import keep_typing_before_load  # (not needed for the first paint)

            keep_typing_before_load(self.context.settings.data_dir, self.draft_values())
        super().hideEvent(event)

    # -- ID number --------------------------------------------------------------------------------------------------

    @contextmanager
    def restoring(self) -> Iterator[None]:
        """Fill the form from saved values without counting it as the clerk's edit."""
        self._restoring = True
        try:
            yield
        finally:
            self._restoring = False

    def id_number_typed(self, text: str) -> None:
        """Check the ID number as typed and tell the listeners of a new valid one."""
        number = self.fields.show_id_number(text)
        if number != self._last_id:
            self._last_id = number
            self.id_number_changed.emit(number)

    # -- ID card ----------------------------------------------------------------------------------------------------

    @property
    def card_bridge(self) -> CardReaderBridge | None:
        """The bridge the form listens to; None until the reader is watched (once the data is in) or one is attached."""
        return self.cards.bridge

    def attach_card_reader(self, bridge: CardReaderBridge) -> None:
        """Fill the form from the cards `bridge` reports (inserted cards and F2 reads)."""
        self.cards.attach(bridge)

    def read_card(self) -> None:
        """Read the card on the reader now (F2); the reader is also watched from the start (a card put on it fills)."""
        if not self.when_data_ready(self.read_card):
            return
        self.cards.read_now()

    # -- attachments (the buttons' logic is in FormActions) -------------------------------------------------------

    def scanner_folder(self) -> Path | None:
        """The configured scanner folder of this PC, None when not set."""
        return self.form_actions.scanner_folder()

    def set_scanner_folder(self, folder: Path) -> None:
        """Remember the folder the scanner saves its files into."""
        self.form_actions.set_scanner_folder(folder)

    def take_scans(self) -> None:
        """Attach the newest file of the scanner folder not attached yet (asks for the folder the first time)."""
        self.form_actions.take_scans()

    # -- saving -----------------------------------------------------------------------------------------------------

    def save(self) -> None:
        """Check the form and save it (a correction once saved); a second press while saving does nothing.

        Before the data layer is in, the save waits for it (once, however often it is asked for) and then runs.
        """
        if not self.when_data_ready(self.save):
            return
        if self.controller.saving:
            return
        self.cards.drop_preview()  # a card still being read is not saved (its complete fill follows)
        data = self.fields.registration_input(card_photo=self.cards.photo_to_save(), repeat_of_id=self.repeat_of_id)
        problems = validate_registration(data)
        self.fields.mark_problems(problems)
        if problems:
            self.outcomes.show_problems(problems)
            return
        registrar = self.controller.registrar()
        if registrar is None:
            self.controller.write_draft()
            show_message(self.ui.messageLabel, texts.NOT_SIGNED_IN)
            return
        if not self.controller.may_register():
            self.controller.write_draft()
            show_message(self.ui.messageLabel, texts.NOT_A_CLERK)
            return
        self.controller.save(data, registrar)
        self.ui.saveButton.setEnabled(False)
        show_message(self.ui.messageLabel, texts.SAVING, ok=True)

    # -- receipt ----------------------------------------------------------------------------------------------------

    def print_receipt(self) -> None:
        """Make, save and preview the receipt of the registration on the form (after it was saved)."""
        petition_id = self.controller.petition_id if self.data_ready else None
        if petition_id is None:
            show_message(self.ui.messageLabel, texts.NOTHING_TO_PRINT)
            return
        from efangtong_desktop.views.register.receipt_print import print_receipt

        outcomes = self.outcomes
        print_receipt(self.context, petition_id, self, on_done=outcomes.receipt_done, on_error=outcomes.receipt_failed)


def install_on_register_page(
    context: AppContext, window_ui: Ui_MainWindow, *, card_backend: CardReaderBackend | None = None
) -> RegisterPage:
    """Replace the 登记 page's placeholder card with the registration form."""
    layout = window_ui.pageLayoutRegister
    window_ui.cardRegister.hide()
    layout.removeItem(window_ui.pageSpacerRegister)
    page = RegisterPage(context, window_ui.pageRegister, card_backend=card_backend)
    page.with_repeat_recognition = True  # installed with the data layer (its outcome arrives from the event loop)
    window_ui.subtitleRegister.setText(texts.PAGE_SUBTITLE)
    layout.addWidget(page, 1)
    return page
