"""更正登记 beyond the petition's columns: representatives, the agent's case and added attachments, each audited."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from efangtong_core.idnumber import make_id_number
from efangtong_core.lifecycle import EventType
from efangtong_core.models import Agent, AgentCase, Attachment, CaseEvent, PetitionRepresentative, SyncOutbox
from efangtong_core.vocabulary import PetitionForm, Sex
from efangtong_desktop.services.registration import register_petition
from efangtong_desktop.services.registration_edit import correct_registration, load_registration
from efangtong_desktop.services.registration_form import PersonInput
from sync.attachments import LocalAttachmentStore
from sync.outbox import enable_outbox
from tests.desktop.register.reference import Reference, sample_input, seed_reference

NOW = datetime(2026, 3, 2, 2, 30, tzinfo=UTC)
LATER = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)


@pytest.fixture
def replica(db_engine: Engine) -> tuple[sessionmaker[Session], Reference]:
    ref = seed_reference(db_engine)
    factory = sessionmaker(bind=db_engine, expire_on_commit=False)
    enable_outbox(factory)
    return factory, ref


@pytest.fixture
def store(tmp_path: Path) -> LocalAttachmentStore:
    return LocalAttachmentStore(tmp_path / "blobs")


def last_change(factory: sessionmaker[Session], petition_id: str) -> dict[str, object]:
    with factory() as session:
        last = session.scalars(
            select(CaseEvent).where(CaseEvent.petition_id == petition_id).order_by(CaseEvent.seq.desc()).limit(1)
        ).one()
        assert last.type == EventType.REGISTRATION_CORRECTED.value
        return dict(last.payload["changes"])


def person(name: str, day: int) -> PersonInput:
    return PersonInput(name, make_id_number("150627", date(1991, 2, day), 22, Sex.FEMALE))


def test_representatives_are_replaced_removed_and_added_back_position_by_position(
    replica: tuple[sessionmaker[Session], Reference], store: LocalAttachmentStore
) -> None:
    factory, ref = replica
    first = sample_input(ref, head_count=12, representatives=(person("其其格", 1), person("乌云", 2)))
    result = register_petition(factory, first, ref.registrar(), store=store, now=NOW)
    with factory() as session:
        stored = load_registration(session, result.petition_id)
    assert [one.name for one in stored.data.representatives] == ["其其格", "乌云"]

    smaller = sample_input(ref, head_count=12, representatives=(person("萨仁", 3),))
    changes = correct_registration(factory, result.petition_id, smaller, ref.registrar(), store=store, now=LATER)
    assert set(changes) == {"representatives"}
    audit = last_change(factory, result.petition_id)["representatives"]
    assert [one["name"] for one in audit["old"]] == ["巴特尔", "其其格", "乌云"]  # type: ignore[index]
    assert [one["name"] for one in audit["new"]] == ["巴特尔", "萨仁"]  # type: ignore[index]
    with factory() as session:
        rows = session.scalars(
            select(PetitionRepresentative)
            .where(PetitionRepresentative.petition_id == result.petition_id)
            .order_by(PetitionRepresentative.position)
        ).all()
        assert [(row.position, row.petitioner.name, row.deleted_at) for row in rows] == [
            (1, "巴特尔", None), (2, "萨仁", None), (3, "乌云", LATER)
        ]  # fmt: skip
        sent = session.scalars(select(SyncOutbox).where(SyncOutbox.table_name == "petition_representative")).all()
        assert len(sent) == 3 + 2  # three registered rows, then position 2 re-pointed and position 3 tombstoned

    grown = sample_input(ref, head_count=12, representatives=(person("萨仁", 3), person("乌云", 2)))
    correct_registration(factory, result.petition_id, grown, ref.registrar(), store=store, now=LATER)
    with factory() as session:
        stored = load_registration(session, result.petition_id)
    assert [one.name for one in stored.data.representatives] == ["萨仁", "乌云"]

    alone = sample_input(ref, head_count=1)
    correct_registration(factory, result.petition_id, alone, ref.registrar(), store=store, now=LATER)
    with factory() as session:
        assert load_registration(session, result.petition_id).data.representatives == ()
    assert [one["name"] for one in last_change(factory, result.petition_id)["representatives"]["new"]] == []  # type: ignore[index]


def test_the_agent_carrying_the_case_follows_the_correction(
    replica: tuple[sessionmaker[Session], Reference], store: LocalAttachmentStore
) -> None:
    factory, ref = replica
    with factory() as session:
        other_agent = session.scalars(select(Agent.id).where(Agent.id != ref.agent_id).order_by(Agent.name)).first()
    assert other_agent is not None
    data = sample_input(ref, form=PetitionForm.AGENT.value, agent_id=ref.agent_id)
    result = register_petition(factory, data, ref.registrar(), store=store, now=NOW)

    moved = sample_input(ref, form=PetitionForm.AGENT.value, agent_id=other_agent)
    changes = correct_registration(factory, result.petition_id, moved, ref.registrar(), store=store, now=LATER)
    assert changes["agent_id"] == {"old": ref.agent_id, "new": other_agent}
    assert changes["agent_case"] == {"old": [ref.agent_id], "new": [other_agent]}
    assert last_change(factory, result.petition_id)["agent_case"] == changes["agent_case"]
    with factory() as session:
        rows = {
            row.agent_id: row
            for row in session.scalars(select(AgentCase).where(AgentCase.petition_id == result.petition_id))
        }
        assert rows[ref.agent_id].deleted_at == LATER
        assert rows[other_agent].deleted_at is None and rows[other_agent].taken_at == LATER
        assert rows[other_agent].state == "open"

    visit = sample_input(ref)  # not an agent's case after all
    changes = correct_registration(factory, result.petition_id, visit, ref.registrar(), store=store, now=LATER)
    assert changes["agent_case"] == {"old": [other_agent], "new": []}
    with factory() as session:
        live = session.scalars(
            select(AgentCase).where(AgentCase.petition_id == result.petition_id, AgentCase.deleted_at.is_(None))
        ).all()
        assert live == []


def test_attachments_added_by_a_correction_are_listed_before_and_after(
    replica: tuple[sessionmaker[Session], Reference], store: LocalAttachmentStore, tmp_path: Path
) -> None:
    factory, ref = replica
    letter, photo = tmp_path / "来信.pdf", tmp_path / "现场照片.jpg"
    letter.write_bytes(b"%PDF-1.4 letter")
    photo.write_bytes(b"\xff\xd8\xff photo")
    result = register_petition(factory, sample_input(ref, attachments=(letter,)), ref.registrar(), store=store, now=NOW)
    more = sample_input(ref, attachments=(photo,))
    changes = correct_registration(factory, result.petition_id, more, ref.registrar(), store=store, now=LATER)
    assert changes == {"attachments": {"old": ["来信.pdf"], "new": ["来信.pdf", "现场照片.jpg"]}}
    with factory() as session:
        names = session.scalars(select(Attachment.original_name).where(Attachment.petition_id == result.petition_id))
        assert sorted(names) == ["来信.pdf", "现场照片.jpg"]
