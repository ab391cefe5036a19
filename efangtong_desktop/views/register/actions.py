"""The 登记 form's list buttons: group representatives, attachment files and the scanner folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog

from efangtong_desktop.views.feedback import show_message
from efangtong_desktop.views.register import texts
from efangtong_desktop.views.register.fields import FormFields

if TYPE_CHECKING:
    from efangtong_desktop.views.register.page import RegisterPage


class FormActions:
    """Adds and removes representatives and attachments on one registration page."""

    def __init__(self, page: RegisterPage, fields: FormFields, edited: Callable[[], None]) -> None:
        self.page = page
        self.fields = fields
        self.ui = fields.ui
        self.edited = edited

    def add_representative(self) -> None:
        """Add a row to the representatives table and start typing in it (at most 4 besides the petitioner)."""
        if not self.fields.add_representative_row():
            show_message(self.ui.messageLabel, texts.TOO_MANY_REPRESENTATIVES)
            return
        table = self.ui.representativesTable
        table.setCurrentCell(table.rowCount() - 1, 0)
        cell = table.item(table.rowCount() - 1, 0)
        if cell is not None:
            table.editItem(cell)

    def remove_representative(self) -> None:
        """Remove the selected representative row."""
        table = self.ui.representativesTable
        row = table.currentRow()
        if row >= 0:
            table.removeRow(row)
            self.edited()

    def add_attachments(self, paths: list[Path]) -> None:
        """Add files to the registration's attachments (each once)."""
        for path in paths:
            if path not in self.fields.attachments:
                self.fields.attachments.append(path)
        self.fields.show_attachments()
        self.edited()

    def pick_files(self) -> None:
        """Ask for files to attach."""
        names, _filter = QFileDialog.getOpenFileNames(self.page, texts.PICK_FILES_TITLE)
        self.add_attachments([Path(name) for name in names])

    def remove_attachment(self) -> None:
        """Remove the selected attachment from the list (nothing is deleted from disk)."""
        row = self.ui.attachmentsList.currentRow()
        if 0 <= row < len(self.fields.attachments):
            del self.fields.attachments[row]
            self.fields.show_attachments()
            self.edited()

    def scanner_folder(self) -> Path | None:
        """The configured scanner folder of this PC, None when not set."""
        from efangtong_desktop.services.local_settings import SCANNER_FOLDER_KEY

        stored = self.page.context.settings.qsettings().value(SCANNER_FOLDER_KEY)
        return Path(stored) if isinstance(stored, str) and stored else None

    def set_scanner_folder(self, folder: Path) -> None:
        """Remember the folder the scanner saves its files into."""
        from efangtong_desktop.services.local_settings import SCANNER_FOLDER_KEY

        store = self.page.context.settings.qsettings()
        store.setValue(SCANNER_FOLDER_KEY, str(folder))
        store.sync()

    def take_scans(self) -> None:
        """Attach the newest file of the scanner folder not attached yet (asks for the folder the first time)."""
        folder = self.scanner_folder()
        if folder is None:
            chosen = QFileDialog.getExistingDirectory(self.page, texts.SCANNER_FOLDER_TITLE)
            if not chosen:
                return
            folder = Path(chosen)
            self.set_scanner_folder(folder)
        picked = frozenset(path.resolve() for path in self.fields.attachments)
        from efangtong_desktop.services.registration_choices import newest_files

        newest = newest_files(folder, exclude=picked)
        if not newest:
            show_message(self.ui.messageLabel, texts.SCANNER_EMPTY.format(folder=folder))
            return
        self.add_attachments(newest)
