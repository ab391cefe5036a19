"""Written notices: filled from the template (built-in or the administrator's), drawn as PDF, kept as attachments."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from efangtong_core.models import (
    Attachment,
    CaseEvent,
    DocumentTemplate,
    OrgUnit,
    Petition,
    Petitioner,
    PetitionerPhone,
)
from efangtong_desktop.context import AppContext
from efangtong_desktop.services.blob_store import blob_store
from efangtong_desktop.services.notices import (
    NoticeError,
    notice_document,
    notice_events,
    notice_facts,
    print_notice,
    render_notice,
)
from tests.support.components import component_unavailable, in_ci

NUMBER = "伊信〔2026〕000042号"
AT = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


@dataclass
class Case:
    petition_id: str
    events: dict[str, str]


def _case(context: AppContext) -> Case:
    with context.session_factory() as session:
        bureau = OrgUnit(name="伊金霍洛旗信访局", kind="bureau")
        town = OrgUnit(name="阿勒腾席热镇", kind="town", parent=bureau)
        person = Petitioner(
            name="巴特尔", address="伊金霍洛旗阿勒腾席热镇某村", phones=[PetitionerPhone(phone="13904770001")]
        )
        petition = Petition(
            case_number=NUMBER,
            query_code="QN000042",
            form="visit",
            purpose="request",
            title="土地承包经营权纠纷",
            content="反映土地承包经营权纠纷。",
            registering_unit=bureau,
            registered_at=AT,
            petitioner=person,
            state="replied",
            deadline=date(2026, 6, 1),
            lead_unit=town,
        )
        steps = [
            ("registered", {}, bureau),
            ("assigned", {"deadline": "2026-03-17"}, bureau),
            ("signed_for", {}, town),
            ("accepted", {}, town),
            ("extension_requested", {"days": 20, "reason": "需要实地测量土地面积"}, town),
            ("extension_approved", {}, town),
            ("reply_drafted", {"outcome": "supported", "opinion": "经核实，依法确认你的承包经营权。"}, town),
            ("replied", {}, town),
        ]
        events = {}
        for seq, (kind, payload, unit) in enumerate(steps, start=1):
            event = CaseEvent(petition=petition, type=kind, at=AT + timedelta(days=seq), seq=seq, payload=payload)
            event.actor_unit = unit
            session.add(event)
            events[kind] = event.id
        session.add_all([bureau, town, person, petition])
        session.commit()
        return Case(petition.id, events)


def _pdf_text(path: Path) -> str | None:
    """The PDF's text by poppler's pdftotext; None outside CI without it (the document's own text is checked too)."""
    if shutil.which("pdftotext") is None:
        if in_ci():
            component_unavailable("pdftotext (poppler-utils)", "not installed")
        return None
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()


def test_acceptance_notice_is_a_pdf_attachment_with_the_case_number(context: AppContext) -> None:
    case = _case(context)
    with context.session_factory() as session:
        path = render_notice(
            session,
            petition_id=case.petition_id,
            event_id=case.events["accepted"],
            kind="acceptance",
            settings=context.settings,
        )
        facts = notice_facts(session, petition_id=case.petition_id, event_id=case.events["accepted"])
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and path.name == "受理告知书_伊信_2026_000042号_v0.pdf"
    text = notice_document(facts).toPlainText()
    for expected in (
        "受理告知书",
        "伊信受〔2026〕000042号",
        NUMBER,
        "巴特尔",
        "阿勒腾席热镇",
        "2026年3月6日",
        "第二十三条",
    ):
        assert expected in text
    assert "{" not in facts.body and "土地承包经营权纠纷" in facts.body
    extracted = _pdf_text(path)
    if extracted is not None:
        compact = "".join(extracted.split())
        assert "受理告知书" in compact and "〔2026〕000042号" in compact and "巴特尔" in compact
    with context.session_factory() as session:
        rows = session.scalars(select(Attachment).where(Attachment.case_event_id == case.events["accepted"])).all()
        assert [(row.petition_id, row.mime, row.kind, row.original_name) for row in rows] == [
            (case.petition_id, "application/pdf", "document", path.name)
        ]
        assert blob_store(context.settings).has(rows[0].sha256)
        render_notice(
            session,
            petition_id=case.petition_id,
            event_id=case.events["accepted"],
            kind=None,
            settings=context.settings,
        )
        again = session.scalars(select(Attachment).where(Attachment.case_event_id == case.events["accepted"])).all()
        assert len(again) == 1  # a reprint from the same template version keeps one attachment


def test_extension_and_reply_fill_their_event_details(context: AppContext) -> None:
    case = _case(context)
    with context.session_factory() as session:
        extension = notice_facts(session, petition_id=case.petition_id, event_id=case.events["extension_approved"])
        reply = notice_facts(session, petition_id=case.petition_id, event_id=case.events["replied"])
        assert [kind.name for _, kind in notice_events(session, case.petition_id)] == [
            "受理告知书",
            "延长办理期限告知书",
            "处理意见书",
        ]
    assert extension.kind.name == "延长办理期限告知书"
    assert "因需要实地测量土地面积" in extension.body and "延长20日" in extension.body
    assert "延长至2026年6月1日" in extension.body and "由原定的2026年5月12日" in extension.body
    assert "经核实，依法确认你的承包经营权。" in reply.body and "处理结论：支持。" in reply.body
    assert reply.document_number == "伊信处〔2026〕000042号" and reply.issuing_unit == "阿勒腾席热镇"


def test_the_administrators_template_is_used_and_a_deactivated_one_refused(context: AppContext) -> None:
    case = _case(context)
    with context.session_factory() as session:
        template = DocumentTemplate(
            code="acceptance", name="受理告知书", body="{petitioner_name}：{case_number}已受理。", version=3
        )
        session.add(template)
        session.commit()
        facts = notice_facts(session, petition_id=case.petition_id, event_id=case.events["accepted"])
        assert facts.body == f"巴特尔：{NUMBER}已受理。" and facts.template_version == 3
        template.active = False
        session.commit()
        with pytest.raises(NoticeError, match="「受理告知书」的模板已停用"):
            notice_facts(session, petition_id=case.petition_id, event_id=case.events["accepted"])
        with pytest.raises(NoticeError, match="「签收」事项不能出具文书"):
            notice_facts(session, petition_id=case.petition_id, event_id=case.events["signed_for"])
        with pytest.raises(NoticeError, match="「受理」事项不能出具处理意见书"):
            notice_facts(
                session, petition_id=case.petition_id, event_id=case.events["accepted"], kind="handling_opinion"
            )
        with pytest.raises(NoticeError, match="找不到该信访件"):
            notice_facts(session, petition_id="missing", event_id=case.events["accepted"])


def test_print_notice_keeps_the_pdf_and_opens_the_preview(context: AppContext, qtbot: QtBot) -> None:
    case = _case(context)
    parent = QWidget()
    qtbot.addWidget(parent)
    problems: list[str] = []
    print_notice(context, case.petition_id, case.events["replied"], parent, on_problem=problems.append)
    qtbot.waitUntil(lambda: parent.findChild(QPrintPreviewDialog, "noticePreview") is not None, timeout=10000)
    dialog = parent.findChild(QPrintPreviewDialog, "noticePreview")
    assert dialog is not None and dialog.windowTitle() == "处理意见书 — 打印预览"
    dialog.close()
    with context.session_factory() as session:
        names = session.scalars(select(Attachment.original_name).where(Attachment.petition_id == case.petition_id))
        assert list(names) == ["处理意见书_伊信_2026_000042号_v0.pdf"]
    print_notice(context, case.petition_id, case.events["signed_for"], parent, on_problem=problems.append)
    qtbot.waitUntil(lambda: bool(problems), timeout=10000)
    assert problems == ["「签收」事项不能出具文书"]
