"""Written notices (文书): a case event's notice filled from its template, drawn as an A4 PDF, kept as an attachment.

The template of each kind is the replicated `document_template` row the administrator saved, or the built-in text of
`efangtong_core.notice_templates` until one is saved. `notice_facts` reads the case (off the GUI thread),
`render_notice_pdf` draws it like the registration receipt does, `save_notice` writes the file under
`data_dir/notices/` and into the blob store and adds its attachment row (once per event and template version), so the
notice replicates like any other attachment. `print_notice` runs the three steps and opens the print preview.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPageSize, QTextDocument
from sqlalchemy import select
from sqlalchemy.orm import Session

from efangtong_core.case_states import EventType, ReviewOutcome
from efangtong_core.models import CaseEvent, DocumentTemplate, OrgUnit, Petition
from efangtong_core.notice_templates import (
    DEFAULT_BODIES,
    KINDS_BY_CODE,
    KINDS_BY_EVENT,
    NoticeKind,
    TemplateError,
    document_number,
    fill,
)
from efangtong_core.vocabulary import BUREAU_NAME, ReplyOutcome
from efangtong_desktop.services.blob_store import attach_once, blob_store, keep_generated_pdf
from efangtong_desktop.services.pdf_output import a4_pdf, safe_file_part
from efangtong_desktop.settings import Settings

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from efangtong_desktop.context import AppContext

NOTICE_FOLDER = "notices"
CHINA = timezone(timedelta(hours=8))
LAYOUT_DPI = 96
"""Resolution the notice is laid out at; print_ scales it to the PDF page, so point sizes come out true."""
OPINION_KEYS = ("opinion", "text", "content", "note", "comment")
"""Payload keys that may hold an opinion's text, in order of preference."""


class NoticeError(ValueError):
    """A notice that cannot be made; the message says why in Chinese."""


@dataclass(frozen=True)
class NoticeFacts:
    """A filled notice: what its PDF shows and where it belongs."""

    petition_id: str
    event_id: str
    kind: NoticeKind
    number: str
    document_number: str
    issuing_unit: str
    body: str
    template_version: int


def _chinese_date(value: date | datetime) -> str:
    day = value.astimezone(CHINA).date() if isinstance(value, datetime) else value
    return f"{day.year}年{day.month}月{day.day}日"


def _text(payload: dict[str, Any], *keys: str) -> str:
    for key in keys:
        value = payload.get(key)
        if isinstance(value, str | int) and str(value).strip():
            return str(value).strip()
    return ""


def _as_date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _outcome(value: object) -> str:
    for kind in (ReplyOutcome, ReviewOutcome):
        for member in kind:
            if value in (member.value, member.label):
                return member.label
    return str(value or "")


def _unit_name(session: Session, unit_id: object) -> str:
    unit = session.get(OrgUnit, unit_id) if isinstance(unit_id, str) else None
    return unit.name if unit is not None else ""


def _template(session: Session, kind: NoticeKind) -> tuple[str, int]:
    row = session.scalar(
        select(DocumentTemplate).where(DocumentTemplate.code == kind.code, DocumentTemplate.deleted_at.is_(None))
    )
    if row is None:
        return DEFAULT_BODIES[kind.code], 0
    if not row.active:
        raise NoticeError(f"「{kind.name}」的模板已停用，请系统管理员启用后再出具")
    return row.body, row.version


def _earlier(events: list[CaseEvent], event: CaseEvent, *types: EventType) -> CaseEvent | None:
    codes = {kind.value for kind in types}
    before = [item for item in events if item.seq < event.seq or (item.seq == event.seq and item.at < event.at)]
    return next((item for item in reversed(before) if item.type in codes), None)


def _event_values(session: Session, petition: Petition, event: CaseEvent) -> dict[str, str]:
    payload = dict(event.payload or {})
    events = sorted(petition.events, key=lambda item: (item.seq, item.at))
    values = {
        "reason": _text(payload, "reason"),
        "opinion": _text(payload, *OPINION_KEYS),
        "outcome": _outcome(payload.get("outcome")),
    }
    if event.type == EventType.REPLIED.value:
        draft = _earlier(events, event, EventType.REPLY_DRAFTED)
        drafted = dict(draft.payload or {}) if draft is not None else {}
        values["opinion"] = values["opinion"] or _text(drafted, *OPINION_KEYS)
        values["outcome"] = values["outcome"] or _outcome(drafted.get("outcome"))
    if event.type == EventType.EXTENSION_APPROVED.value:
        request = _earlier(events, event, EventType.EXTENSION_REQUESTED)
        requested = dict(request.payload or {}) if request is not None else {}
        values["reason"] = values["reason"] or _text(requested, "reason")
        days = _text(payload, "days") or _text(requested, "days")
        values["extension_days"] = days
        new_deadline = _as_date(payload.get("new_deadline") or payload.get("deadline")) or petition.deadline
        if new_deadline is not None:
            values["new_deadline"] = _chinese_date(new_deadline)
            if days.isdigit():
                values["deadline"] = _chinese_date(new_deadline - timedelta(days=int(days)))
    elif petition.deadline is not None:
        values["deadline"] = _chinese_date(petition.deadline)
    return values


def notice_facts(session: Session, *, petition_id: str, event_id: str, kind: str | None = None) -> NoticeFacts:
    """The filled notice of event `event_id` of petition `petition_id` (`kind`: a notice code, default by event)."""
    petition = session.get(Petition, petition_id)
    if petition is None or petition.deleted_at is not None:
        raise NoticeError("找不到该信访件，无法出具文书")
    event = session.get(CaseEvent, event_id)
    if event is None or event.petition_id != petition.id or event.deleted_at is not None:
        raise NoticeError("找不到该信访件的这一办理事项，无法出具文书")
    expected = KINDS_BY_EVENT.get(event.type)
    chosen = KINDS_BY_CODE.get(kind) if kind is not None else expected
    if chosen is None or chosen is not expected:
        label = EventType.from_code(event.type).label if EventType.has_code(event.type) else event.type
        name = KINDS_BY_CODE[kind].name if kind in KINDS_BY_CODE else (kind or "文书")
        raise NoticeError(f"「{label}」事项不能出具{name}")
    body, version = _template(session, chosen)
    number = petition.case_number or petition.provisional_number or ""
    issuing_unit = _unit_name(session, event.actor_unit_id) or _unit_name(session, petition.lead_unit_id) or BUREAU_NAME
    person = petition.petitioner
    phones = sorted(person.phones, key=lambda phone: phone.position) if person is not None else []
    values = {
        "issuing_unit": issuing_unit,
        "bureau": BUREAU_NAME,
        "document_number": document_number(petition.case_number, chosen, number),
        "case_number": number,
        "petitioner_name": person.name if person is not None else "信访人",
        "petitioner_address": (person.address or "") if person is not None else "",
        "petitioner_phone": phones[0].phone if phones else "",
        "registered_date": _chinese_date(petition.registered_at),
        "event_date": _chinese_date(event.at),
        "issue_date": _chinese_date(event.at),
        "summary": (petition.title or petition.content or "").strip()[:300],
        "handling_unit": _unit_name(session, petition.lead_unit_id) or issuing_unit,
        **_event_values(session, petition, event),
    }
    try:
        text = fill(body, values)
    except TemplateError as error:
        raise NoticeError(f"「{chosen.name}」的模板有误：{error}") from error
    return NoticeFacts(
        petition_id=petition.id,
        event_id=event.id,
        kind=chosen,
        number=number,
        document_number=values["document_number"],
        issuing_unit=issuing_unit,
        body=text,
        template_version=version,
    )


def notice_html(facts: NoticeFacts) -> str:
    """The notice as HTML: the unit's header, the title, the 文号, the body; the closing block aligned right."""
    blocks = [block for block in facts.body.split("\n\n") if block.strip()]
    paragraphs = []
    for position, block in enumerate(blocks):
        text = "<br/>".join(html.escape(line) for line in block.split("\n"))
        closing = position == len(blocks) - 1 and facts.issuing_unit in block
        style = "margin-top:28px" if closing else "text-indent:2em; margin-top:10px"
        paragraphs.append(f"<p align='{'right' if closing else 'justify'}' style='{style}'>{text}</p>")
    return (
        '<div style=\'font-family:"WenQuanYi Micro Hei","Microsoft YaHei","SimSun",sans-serif; '
        "font-size:13pt; line-height:160%'>"
        f"<h2 align='center' style='color:#b42318'>{html.escape(facts.issuing_unit)}</h2>"
        f"<h1 align='center'>{html.escape(facts.kind.name)}</h1>"
        f"<p align='center' style='margin-bottom:18px'>{html.escape(facts.document_number)}</p>"
        "<hr/>" + "".join(paragraphs) + "</div>"
    )


def notice_document(facts: NoticeFacts) -> QTextDocument:
    """The notice as a rich-text document (for the PDF and for printing)."""
    document = QTextDocument()
    document.setHtml(notice_html(facts))
    return document


def render_notice_pdf(facts: NoticeFacts) -> bytes:
    """The notice as an A4 PDF (bytes), laid out at screen resolution and scaled to the page."""
    title = f"{facts.kind.name} {facts.document_number}"
    return a4_pdf(notice_document(facts), title=title, margin_mm=25, layout_dpi=LAYOUT_DPI)


def notice_file_name(facts: NoticeFacts) -> str:
    """The file name of a notice's PDF: its kind, the case number and the template version."""
    safe = safe_file_part(facts.number, facts.petition_id[:8])
    return f"{facts.kind.name}_{safe}_v{facts.template_version}.pdf"


def save_notice(session: Session, settings: Settings, facts: NoticeFacts, pdf: bytes) -> Path:
    """Write the PDF under data_dir/notices and keep it as an attachment of the case event; returns the file.

    Printing the same event's notice again from the same template version adds no second attachment.
    """
    folder = settings.data_dir / NOTICE_FOLDER / facts.petition_id
    path, blob = keep_generated_pdf(blob_store(settings), folder, notice_file_name(facts), pdf)
    attach_once(session, blob, petition_id=facts.petition_id, case_event_id=facts.event_id)
    session.commit()
    return path


def render_notice(session: Session, *, petition_id: str, event_id: str, kind: str | None, settings: Settings) -> Path:
    """Fill, draw and keep the notice of one case event; the PDF's path (NoticeError with a Chinese message)."""
    facts = notice_facts(session, petition_id=petition_id, event_id=event_id, kind=kind)
    return save_notice(session, settings, facts, render_notice_pdf(facts))


def notice_events(session: Session, petition_id: str) -> list[tuple[str, NoticeKind]]:
    """The events of a case that have a notice, oldest first: (event id, kind)."""
    query = (
        select(CaseEvent.id, CaseEvent.type)
        .where(CaseEvent.petition_id == petition_id, CaseEvent.deleted_at.is_(None))
        .where(CaseEvent.type.in_(list(KINDS_BY_EVENT)))
        .order_by(CaseEvent.seq, CaseEvent.at)
    )
    return [(event_id, KINDS_BY_EVENT[event_type]) for event_id, event_type in session.execute(query)]


def print_notice(
    context: AppContext,
    petition_id: str,
    event_id: str,
    parent: QWidget | None,
    *,
    on_problem: Callable[[str], None] | None = None,
) -> None:
    """Make and keep the notice in the background, then open the print preview (window-modal) over `parent`."""
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    def report(error: Exception) -> None:
        message = str(error) if isinstance(error, NoticeError) else f"生成文书失败：{error}"
        if on_problem is not None:
            on_problem(message)

    def gather() -> NoticeFacts:
        with context.session_factory() as session:
            return notice_facts(session, petition_id=petition_id, event_id=event_id)

    def draw(facts: NoticeFacts) -> None:
        pdf = render_notice_pdf(facts)

        def keep() -> Path:
            with context.session_factory() as session:
                return save_notice(session, context.settings, facts, pdf)

        context.tasks.run(keep, lambda _path: preview(facts), report, owner=parent)

    def preview(facts: NoticeFacts) -> None:
        dialog = QPrintPreviewDialog(parent)  # owns its printer, which lives as long as the dialog
        printer = dialog.printer()
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setDocName(f"{facts.kind.name} {facts.document_number}")
        dialog.setObjectName("noticePreview")
        dialog.setWindowTitle(f"{facts.kind.name} — 打印预览")
        document = notice_document(facts)
        document.setParent(dialog)
        dialog.paintRequested.connect(document.print_)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    context.tasks.run(gather, draw, report, owner=parent)
