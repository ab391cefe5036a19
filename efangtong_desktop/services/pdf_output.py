"""A4 PDFs of the counter's documents (receipts, written notices), made with Qt's QPdfWriter into memory."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from efangtong_core.vocabulary import BUREAU_NAME

RESOLUTION = 300


def a4_pdf(document: QTextDocument, *, title: str, margin_mm: float, layout_dpi: int | None = None) -> bytes:
    """`document` as an A4 portrait PDF; with `layout_dpi` it is laid out at that resolution and scaled to the page."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(title)
    writer.setCreator(BUREAU_NAME)
    writer.setResolution(RESOLUTION)
    margins = QMarginsF(margin_mm, margin_mm, margin_mm, margin_mm)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, margins))
    if layout_dpi is not None:
        page = writer.pageLayout().paintRectPixels(layout_dpi)
        document.setPageSize(QSizeF(page.width(), page.height()))
    document.print_(writer)
    del writer  # finishes the PDF
    buffer.close()
    return bytes(data.data())


def safe_file_part(text: str, fallback: str) -> str:
    """`text` with every character but letters, digits, - and _ replaced, for a file name on every file system."""
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in text) or fallback
