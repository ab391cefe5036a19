"""The registration receipt (登记回执): a one-page PDF made with Qt, saved and kept as an attachment of the petition.

It shows the bureau, the case number (or the provisional number until the server assigns one), the registration
date, the petitioner's name partly masked, the form, the query code and a QR code (segno) of the mobile tracking
address `{base}/m/track?code=...`, whose base is a setting of this PC (`tracking_base`). The same document is printed
through the print preview; `save_receipt` writes the PDF under `data_dir/receipts/` and into the blob store, and adds
its attachment row (once per distinct PDF) so the receipt replicates like any other attachment.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlencode

import segno
from PySide6.QtCore import QUrl
from PySide6.QtGui import QImage, QTextDocument
from sqlalchemy.orm import Session, sessionmaker

from efangtong_core.models import Petition
from efangtong_core.vocabulary import BUREAU_NAME, PetitionForm
from efangtong_desktop.services.blob_store import attach_once, keep_generated_pdf
from efangtong_desktop.services.pdf_output import a4_pdf, safe_file_part
from efangtong_desktop.settings import Settings
from sync.attachments import LocalAttachmentStore

RECEIPT_FOLDER = "receipts"
TRACKING_KEY = "receipt/tracking_base"
DEFAULT_TRACKING_BASE = "http://127.0.0.1:8765"
CHINA = timezone(timedelta(hours=8))
QR_RESOURCE = "receipt://qr.png"

TITLE = "信访事项登记回执"
HOW_TO_TRACK = (
    "请妥善保管本回执。您可以用手机扫描二维码，或在“手机信访”页面输入查询码，查看信访事项的办理进度；"
    "也可以携带本回执到信访局窗口查询。依照《信访工作条例》，信访事项将在15日内转送或交办有关单位。"
)
LABELS = {
    "number": "编号",
    "date": "登记日期",
    "name": "信访人",
    "form": "信访形式",
    "code": "查询码",
    "url": "查询网址",
}


@dataclass(frozen=True)
class ReceiptFacts:
    """What a receipt prints."""

    petition_id: str
    number: str
    provisional: bool
    registered_at: datetime
    petitioner_name: str
    form_label: str
    query_code: str
    tracking_url: str


def tracking_base(settings: Settings) -> str:
    """The base address printed in the QR code: the setting, else the server address, else the local default."""
    stored = settings.qsettings().value(TRACKING_KEY)
    if isinstance(stored, str) and stored.strip():
        return stored.strip().rstrip("/")
    return (settings.server_url or DEFAULT_TRACKING_BASE).rstrip("/")


def set_tracking_base(settings: Settings, base: str) -> None:
    """Remember the tracking base address of this PC (empty: follow the server address)."""
    store = settings.qsettings()
    store.setValue(TRACKING_KEY, base.strip())
    store.sync()


def tracking_url(base: str, query_code: str) -> str:
    """The mobile tracking address of a query code."""
    return f"{base.rstrip('/')}/m/track?{urlencode({'code': query_code})}"


def mask_name(name: str) -> str:
    """The name partly hidden: 张三 → 张*, 王小明 → 王*明, 欧阳娜娜 → 欧**娜."""
    text = name.strip()
    if len(text) <= 1:
        return text
    if len(text) == 2:
        return text[0] + "*"
    return text[0] + "*" * (len(text) - 2) + text[-1]


def receipt_facts(session: Session, petition_id: str, base: str) -> ReceiptFacts:
    """The facts of a petition's receipt (ValueError when there is no such petition)."""
    petition = session.get(Petition, petition_id)
    if petition is None or petition.deleted_at is not None:
        raise ValueError("找不到该信访件，无法打印回执")
    name = petition.petitioner.name if petition.petitioner is not None else "匿名"
    form = PetitionForm.from_code(petition.form).label if PetitionForm.has_code(petition.form) else petition.form
    return ReceiptFacts(
        petition_id=petition.id,
        number=petition.case_number or petition.provisional_number or "",
        provisional=petition.case_number is None,
        registered_at=petition.registered_at,
        petitioner_name=mask_name(name),
        form_label=form,
        query_code=petition.query_code,
        tracking_url=tracking_url(base, petition.query_code),
    )


def qr_png(text: str) -> bytes:
    """A QR code (error correction M) of `text` as PNG bytes."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=6, border=2)
    return buffer.getvalue()


def receipt_document(facts: ReceiptFacts) -> QTextDocument:
    """The receipt as a rich-text document (used for the PDF and for printing)."""
    document = QTextDocument()
    image = QImage.fromData(qr_png(facts.tracking_url))
    document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(QR_RESOURCE), image)
    number_label = LABELS["number"] + ("（临时编号）" if facts.provisional else "")
    day = facts.registered_at.astimezone(CHINA)
    rows = [
        (number_label, facts.number),
        (LABELS["date"], f"{day.year}年{day.month}月{day.day}日 {day:%H:%M}"),
        (LABELS["name"], facts.petitioner_name),
        (LABELS["form"], facts.form_label),
        (LABELS["code"], f"<b style='font-size:20pt; letter-spacing:3px'>{html.escape(facts.query_code)}</b>"),
        (LABELS["url"], html.escape(facts.tracking_url)),
    ]
    cells = "".join(
        f"<tr><td style='padding:6px 12px 6px 0; color:#555'>{html.escape(label)}</td>"
        f"<td style='padding:6px 0'>{value if label == LABELS['code'] else html.escape(value)}</td></tr>"
        for label, value in rows
    )
    document.setHtml(
        '<div style=\'font-family:"WenQuanYi Micro Hei","Microsoft YaHei",sans-serif; font-size:12pt\'>'
        f"<h2 align='center'>{html.escape(BUREAU_NAME)}</h2>"
        f"<h3 align='center'>{TITLE}</h3>"
        "<table width='100%'><tr>"
        f"<td valign='top'><table>{cells}</table></td>"
        f"<td align='right' valign='top'><img src='{QR_RESOURCE}' width='170' height='170'/></td>"
        "</tr></table>"
        f"<p style='margin-top:18px; line-height:150%'>{html.escape(HOW_TO_TRACK)}</p>"
        f"<p align='right' style='margin-top:24px'>{html.escape(BUREAU_NAME)}（盖章）</p>"
        "</div>"
    )
    return document


def render_receipt_pdf(facts: ReceiptFacts) -> bytes:
    """The receipt as a one-page A4 PDF (bytes)."""
    return a4_pdf(receipt_document(facts), title=f"{TITLE} {facts.number}", margin_mm=20)


def receipt_file_name(facts: ReceiptFacts) -> str:
    """A file name for the receipt's PDF (the number, made safe for every file system)."""
    safe = safe_file_part(facts.number, facts.petition_id)
    return f"回执_{safe}.pdf"


def save_receipt(
    factory: sessionmaker[Session],
    store: LocalAttachmentStore,
    data_dir: Path,
    facts: ReceiptFacts,
    pdf: bytes,
    *,
    origin: str | None = None,
) -> Path:
    """Write the PDF under data_dir/receipts and keep it as an attachment of the petition; returns the file.

    A reprint under the same number adds no second attachment; the receipt under the server's case number does.
    """
    path, blob = keep_generated_pdf(store, data_dir / RECEIPT_FOLDER, receipt_file_name(facts), pdf)
    with factory() as session, session.begin():
        attach_once(session, blob, petition_id=facts.petition_id, origin=origin)
    return path
