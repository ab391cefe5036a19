"""The 本机设置 tab of the 设置 page: the receipt QR code's tracking address, the scanner folder and the ID card
reader (backend, vendor library, port, WLT photo decoder library) of this PC.

Open to the clerk (登记员) and the administrator; the values live in this PC's settings file only
(`services.local_settings`), checked as they are typed and again on 保存, which stores nothing while any is wrong.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFileDialog, QLineEdit, QWidget

from efangtong_core.vocabulary import Role
from efangtong_desktop.context import AppContext
from efangtong_desktop.forms.ui_local_settings_tab import Ui_LocalSettingsTab
from efangtong_desktop.services.local_settings import (
    LocalSettingsInvalid,
    card_reader_problems,
    default_tracking_base,
    read_local_settings,
    save_local_settings,
    scanner_folder_problem,
    tracking_base_problem,
)
from efangtong_desktop.services.receipt import tracking_url
from efangtong_desktop.settings import CARD_BACKENDS, CardReaderConfig
from efangtong_desktop.views.feedback import restyle, show_message
from efangtong_desktop.views.settings import texts

_CARD_FIELDS = {"photo_decoder": "decoderEdit", "sdk_library": "sdkLibraryEdit", "card_port": "cardPortSpin"}
"""The card reader problems' keys → the tab's widgets."""


def may_set_local_settings(context: AppContext) -> bool:
    """True when the signed-in user is a clerk or an administrator (online or offline)."""
    user = context.signed_in
    return user is not None and (user.has_role(Role.CLERK) or user.has_role(Role.ADMIN))


class LocalSettingsTab(QWidget):
    """Shows, checks and stores this PC's tracking address and scanner folder."""

    title = texts.TAB_TITLE

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.ui = Ui_LocalSettingsTab()
        self.ui.setupUi(self)
        self._photo_function = "unpack"
        ui = self.ui
        ui.trackingEdit.setPlaceholderText(texts.TRACKING_PLACEHOLDER.format(base=self.default_base))
        ui.trackingEdit.textChanged.connect(lambda _text: self._check_tracking())
        ui.scannerEdit.editingFinished.connect(self._check_scanner)
        ui.browseButton.clicked.connect(self.browse_scanner_folder)
        for backend in CARD_BACKENDS:
            ui.cardBackendCombo.addItem(texts.CARD_BACKEND_LABELS[backend], backend)
        ui.cardBackendCombo.currentIndexChanged.connect(lambda _index: self._card_backend_changed())
        ui.decoderEdit.editingFinished.connect(self._check_card_reader)
        ui.sdkLibraryEdit.editingFinished.connect(self._check_card_reader)
        ui.decoderBrowseButton.clicked.connect(lambda: self._browse_library(ui.decoderEdit, texts.DECODER_PICK_TITLE))
        ui.sdkBrowseButton.clicked.connect(lambda: self._browse_library(ui.sdkLibraryEdit, texts.SDK_PICK_TITLE))
        ui.saveButton.clicked.connect(self.save)
        ui.resetButton.clicked.connect(self.reset)
        shortcut = QShortcut(QKeySequence("Ctrl+S"), self)
        shortcut.activated.connect(self.save)
        self.load()

    @property
    def default_base(self) -> str:
        """The address used while the tracking address is left empty."""
        return default_tracking_base(self.context.settings)

    def load(self) -> None:
        """Show the stored settings."""
        stored = read_local_settings(self.context.settings)
        self.ui.trackingEdit.setText(stored.tracking_base)
        self.ui.scannerEdit.setText(str(stored.scanner_folder) if stored.scanner_folder else "")
        self._mark("scannerEdit", None)
        card = stored.card_reader
        self.ui.cardBackendCombo.setCurrentIndex(max(0, self.ui.cardBackendCombo.findData(card.backend)))
        self.ui.sdkLibraryEdit.setText(str(card.sdk_library) if card.sdk_library else "")
        self.ui.cardPortSpin.setValue(card.port)
        self.ui.decoderEdit.setText(str(card.photo_decoder) if card.photo_decoder else "")
        self._photo_function = card.photo_function
        for name in _CARD_FIELDS.values():
            self._mark(name, None)
        self._card_backend_changed()
        self._check_tracking()

    def reset(self) -> None:
        """Drop unsaved edits and show what is stored."""
        self.load()
        show_message(self.ui.messageLabel, texts.RESTORED, ok=True)

    def browse_scanner_folder(self) -> None:
        """Pick the scanner folder with the system's folder dialog."""
        chosen = QFileDialog.getExistingDirectory(self, texts.SCANNER_PICK_TITLE, self.ui.scannerEdit.text().strip())
        if chosen:
            self.ui.scannerEdit.setText(chosen)
            self._check_scanner()

    def save(self) -> None:
        """Check both fields and store them; nothing is stored while either is wrong."""
        ui = self.ui
        try:
            save_local_settings(
                self.context.settings,
                tracking_base=ui.trackingEdit.text(),
                scanner_folder=ui.scannerEdit.text(),
                card_reader=self.card_reader_config(),
            )
        except LocalSettingsInvalid as invalid:
            fields = {"tracking_base": "trackingEdit", "scanner_folder": "scannerEdit", **_CARD_FIELDS}
            for key, name in fields.items():
                self._mark(name, invalid.problems.get(key))
            first_key = next(iter(invalid.problems))
            show_message(ui.messageLabel, texts.NOT_SAVED.format(first=invalid.problems[first_key]))
            getattr(ui, fields[first_key]).setFocus()
            return
        self.load()
        show_message(ui.messageLabel, texts.SAVED, ok=True)

    def card_reader_config(self) -> CardReaderConfig:
        """The card reader configuration as typed on the tab."""
        ui = self.ui
        decoder, library = ui.decoderEdit.text().strip(), ui.sdkLibraryEdit.text().strip()
        return CardReaderConfig(
            backend=str(ui.cardBackendCombo.currentData() or "pcsc"),
            sdk_library=Path(library).expanduser() if library else None,
            port=ui.cardPortSpin.value(),
            photo_decoder=Path(decoder).expanduser() if decoder else None,
            photo_function=self._photo_function,
        )

    def _card_backend_changed(self) -> None:
        vendor = self.ui.cardBackendCombo.currentData() != "pcsc"
        for widget in (self.ui.sdkLibraryEdit, self.ui.sdkBrowseButton, self.ui.cardPortSpin):
            widget.setEnabled(vendor)

    def _browse_library(self, edit: QLineEdit, title: str) -> None:
        start = str(Path(edit.text().strip()).parent) if edit.text().strip() else ""
        chosen, _filter = QFileDialog.getOpenFileName(self, title, start, texts.LIBRARY_FILTER)
        if chosen:
            edit.setText(chosen)
            self._check_card_reader()

    def _check_card_reader(self) -> None:
        problems = card_reader_problems(self.card_reader_config())
        if self.ui.cardBackendCombo.currentData() != "pcsc" and not self.ui.sdkLibraryEdit.text().strip():
            problems.pop("sdk_library", None)  # not typed yet: said on 保存
        for key, name in _CARD_FIELDS.items():
            self._mark(name, problems.get(key))
        if problems:
            show_message(self.ui.messageLabel, next(iter(problems.values())))

    def _check_tracking(self) -> None:
        typed = self.ui.trackingEdit.text()
        problem = tracking_base_problem(typed)
        self._mark("trackingEdit", problem)
        hint = self.ui.trackingHint
        if problem is not None:
            show_message(hint, problem)
            return
        base = typed.strip().rstrip("/") or self.default_base
        hint.setText(texts.TRACKING_EXAMPLE.format(url=tracking_url(base, texts.EXAMPLE_CODE)))
        hint.setProperty("role", "fieldHint")
        restyle(hint)

    def _check_scanner(self) -> None:
        problem = scanner_folder_problem(self.ui.scannerEdit.text())
        self._mark("scannerEdit", problem)
        if problem is not None:
            show_message(self.ui.messageLabel, problem)

    def _mark(self, name: str, problem: str | None) -> None:
        widget = getattr(self.ui, name)
        if bool(widget.property("invalid")) != (problem is not None):
            widget.setProperty("invalid", problem is not None)
            restyle(widget)
        widget.setToolTip(problem or "")
