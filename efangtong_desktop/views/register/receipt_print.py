"""Printing a petition's receipt (also a reprint from the case view or the search page): `print_receipt`.

The facts are read and the PDF made and saved off the GUI thread; then a print preview (window-modal, not blocking)
shows the same document for the printer. The PDF is kept under data_dir/receipts and as an attachment of the petition.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QMessageBox, QWidget

from efangtong_desktop.context import AppContext
from efangtong_desktop.services.blob_store import blob_store
from efangtong_desktop.services.device import device_identity
from efangtong_desktop.services.receipt import (
    ReceiptFacts,
    receipt_document,
    receipt_facts,
    render_receipt_pdf,
    save_receipt,
    tracking_base,
)
from efangtong_desktop.views.feedback import describe
from efangtong_desktop.views.register import texts

_OPEN_PREVIEWS: dict[int, tuple[QPrintPreviewDialog, QPrinter]] = {}


@dataclass(frozen=True)
class SavedReceipt:
    """A receipt made and saved: what it prints and where its PDF is."""

    facts: ReceiptFacts
    path: Path


def make_receipt(context: AppContext, petition_id: str) -> SavedReceipt:
    """Read the facts, render the PDF and save it (blocking: run it through context.tasks)."""
    settings = context.settings
    with context.session_factory() as session:
        facts = receipt_facts(session, petition_id, tracking_base(settings))
    pdf = render_receipt_pdf(facts)
    origin = device_identity(settings).id
    path = save_receipt(context.session_factory, blob_store(settings), settings.data_dir, facts, pdf, origin=origin)
    return SavedReceipt(facts, path)


def preview_receipt(facts: ReceiptFacts, parent: QWidget | None) -> QPrintPreviewDialog:
    """Open the print preview of a receipt (window-modal, returns at once) and return it."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setObjectName("receiptPreview")
    dialog.setWindowTitle(texts.PRINT_PREVIEW_TITLE)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def paint(target: QPrinter) -> None:
        document = receipt_document(facts)
        document.print_(target)

    dialog.paintRequested.connect(paint)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    # The dialog only points at the printer: keep both alive until the dialog is gone.
    key = id(dialog)
    _OPEN_PREVIEWS[key] = (dialog, printer)
    dialog.destroyed.connect(lambda _object=None, key=key: _OPEN_PREVIEWS.pop(key, None))
    dialog.open()
    return dialog


def print_receipt(
    context: AppContext,
    petition_id: str,
    parent: QWidget | None,
    *,
    on_done: Callable[[SavedReceipt], None] | None = None,
    on_error: Callable[[Exception], None] | None = None,
) -> None:
    """Make, save and preview the receipt of `petition_id` (a reprint for a saved case); results come back later."""

    def done(saved: SavedReceipt) -> None:
        preview_receipt(saved.facts, parent)
        if on_done is not None:
            on_done(saved)

    def failed(error: Exception) -> None:
        if on_error is not None:
            on_error(error)
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            texts.PRINT_PREVIEW_TITLE,
            texts.RECEIPT_FAILED.format(reason=describe(error)),
            parent=parent,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    context.tasks.run(lambda: make_receipt(context, petition_id), done, failed, owner=parent)
