"""The data model on SQLite and PostgreSQL: rows, constraints, tombstones, client-side ids, JSON, indexes."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from efangtong_core import models
from efangtong_core.db import session_factory
from efangtong_core.models import (
    AuditLog,
    CaseEvent,
    OrgUnit,
    Petition,
    Petitioner,
    PetitionerPhone,
    PetitionRepresentative,
    Replicated,
)
from efangtong_core.vocabulary import OrgUnitKind, PetitionForm, PetitionPurpose, Sex

BUREAU_ID = "00000000-0000-4000-8000-000000000001"


def add_bureau(session: Session) -> OrgUnit:
    """The bureau as an org unit."""
    bureau = OrgUnit(id=BUREAU_ID, name="伊金霍洛旗信访局", kind=OrgUnitKind.BUREAU, division_code="150627")
    session.add(bureau)
    return bureau


def make_petition(unit: OrgUnit, query_code: str, **fields: object) -> Petition:
    """A minimal registered petition."""
    return Petition(
        query_code=query_code,
        form=PetitionForm.VISIT,
        purpose=PetitionPurpose.REQUEST,
        registering_unit_id=unit.id,
        state="registered",
        content="反映拖欠农民工工资问题。",
        **fields,
    )


def test_ids_are_born_with_the_object_and_are_uuids() -> None:
    petitioner = Petitioner(name="张三")
    other = Petitioner(name="李四")
    assert uuid.UUID(petitioner.id).version == 4
    assert petitioner.id != other.id
    assert Petitioner(id="given", name="王五").id == "given"


def test_petitioner_with_phones(db_engine: Engine) -> None:
    with session_factory(db_engine)() as session:
        petitioner = Petitioner(
            id_number="150627198807150017", name="巴特尔", name_initials="bte", sex=Sex.MALE, nation="蒙古"
        )
        petitioner.birth_date = date(1988, 7, 15)
        petitioner.phones = [PetitionerPhone(phone="13904770001", position=0), PetitionerPhone(phone="04778881234")]
        session.add(petitioner)
        session.commit()
        born_id = petitioner.id

    with session_factory(db_engine)() as session:
        found = session.scalars(
            select(Petitioner).join(PetitionerPhone).where(PetitionerPhone.phone == "04778881234")
        ).one()
        assert found.id == born_id
        assert found.name == "巴特尔"
        assert found.birth_date == date(1988, 7, 15)
        assert sorted(phone.phone for phone in found.phones) == ["04778881234", "13904770001"]
        by_number = session.scalars(select(Petitioner).where(Petitioner.id_number == "150627198807150017")).one()
        assert by_number is found


def test_petition_with_representatives_and_events(db_engine: Engine) -> None:
    with session_factory(db_engine)() as session:
        bureau = add_bureau(session)
        people = [Petitioner(name=f"代表{i}") for i in range(1, 6)]
        session.add_all(people)
        petition = make_petition(bureau, "Q1234567", head_count=30, petitioner=people[0])
        petition.representatives = [
            PetitionRepresentative(petitioner=person, position=i) for i, person in enumerate(people, start=1)
        ]
        payload = {"deadline": "2026-12-10", "units": ["札萨克镇"], "note": "集体访，30 人", "nested": {"n": [1, 2.5]}}
        petition.events = [
            CaseEvent(type="registered", seq=1, payload={}),
            CaseEvent(type="assigned", seq=2, payload=payload, role="dispatcher", actor_unit_id=bureau.id),
        ]
        session.add(petition)
        session.commit()
        petition_id = petition.id

    with session_factory(db_engine)() as session:
        loaded = session.get_one(Petition, petition_id)
        assert [rep.position for rep in loaded.representatives] == [1, 2, 3, 4, 5]
        assert [event.type for event in loaded.events] == ["registered", "assigned"]
        assert loaded.events[1].payload == payload
        assert loaded.events[0].payload == {}
        assert loaded.head_count == 30


def test_a_sixth_representative_is_refused(db_engine: Engine) -> None:
    with session_factory(db_engine)() as session:
        bureau = add_bureau(session)
        petition = make_petition(bureau, "Q7654321")
        session.add(petition)
        session.flush()
        session.add(PetitionRepresentative(petition_id=petition.id, petitioner=Petitioner(name="甲"), position=6))
        with pytest.raises(IntegrityError):
            session.flush()


def test_query_code_is_unique(db_engine: Engine) -> None:
    with session_factory(db_engine)() as session:
        bureau = add_bureau(session)
        session.add(make_petition(bureau, "SAMECODE"))
        session.commit()
        session.add(make_petition(bureau, "SAMECODE"))
        with pytest.raises(IntegrityError):
            session.commit()


def test_server_seq_is_unique_but_may_be_null_many_times(db_engine: Engine) -> None:
    with session_factory(db_engine)() as session:
        session.add_all([Petitioner(name="甲"), Petitioner(name="乙"), Petitioner(name="丙", server_seq=7)])
        session.commit()
        session.add(Petitioner(name="丁", server_seq=7))
        with pytest.raises(IntegrityError):
            session.commit()


def test_foreign_keys_are_enforced(db_engine: Engine) -> None:
    with session_factory(db_engine)() as session:
        session.add(PetitionerPhone(petitioner_id=str(uuid.uuid4()), phone="13800000000"))
        with pytest.raises(IntegrityError):
            session.commit()


def test_tombstones_keep_the_row(db_engine: Engine) -> None:
    with session_factory(db_engine)() as session:
        petitioner = Petitioner(name="赵六")
        session.add(petitioner)
        session.commit()
        assert not petitioner.is_deleted
        petitioner.mark_deleted()
        session.commit()
        row_id = petitioner.id

    with session_factory(db_engine)() as session:
        row = session.get_one(Petitioner, row_id)
        assert row.is_deleted
        assert row.deleted_at is not None and row.deleted_at.tzinfo is not None
        live = session.scalars(select(Petitioner).where(Petitioner.deleted_at.is_(None))).all()
        assert row not in live


def test_timestamps_are_utc_and_updated_at_moves(db_engine: Engine) -> None:
    beijing = timezone(timedelta(hours=8))
    registered = datetime(2026, 3, 5, 9, 30, tzinfo=beijing)
    with session_factory(db_engine)() as session:
        bureau = add_bureau(session)
        petition = make_petition(bureau, "QTIME001", registered_at=registered)
        session.add(petition)
        session.commit()
        first_update = petition.updated_at
        petition.content = "补充材料。"
        session.commit()
        petition_id = petition.id
        assert petition.updated_at >= first_update

    with session_factory(db_engine)() as session:
        loaded = session.get_one(Petition, petition_id)
        assert loaded.registered_at == registered
        assert loaded.registered_at.utcoffset() == timedelta(0)
        assert loaded.created_at.tzinfo is not None
        assert abs(loaded.created_at - datetime.now(UTC)) < timedelta(minutes=5)


def test_origin_is_stamped_from_the_session(db_engine: Engine) -> None:
    with session_factory(db_engine)() as session:
        session.info[models.ORIGIN_KEY] = "counter-01"
        mine = Petitioner(name="钱七")
        theirs = Petitioner(name="孙八", origin="counter-02")
        session.add_all([mine, theirs])
        session.commit()
        assert (mine.origin, theirs.origin) == ("counter-01", "counter-02")


def test_audit_log_is_local_and_numbers_its_rows(db_engine: Engine) -> None:
    with session_factory(db_engine)() as session:
        session.add_all([AuditLog(action="read", entity="petitioner", details={"字段": "身份证号"}) for _ in range(3)])
        session.commit()
        rows = session.scalars(select(AuditLog).order_by(AuditLog.id)).all()
        assert [row.id for row in rows] == sorted({row.id for row in rows})
        assert rows[0].details == {"字段": "身份证号"}
    assert not AuditLog.__replicated__


def test_replication_is_a_property_of_the_table() -> None:
    replicated = {table.name for table in models.replicated_tables()}
    assert {"petition", "case_event", "petitioner", "petitioner_phone", "attachment", "org_unit"} <= replicated
    assert not {"audit_log", "sms_message", "verification_code", "exchange_batch", "device"} & replicated
    order = [table.name for table in models.replicated_tables()]
    assert order.index("petition") < order.index("case_event")
    for name in replicated:
        cls = models.model_for_table(name)
        assert issubclass(cls, Replicated)
        columns = set(cls.__table__.columns.keys())
        assert {"id", "created_at", "updated_at", "origin", "server_seq", "deleted_at"} <= columns
        assert set(cls.__local_columns__) <= columns


def index_map(engine: Engine, table: str) -> dict[tuple[str, ...], bool]:
    """Indexed column tuples of `table` → unique."""
    inspector = inspect(engine)
    found = {
        tuple(str(name) for name in index["column_names"]): bool(index["unique"])
        for index in inspector.get_indexes(table)
    }
    for constraint in inspector.get_unique_constraints(table):
        found[tuple(constraint["column_names"])] = True
    return found


LOOKUP_INDEXES: list[tuple[str, tuple[str, ...], bool]] = [
    ("petitioner", ("id_number",), False),
    ("petitioner", ("name_initials",), False),
    ("petitioner_phone", ("phone",), False),
    ("petition", ("query_code",), True),
    ("petition", ("case_number",), True),
    ("petition", ("state", "deadline"), False),
    ("petition", ("town_id", "category_id", "registered_at"), False),
    ("case_event", ("petition_id", "seq"), False),
    ("petition_representative", ("petition_id", "position"), True),
    ("holiday", ("day",), True),
    ("user_account", ("username",), True),
]
"""(table, columns, unique) of the lookups the issues name."""


def test_lookup_indexes_exist(db_engine: Engine) -> None:
    for table, columns, unique in LOOKUP_INDEXES:
        indexes = index_map(db_engine, table)
        assert columns in indexes, f"{table}{columns} 没有索引：{indexes}"
        assert indexes[columns] is unique, (table, columns)


def test_every_replicated_table_indexes_server_seq(db_engine: Engine) -> None:
    for table in models.replicated_tables():
        assert index_map(db_engine, table.name).get(("server_seq",)) is True, table.name
