"""register_petition and correct_registration on a real replica (SQLite and PostgreSQL): rows, event, outbox, rules."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session, sessionmaker

from efangtong_core.db import open_database
from efangtong_core.idnumber import make_id_number
from efangtong_core.lifecycle import EventType, PetitionState
from efangtong_core.models import (
    AgentCase,
    Attachment,
    CaseEvent,
    Petition,
    Petitioner,
    PetitionerPhone,
    PetitionRepresentative,
    SyncOutbox,
)
from efangtong_core.query_codes import QUERY_CODE_ALPHABET
from efangtong_core.vocabulary import PetitionForm, Sex
from efangtong_desktop.services.registration import register_petition
from efangtong_desktop.services.registration_edit import correct_registration, load_registration
from efangtong_desktop.services.registration_form import PersonInput, RegistrationInvalid
from efangtong_desktop.services.registration_writes import checkpoint_replica
from sync.attachments import LocalAttachmentStore
from sync.outbox import enable_outbox
from tests.desktop.register.reference import OTHER_ID, RESIDENT_ID, Reference, sample_input, seed_reference

NOW = datetime(2026, 3, 2, 2, 30, tzinfo=UTC)  # 10:30 in China, a Monday


@pytest.fixture
def replica(db_engine: Engine) -> tuple[sessionmaker[Session], Reference]:
    ref = seed_reference(db_engine)
    factory = sessionmaker(bind=db_engine, expire_on_commit=False)
    enable_outbox(factory)
    return factory, ref


@pytest.fixture
def sqlite_replica(seeded_replica: Path, tmp_path: Path) -> Iterator[tuple[sessionmaker[Session], Reference]]:
    """A copy of the seeded template replica (SQLite), for the many quick refusal cases."""
    path = tmp_path / "replica.sqlite3"
    shutil.copy(seeded_replica, path)
    engine = open_database(f"sqlite:///{path}")
    ref = seed_reference(engine)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    enable_outbox(factory)
    yield factory, ref
    engine.dispose()


@pytest.fixture
def store(tmp_path: Path) -> LocalAttachmentStore:
    return LocalAttachmentStore(tmp_path / "blobs")


def count(factory: sessionmaker[Session], model: type, *where: object) -> int:
    with factory() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)  # type: ignore[arg-type]


def test_a_registration_writes_person_petition_event_and_outbox_together(
    replica: tuple[sessionmaker[Session], Reference], store: LocalAttachmentStore, tmp_path: Path
) -> None:
    factory, ref = replica
    letter = tmp_path / "来信扫描.pdf"
    letter.write_bytes(b"%PDF-1.4 scanned letter")
    result = register_petition(factory, sample_input(ref, attachments=(letter,)), ref.registrar(), store=store, now=NOW)
    assert result.created and len(result.query_code) == 8
    assert set(result.query_code) <= set(QUERY_CODE_ALPHABET)
    assert result.provisional_number is not None and result.provisional_number.startswith("临20260302-0F0E-001")
    with factory() as session:
        petition = session.get(Petition, result.petition_id)
        assert petition is not None
        assert petition.state == PetitionState.REGISTERED.value and petition.event_count == 1
        assert petition.deadline == date(2026, 3, 17)  # 15 days (第二十二条)
        assert petition.case_number is None and petition.registering_unit_id == ref.bureau_id
        person = petition.petitioner
        assert person is not None and person.id_number == RESIDENT_ID and person.name_initials == "bte"
        assert person.sex == "male" and person.birth_date == date(1985, 3, 7)
        events = session.scalars(select(CaseEvent).where(CaseEvent.petition_id == petition.id)).all()
        assert [(e.type, e.seq, e.role, e.actor_id) for e in events] == [("registered", 1, "clerk", ref.clerk_id)]
        attachment = session.scalars(select(Attachment).where(Attachment.petition_id == petition.id)).one()
        assert store.has(attachment.sha256) and attachment.original_name == "来信扫描.pdf"
        outbox = session.scalars(select(SyncOutbox).order_by(SyncOutbox.position)).all()
        tables = [entry.table_name for entry in outbox]
        assert tables.index("petitioner") < tables.index("petition") < tables.index("case_event")
        assert {"petitioner_phone", "attachment"} <= set(tables)
        assert all(entry.state == "pending" for entry in outbox)


def test_a_failure_mid_transaction_leaves_nothing(
    replica: tuple[sessionmaker[Session], Reference], store: LocalAttachmentStore
) -> None:
    factory, ref = replica

    def explode(session: Session, flush_context: object, instances: object) -> None:
        if any(isinstance(obj, CaseEvent) for obj in session.new):
            raise RuntimeError("power cut")

    event.listen(factory, "before_flush", explode)
    with pytest.raises(RuntimeError):
        register_petition(factory, sample_input(ref), ref.registrar(), store=store, now=NOW)
    event.remove(factory, "before_flush", explode)
    assert count(factory, Petition) == 0 and count(factory, Petitioner) == 0
    assert count(factory, SyncOutbox) == 0 and count(factory, CaseEvent) == 0


def test_the_same_token_registers_once_and_a_known_person_is_reused(
    replica: tuple[sessionmaker[Session], Reference], store: LocalAttachmentStore
) -> None:
    factory, ref = replica
    token = "5a7d3f50-1111-4aaa-8bbb-123456789abc"
    first = register_petition(factory, sample_input(ref), ref.registrar(), store=store, petition_id=token, now=NOW)
    again = register_petition(factory, sample_input(ref), ref.registrar(), store=store, petition_id=token, now=NOW)
    assert first.petition_id == again.petition_id == token and not again.created
    assert again.query_code == first.query_code
    other = sample_input(ref, petitioner=PersonInput(name="巴特尔", id_number=RESIDENT_ID, phones=("0477-8612345",)))
    second = register_petition(factory, other, ref.registrar(), store=store, now=NOW)
    assert second.query_code != first.query_code and second.provisional_number.endswith("-002")  # type: ignore[union-attr]
    assert count(factory, Petition) == 2 and count(factory, Petitioner) == 1
    assert count(factory, PetitionerPhone) == 2  # the landline is added, the mobile not repeated


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"petitioner": PersonInput(name="", id_number=RESIDENT_ID)}, "name", "姓名"),
        ({"petitioner": PersonInput(name="张三", id_number="150627198503071234")}, "id_number", "校验码"),
        ({"petitioner": PersonInput(name="张三")}, "id_number", "来访"),
        ({"petitioner": PersonInput(name="张三", id_number=RESIDENT_ID, phones=("12345",))}, "phones", "格式"),
        ({"content": ""}, "content", "内容"),
        ({"category_id": None}, "category", "分类"),
        ({"form": PetitionForm.AGENT.value}, "agent", "代办员"),
        ({"head_count": 1, "representatives": (PersonInput("乌云", OTHER_ID),)}, "head_count", "不能少于"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_changes_nothing(
    sqlite_replica: tuple[sessionmaker[Session], Reference],
    store: LocalAttachmentStore,
    changes: dict[str, object],
    field: str,
    words: str,
) -> None:
    factory, ref = sqlite_replica
    with pytest.raises(RegistrationInvalid) as refused:
        register_petition(factory, sample_input(ref, **changes), ref.registrar(), store=store, now=NOW)
    assert words in refused.value.problems[field]
    assert count(factory, Petition) == 0 and count(factory, SyncOutbox) == 0


def test_an_agents_case_records_the_agent_carrying_it(
    sqlite_replica: tuple[sessionmaker[Session], Reference], store: LocalAttachmentStore
) -> None:
    factory, ref = sqlite_replica
    data = sample_input(ref, form=PetitionForm.AGENT.value, agent_id=ref.agent_id)
    result = register_petition(factory, data, ref.registrar(), store=store, now=NOW)
    with factory() as session:
        carried = session.scalars(select(AgentCase).where(AgentCase.petition_id == result.petition_id)).one()
        assert carried.agent_id == ref.agent_id and carried.state == "open" and carried.taken_at == NOW
        assert session.scalar(select(SyncOutbox.position).where(SyncOutbox.table_name == "agent_case")) is not None


def test_six_representatives_are_refused_and_five_are_registered(
    sqlite_replica: tuple[sessionmaker[Session], Reference], store: LocalAttachmentStore
) -> None:
    factory, ref = sqlite_replica
    ids = [make_id_number("150627", date(1990, 1, day), 11, Sex.MALE) for day in range(1, 6)]
    people = tuple(PersonInput(f"代表{n}", number) for n, number in enumerate(ids, start=2))
    with pytest.raises(RegistrationInvalid) as refused:
        register_petition(factory, sample_input(ref, head_count=30, representatives=people), ref.registrar(),
                          store=store, now=NOW)  # fmt: skip
    assert "最多推选 5 名代表" in refused.value.problems["representatives"]
    result = register_petition(
        factory, sample_input(ref, head_count=30, representatives=people[:4]), ref.registrar(), store=store, now=NOW
    )
    with factory() as session:
        positions = session.scalars(
            select(PetitionRepresentative.position).where(PetitionRepresentative.petition_id == result.petition_id)
        ).all()
    assert sorted(positions) == [1, 2, 3, 4, 5]


def test_a_correction_is_an_event_listing_old_and_new_values(
    replica: tuple[sessionmaker[Session], Reference], store: LocalAttachmentStore
) -> None:
    factory, ref = replica
    result = register_petition(factory, sample_input(ref), ref.registrar(), store=store, now=NOW)
    with factory() as session:
        stored = load_registration(session, result.petition_id)
    assert stored.data.petitioner.phones == ("13947712345",)
    corrected = sample_input(ref, content="某工地拖欠农民工工资五个月，要求尽快解决。", head_count=2)
    changes = correct_registration(factory, result.petition_id, corrected, ref.registrar(), store=store, now=NOW)
    assert set(changes) == {"content", "head_count"}
    with factory() as session:
        petition = session.get(Petition, result.petition_id)
        assert petition is not None and petition.head_count == 2
        last = session.scalars(select(CaseEvent).where(CaseEvent.seq == 2)).one()
        assert last.type == EventType.REGISTRATION_CORRECTED.value
        assert last.payload["changes"]["head_count"] == {"old": 1, "new": 2}
        updates = session.scalars(select(SyncOutbox).where(SyncOutbox.table_name == "petition")).all()
        assert any(set(entry.values) >= {"content", "head_count"} for entry in updates)
        assert all("event_count" not in entry.values and "state" not in entry.values for entry in updates[1:])
    with pytest.raises(RegistrationInvalid) as nothing:
        correct_registration(factory, result.petition_id, corrected, ref.registrar(), store=store, now=NOW)
    assert "没有修改" in nothing.value.problems["petition"]
    with factory() as session, session.begin():
        petition = session.get(Petition, result.petition_id)
        assert petition is not None
        petition.state = PetitionState.ASSIGNED.value
    with pytest.raises(RegistrationInvalid) as late:
        correct_registration(factory, result.petition_id, sample_input(ref), ref.registrar(), store=store, now=NOW)
    assert "不能更正" in late.value.problems["petition"]


def test_a_registration_holds_the_write_lock_and_commits_durably(
    sqlite_replica: tuple[sessionmaker[Session], Reference], store: LocalAttachmentStore
) -> None:
    """From its first read the save holds SQLite's write lock (a sync cannot slip in between), and its commit fsyncs
    the WAL (synchronous=FULL); afterwards the pooled connection is back to the replica's NORMAL."""
    factory, ref = sqlite_replica
    engine = factory.kw["bind"]
    seen: dict[str, object] = {}

    def during_save(session: Session, flush_context: object, instances: object) -> None:
        if not any(isinstance(obj, Petition) for obj in session.new):
            return
        seen["synchronous"] = session.connection().exec_driver_sql("PRAGMA synchronous").scalar()
        seen["autocheckpoint"] = session.connection().exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()
        other = sqlite3.connect(engine.url.database, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            seen["other_writer"] = "got the lock"
            other.execute("ROLLBACK")
        except sqlite3.OperationalError as error:
            seen["other_writer"] = str(error)
        finally:
            other.close()

    event.listen(factory, "before_flush", during_save)
    try:
        register_petition(factory, sample_input(ref), ref.registrar(), store=store, now=NOW)
    finally:
        event.remove(factory, "before_flush", during_save)
    assert seen == {"synchronous": 2, "autocheckpoint": 0, "other_writer": "database is locked"}
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 1000
    assert count(factory, Petition) == 1

    def in_database_file() -> int:  # the database file alone, without the WAL
        reader = sqlite3.connect(f"file:{engine.url.database}?immutable=1", uri=True)
        try:
            return int(reader.execute("SELECT count(*) FROM petition").fetchone()[0])
        finally:
            reader.close()

    assert in_database_file() == 0  # committed to the WAL only: the save did not checkpoint
    checkpoint_replica(engine)  # what the page runs after a save
    assert in_database_file() == 1
