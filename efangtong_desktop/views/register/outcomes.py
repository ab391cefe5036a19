"""What the 登记 page shows when a save, a correction or a receipt ends, and when a registration is opened again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from efangtong_desktop.services.registration_form import RegistrationInvalid
from efangtong_desktop.views.feedback import describe, show_message
from efangtong_desktop.views.register import texts

if TYPE_CHECKING:  # the data layer's types: the page is shown before it is loaded
    from efangtong_desktop.services.registration import RegistrationResult
    from efangtong_desktop.services.registration_edit import StoredRegistration
    from efangtong_desktop.views.register.controller import Corrected
    from efangtong_desktop.views.register.page import RegisterPage
    from efangtong_desktop.views.register.receipt_print import SavedReceipt


class SaveOutcomes:
    """Shows one page's save, correction and receipt outcomes in its labels and fields."""

    def __init__(self, page: RegisterPage) -> None:
        self.page = page
        self.ui = page.ui
        self.fields = page.fields
        self.unsaved_correction: dict[str, object] | None = None
        """A correction typed before a crash, put back over the saved registration once it is loaded."""

    def show_problems(self, problems: dict[str, str]) -> None:
        """Say how many fields need fixing and put the cursor in the first."""
        first = next(iter(problems.values()))
        show_message(self.ui.messageLabel, texts.FIX_PROBLEMS.format(count=len(problems), first=first))
        widget = self.fields.first_problem_widget(problems)
        if widget is not None:
            widget.setFocus()

    def saved(self, result: RegistrationResult) -> None:
        """A new registration was saved (or found saved before under the same token)."""
        self.ui.saveButton.setEnabled(True)
        self.fields.attachments = []
        self.fields.show_attachments()
        number = texts.PROVISIONAL.format(number=result.provisional_number)
        show_message(self.ui.resultLabel, f"查询码 {result.query_code}", ok=True)
        message = texts.SAVED if result.created else texts.SAVED_AGAIN
        show_message(self.ui.messageLabel, message.format(code=result.query_code, number=number), ok=True)
        self.page.saved.emit(result)

    def corrected(self, outcome: Corrected) -> None:
        """A correction was saved."""
        self.ui.saveButton.setEnabled(True)
        self.fields.attachments = []
        self.fields.show_attachments()
        show_message(self.ui.messageLabel, texts.CORRECTED.format(count=len(outcome.changes)), ok=True)

    def failed(self, error: Exception) -> None:
        """The save was refused (field problems marked) or failed (the reason shown); the form is kept."""
        self.ui.saveButton.setEnabled(True)
        if isinstance(error, RegistrationInvalid):
            self.fields.mark_problems(error.problems)
            if error.problems.keys() <= {"petition", "unit"}:
                show_message(self.ui.messageLabel, next(iter(error.problems.values())))
            else:
                self.show_problems(error.problems)
            return
        show_message(self.ui.messageLabel, texts.SAVE_FAILED.format(reason=describe(error)))

    def loaded_for_correction(self, stored: StoredRegistration | Exception) -> None:
        """Show a saved registration for correction (with a correction typed before a crash put back over it)."""
        if isinstance(stored, Exception):
            show_message(self.ui.messageLabel, describe(stored))
            return
        page = self.page
        with page.restoring():
            self.fields.set_input(stored.data)
            unsaved, self.unsaved_correction = self.unsaved_correction, None
            if unsaved is not None:
                self.fields.set_form_values(unsaved)
        page.repeat_of_id = stored.data.repeat_of_id
        page.id_number_typed(self.ui.idNumberEdit.text())
        number = stored.case_number or stored.provisional_number or stored.query_code
        show_message(self.ui.resultLabel, f"查询码 {stored.query_code}", ok=True)
        message = texts.CORRECTION_RESTORED if unsaved is not None else texts.EDITING
        show_message(self.ui.messageLabel, message.format(number=number), ok=True)

    def receipt_done(self, saved: SavedReceipt) -> None:
        """The receipt was made and saved."""
        show_message(self.ui.messageLabel, texts.RECEIPT_SAVED.format(path=saved.path), ok=True)

    def receipt_failed(self, error: Exception) -> None:
        """The receipt could not be made."""
        show_message(self.ui.messageLabel, texts.RECEIPT_FAILED.format(reason=describe(error)))
