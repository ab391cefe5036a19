"""Puts repeat recognition and the verification chip into the registration page through its public hooks.

The page (efangtong_desktop/views/register/page.py) offers `set_repeats_panel(widget)`, the `id_number_changed`
signal, `link_repeat_of(petition_id)` and `saved`; this module only uses those and the form's widgets by name, so the
registration code does not depend on repeat recognition. The chip sits in the ID number row; it verifies as soon as
a valid number and a name are on the form (a card read fills both), and once the registration is saved the outcome
is written on the saved petitioner (待核验 goes up with the next sync and the server's sweep answers it).
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import QObject, SignalInstance
from PySide6.QtWidgets import QWidget

from efangtong_desktop.context import AppContext
from efangtong_desktop.services.verification import store_status
from efangtong_desktop.views.repeats.chip import VerificationChip
from efangtong_desktop.views.repeats.panel import RepeatsPanel


class RegistrationPage(Protocol):
    """What this module needs of the registration page."""

    context: AppContext
    ui: Any
    id_number_changed: SignalInstance
    saved: SignalInstance

    def set_repeats_panel(self, widget: QWidget) -> None:
        """Put `widget` into the page's side area."""

    def link_repeat_of(self, petition_id: str | None) -> None:
        """Mark the petition being registered as a repeat of `petition_id`."""

    def id_number(self) -> str:
        """The valid normalised ID number on the form, or ""."""


class RepeatRecognition(QObject):
    """The panel and the chip of one registration page, wired to its form (a child of the page: same lifetime)."""

    def __init__(self, page: RegistrationPage) -> None:
        super().__init__(page if isinstance(page, QObject) else None)
        self.page = page
        ui = page.ui
        self.panel = RepeatsPanel(page.context)
        self.panel.set_link_handler(self._link)
        page.set_repeats_panel(self.panel)
        self.chip = VerificationChip(page.context)
        ui.idNumberRow.addWidget(self.chip)
        self._verified_pair: tuple[str, str] | None = None
        page.id_number_changed.connect(self._id_number_changed)
        ui.nameEdit.editingFinished.connect(self._maybe_verify)
        ui.contentEdit.textChanged.connect(self._content_changed)
        ui.titleEdit.textChanged.connect(self._content_changed)
        page.saved.connect(self._saved)

    def _link(self, petition_id: str | None) -> None:
        self.page.link_repeat_of(petition_id)

    def _id_number_changed(self, number: str) -> None:
        linked = self.panel.linked_id
        if linked is not None and getattr(self.page, "repeat_of_id", None) == linked:
            self.page.link_repeat_of(None)  # the link made for the previous person does not hold for another one
        self.panel.set_id_number(number)
        if not number:
            self._verified_pair = None
            self.chip.reset()
            return
        self._maybe_verify()

    def _maybe_verify(self) -> None:
        number, name = self.page.id_number(), self.page.ui.nameEdit.text().strip()
        if not number or not name or (name, number) == self._verified_pair:
            return
        self._verified_pair = (name, number)
        self.chip.verify(name, number)

    def _content_changed(self, *_args: object) -> None:
        ui = self.page.ui
        self.panel.set_content(ui.contentEdit.toPlainText(), ui.titleEdit.text())

    def _saved(self, _result: object) -> None:
        outcome, pair = self.chip.outcome, self._verified_pair
        if outcome is None or pair is None:
            return
        name, number = pair
        context = self.page.context

        def work() -> int:
            with context.session_factory() as session:
                changed = store_status(session, name=name, id_number=number, outcome=outcome)
                session.commit()
                return changed

        context.tasks.run(work, lambda _changed: None, lambda _error: None, owner=self.panel)


def install_repeat_recognition(page: RegistrationPage) -> RepeatRecognition:
    """Add the repeat panel and the verification chip to `page`."""
    return RepeatRecognition(page)
