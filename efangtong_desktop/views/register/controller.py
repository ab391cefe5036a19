"""The registration page's logic: the form's token and draft, saving (once) off the GUI thread, corrections.

One token (a UUID) per registration in progress: it is the new petition's id, it is kept in the draft, and the
service treats a second save under it as the first — so a double click, a retry after an error, or a restart after a
crash between the commit and the draft's removal never registers the same petition twice. Every edit restarts a
300 ms timer; when it fires the form's values are written to the draft file atomically.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, QTimer, Signal

from efangtong_core.lifecycle import PetitionState
from efangtong_core.vocabulary import Role
from efangtong_desktop.context import AppContext
from efangtong_desktop.services.blob_store import blob_store
from efangtong_desktop.services.device import device_identity
from efangtong_desktop.services.drafts import Draft, DraftStore
from efangtong_desktop.services.registration import Registrar, RegistrationResult, register_petition
from efangtong_desktop.services.registration_choices import RegistrationChoices, load_choices
from efangtong_desktop.services.registration_edit import StoredRegistration, correct_registration, load_registration
from efangtong_desktop.services.registration_form import RegistrationInput
from efangtong_desktop.services.registration_writes import checkpoint_replica, is_warm, warm_up

DRAFT_DELAY_MS = 300


def _ignore(_outcome: object) -> None:
    """A failed warm-up or checkpoint costs time later (the first save loads the tables, the next commit
    checkpoints), nothing else."""


@dataclass(frozen=True)
class Corrected:
    """The outcome of saving a correction: the petition and the fields that changed."""

    petition_id: str
    changes: dict[str, object]


class RegistrationController(QObject):
    """Token, draft autosave and saving for one registration page."""

    choices_loaded = Signal(object)
    """RegistrationChoices, or an Exception when the replica could not be read."""
    saved = Signal(object)
    """RegistrationResult after a new registration (created False: it had been saved before)."""
    corrected = Signal(object)
    """Corrected after a correction."""
    save_failed = Signal(object)
    """The exception (RegistrationInvalid carries field problems)."""
    loaded_for_correction = Signal(object)
    """StoredRegistration of a petition opened for correction, or an Exception."""

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.drafts = DraftStore(context.settings.data_dir)
        self.correction_drafts = DraftStore(context.settings.data_dir, "correction")
        self._edited_since_saved = False
        self.token = str(uuid.uuid4())
        self.editing: StoredRegistration | None = None
        self.last_result: RegistrationResult | None = None
        self.saving = False
        self._values: Callable[[], dict[str, object]] | None = None
        self._has_content: Callable[[], bool] = lambda: True
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DRAFT_DELAY_MS)
        self._timer.timeout.connect(self.write_draft)

    # -- reference lists --------------------------------------------------------------------------------------------

    def load_choices(self) -> None:
        """Read the combos' lists from the replica off the GUI thread; choices_loaded follows."""
        factory = self.context.session_factory

        def work() -> RegistrationChoices:
            with factory() as session:
                return load_choices(session)

        self.context.tasks.run(work, self.choices_loaded.emit, self.choices_loaded.emit, owner=self)

    # -- drafts -----------------------------------------------------------------------------------------------------

    def watch(self, values: Callable[[], dict[str, object]], has_content: Callable[[], bool]) -> None:
        """Use `values` to read the form when the draft is written; an empty form (`has_content` False) has none."""
        self._values = values
        self._has_content = has_content

    def form_edited(self) -> None:
        """The clerk changed something: write the draft when they pause for DRAFT_DELAY_MS."""
        self._edited_since_saved = True
        self._timer.start()
        if not is_warm():  # the first keystroke, seconds before any save: load what the save needs meanwhile
            self.context.tasks.run(warm_up, _ignore, _ignore, owner=self)

    def write_draft(self) -> None:
        """Write the draft now (also on the page's hide and close); a correction has its own, keyed by petition."""
        self._timer.stop()
        if self._values is None:
            return
        store, token = self.drafts, self.token
        if self.editing is not None:
            if not self._edited_since_saved:
                return  # the form shows what is saved: nothing to keep
            store, token = self.correction_drafts, self.editing.petition_id
        if self._has_content():
            store.save(token, self._values())
        else:
            store.clear()

    def pending_correction(self) -> Draft | None:
        """A correction typed before a crash (its token is the petition's id), None when there is none."""
        return self.correction_drafts.load()

    def restore_draft(self) -> Draft | None:
        """The draft left by an earlier run, adopting its token (None when there is none)."""
        draft = self.drafts.load()
        if draft is not None:
            self.token = draft.token
        return draft

    def start_new(self) -> None:
        """Forget the current registration and draft; a new token for the next one."""
        self._timer.stop()
        self.drafts.clear()
        self.correction_drafts.clear()
        self.token = str(uuid.uuid4())
        self.editing = None
        self.last_result = None

    # -- saving -----------------------------------------------------------------------------------------------------

    def registrar(self) -> Registrar | None:
        """Who registers, or None when nobody is signed in (saving is refused then)."""
        user = self.context.signed_in
        if user is None:
            return None
        return Registrar(user.id, user.org_unit_id, device_identity(self.context.settings).id, Role.CLERK)

    def may_register(self) -> bool:
        """True when the signed-in user holds the 登记员 role (the lifecycle lets only the clerk register)."""
        user = self.context.signed_in
        return user is not None and user.has_role(Role.CLERK)

    def save(self, data: RegistrationInput, registrar: Registrar) -> bool:
        """Save off the GUI thread (a correction when editing); False when a save is already under way."""
        if self.saving:
            return False
        if self._timer.isActive():  # keystrokes the draft does not hold yet, in case the save fails or the power goes
            self.write_draft()
        self.saving = True
        factory, store = self.context.session_factory, blob_store(self.context.settings)
        if self.editing is not None:
            petition_id = self.editing.petition_id

            def correct() -> Corrected:
                changes = correct_registration(factory, petition_id, data, registrar, store=store)
                return Corrected(petition_id, changes)

            self.context.tasks.run(correct, self._corrected, self._failed, owner=self)
            return True
        token = self.token

        def register() -> RegistrationResult:
            return register_petition(factory, data, registrar, store=store, petition_id=token)

        self.context.tasks.run(register, lambda result: self._registered(result, data), self._failed, owner=self)
        return True

    def _checkpoint(self) -> None:
        engine = self.context.engine
        self.context.tasks.run(lambda: checkpoint_replica(engine), _ignore, _ignore, owner=self)

    def _registered(self, result: RegistrationResult, data: RegistrationInput) -> None:
        self._checkpoint()
        self.saving = False
        self._edited_since_saved = False
        self.drafts.clear()
        self.last_result = result
        # From now on the form shows the saved registration: saving again corrects it (while still 待分办).
        self.editing = StoredRegistration(
            petition_id=result.petition_id,
            data=replace(data, attachments=(), card_photo=None),
            state=PetitionState.REGISTERED.value,
            query_code=result.query_code,
            case_number=None,
            provisional_number=result.provisional_number,
            registered_at=result.registered_at,
        )
        self.saved.emit(result)

    def _corrected(self, outcome: Corrected) -> None:
        self._checkpoint()
        self.saving = False
        self._edited_since_saved = False
        self.correction_drafts.clear()
        self.corrected.emit(outcome)

    def _failed(self, error: Exception) -> None:
        self.saving = False
        self.save_failed.emit(error)

    # -- corrections ------------------------------------------------------------------------------------------------

    def open_for_correction(self, petition_id: str) -> None:
        """Load a saved registration off the GUI thread; loaded_for_correction follows."""
        factory = self.context.session_factory

        def work() -> StoredRegistration:
            with factory() as session:
                return load_registration(session, petition_id)

        def loaded(stored: StoredRegistration) -> None:
            self._timer.stop()
            self.editing = stored
            self._edited_since_saved = False
            self.loaded_for_correction.emit(stored)

        self.context.tasks.run(work, loaded, self.loaded_for_correction.emit, owner=self)

    @property
    def petition_id(self) -> str | None:
        """The petition on the form once saved (or opened for correction), for the receipt."""
        if self.editing is not None:
            return self.editing.petition_id
        return self.last_result.petition_id if self.last_result is not None else None
