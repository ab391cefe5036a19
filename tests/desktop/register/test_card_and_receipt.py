"""A card on the reader fills the 登记 form (a failed read changes nothing); receipts are made, saved and reprinted."""

from __future__ import annotations

import shutil
import subprocess
import threading
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QImage, QPainter, QTextDocument
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from efangtong_core.models import Attachment
from efangtong_desktop.cardreader.base import (
    CardRead,
    CardReadError,
    CardRemoved,
    ErrorKind,
    EventSink,
    RecordRead,
)
from efangtong_desktop.cardreader.qt import CardReaderBridge
from efangtong_desktop.cardreader.service import CardReadingService
from efangtong_desktop.context import AppContext
from efangtong_desktop.services.blob_store import blob_store
from efangtong_desktop.services.receipt import (
    QR_RESOURCE,
    mask_name,
    receipt_document,
    receipt_facts,
    render_receipt_pdf,
    set_tracking_base,
    tracking_base,
)
from efangtong_desktop.services.registration import register_petition
from efangtong_desktop.views.register.page import RegisterPage
from efangtong_desktop.views.register.receipt_print import print_receipt
from tests.desktop.cardreader.cards import RESIDENT
from tests.desktop.register.reference import Reference, sample_input
from tests.support.components import component_unavailable, in_ci


class FakeReader:
    """A card reader backend that hands out one prepared card (or error), on demand or as if a card was put on it."""

    def __init__(self, card: CardRead | None = None, error: CardReadError | None = None) -> None:
        self.card, self.error = card, error
        self.sink: EventSink | None = None

    def readers(self) -> list[str]:
        return ["测试读卡器"]

    def read(self, reader: str | None = None) -> CardRead:
        if self.error is not None:
            raise self.error
        assert self.card is not None
        return self.card

    def start(self, sink: EventSink) -> None:
        self.sink = sink

    def stop(self) -> None:
        self.sink = None


def test_f2_reads_the_card_into_the_form(context: AppContext, reference: Reference, qtbot: QtBot) -> None:
    reader = FakeReader(CardRead(RESIDENT, "测试读卡器", photo_image=b"\x89PNG"))
    page = RegisterPage(context, card_backend=reader)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.fields.choices is not None)
    page.ui.phonesEdit.setFocus()
    qtbot.keyClick(page.ui.phonesEdit, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: page.ui.nameEdit.text() == "巴特尔", timeout=3000)
    assert page.ui.idNumberEdit.text() == RESIDENT.id_number
    assert page.ui.nationCombo.currentText() == "蒙古族" and page.ui.addressEdit.text() == RESIDENT.address
    assert "男" in page.ui.sexValue.text() and "1985-03-07" in page.ui.birthDateValue.text()
    assert page.card_photo == b"\x89PNG"
    assert reader.sink is not None, "after a good read the reader is watched: the next card fills the form itself"
    context.tasks.wait_for_workers()


def test_an_inserted_card_fills_the_form_and_a_pulled_card_leaves_it_as_it_was(
    page: RegisterPage, qtbot: QtBot, context: AppContext
) -> None:
    reader = FakeReader()
    bridge = CardReaderBridge(reader, CardReadingService(), context.tasks, page)
    page.attach_card_reader(bridge)
    bridge.start()
    assert reader.sink is not None
    sink = reader.sink
    thread = threading.Thread(target=lambda: sink(RecordRead("测试读卡器", CardRead(RESIDENT, "测试读卡器"))))
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: page.ui.nameEdit.text() == "巴特尔", timeout=3000)
    page.ui.phonesEdit.setText("13947712345")
    page.ui.nameEdit.setText("巴特尔（更正）")
    with qtbot.waitSignal(bridge.state_changed, timeout=3000):
        threading.Thread(target=lambda: sink(CardRemoved("测试读卡器"))).start()
    assert page.ui.nameEdit.text() == "巴特尔（更正）", "taking the card away does not fill the form again"
    page.ui.nameEdit.setText("巴特尔")
    # The next read fails: the card was pulled mid-read. The form keeps what it had; the clerk sees why.
    reader.error = CardReadError(ErrorKind.CARD_REMOVED, "读卡时证件被移开，请重新放置")
    page.read_card()
    qtbot.waitUntil(lambda: "移开" in page.ui.messageLabel.text(), timeout=3000)
    assert page.ui.nameEdit.text() == "巴特尔" and page.ui.idNumberEdit.text() == RESIDENT.id_number
    assert page.ui.phonesEdit.text() == "13947712345"
    bridge.stop()
    context.tasks.wait_for_workers()


def test_the_receipt_shows_the_facts_and_a_qr_code_of_the_tracking_address(
    context: AppContext, reference: Reference, qtbot: QtBot
) -> None:
    set_tracking_base(context.settings, "https://xf.example.cn/")
    assert tracking_base(context.settings) == "https://xf.example.cn"
    result = register_petition(
        context.session_factory, sample_input(reference), reference.registrar(), store=blob_store(context.settings)
    )
    with context.session_factory() as session:
        facts = receipt_facts(session, result.petition_id, tracking_base(context.settings))
    assert facts.tracking_url == f"https://xf.example.cn/m/track?code={result.query_code}"
    assert facts.provisional and facts.number == result.provisional_number
    document = receipt_document(facts)
    text = document.toPlainText()
    assert "伊金霍洛旗信访局" in text and result.query_code in text and "巴*尔" in text and "来访" in text
    assert "巴特尔" not in text, "the name is partly masked"
    qr = document.resource(QTextDocument.ResourceType.ImageResource, QUrl(QR_RESOURCE))
    assert isinstance(qr, QImage) and not qr.isNull()
    image = QImage(800, 1000, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    document.setTextWidth(800)
    document.drawContents(painter)
    painter.end()
    assert len({image.pixel(x, y) for x in range(0, 800, 7) for y in range(0, 1000, 7)}) > 2, "drawn, not blank"
    pdf = render_receipt_pdf(facts)
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") >= 1
    assert mask_name("张三") == "张*" and mask_name("欧阳娜娜") == "欧**娜"


def test_printing_saves_the_receipt_as_an_attachment_and_a_reprint_adds_none(
    page: RegisterPage, context: AppContext, reference: Reference, qtbot: QtBot
) -> None:
    result = register_petition(
        context.session_factory, sample_input(reference), reference.registrar(), store=blob_store(context.settings)
    )
    saved: list[Path] = []
    for printed in (1, 2):  # print, then reprint from elsewhere (case view, search) with the same function
        print_receipt(context, result.petition_id, page, on_done=lambda receipt: saved.append(receipt.path))
        qtbot.waitUntil(partial(_has_length, saved, printed), timeout=10000)
        preview = _open_preview()
        assert preview is not None and preview.windowTitle() == "打印回执"
        preview.close()
    assert saved[0] == saved[1] and saved[0].read_bytes().startswith(b"%PDF")
    text = pdf_text(saved[0])
    if text is not None:  # the PDF as a reader sees it: bureau, number, masked name, query code
        assert "伊金霍洛旗信访局" in text and "信访事项登记回执" in text and result.query_code in text
        assert "巴*尔" in text and str(result.provisional_number) in text and "巴特尔" not in text
    assert saved[0].parent == context.settings.data_dir / "receipts"
    with context.session_factory() as session:
        rows = session.scalars(select(Attachment).where(Attachment.petition_id == result.petition_id)).all()
    assert len(rows) == 1 and rows[0].mime == "application/pdf"
    assert blob_store(context.settings).has(rows[0].sha256)


def test_ctrl_p_before_saving_says_to_save_first(page: RegisterPage, qtbot: QtBot) -> None:
    page.ui.nameEdit.setFocus()
    qtbot.keyClick(page.ui.nameEdit, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert "请先保存" in page.ui.messageLabel.text()
    assert _open_preview() is None


def pdf_text(path: Path) -> str | None:
    """The text of a PDF by pdftotext (poppler-utils), None where it is not installed (a failure under CI)."""
    if shutil.which("pdftotext") is None:
        if in_ci():
            component_unavailable("pdftotext (poppler-utils)", "not installed")
        return None
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def _has_length(items: list[Path], length: int) -> bool:
    return len(items) == length


def _open_preview() -> QPrintPreviewDialog | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QPrintPreviewDialog) and widget.isVisible():
            return widget
    return None
