"""A small hand-built world for the petitioner-records tests: units, categories, people and their petitions."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from efangtong_core.db import open_database
from efangtong_core.models import (
    CaseEvent,
    ContentCategory,
    OrgUnit,
    Petition,
    Petitioner,
    PetitionerPhone,
    PetitionRepresentative,
)
from tests.conftest import DATABASES

NOW = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)


@dataclass
class World:
    """Ids of the reference rows every petition needs."""

    bureau: str
    town: str
    other_town: str
    land: str
    labour: str


def reference(session: Session) -> World:
    """Add the bureau, two towns and two second-level categories."""
    bureau = OrgUnit(name="伊金霍洛旗信访局", kind="bureau")
    town = OrgUnit(name="札萨克镇", kind="town", parent=bureau)
    other = OrgUnit(name="乌兰木伦镇", kind="town", parent=bureau)
    land_top = ContentCategory(code="01", name="城乡建设")
    land = ContentCategory(code="0101", name="征地拆迁", parent=land_top)
    labour_top = ContentCategory(code="02", name="劳动社保")
    labour = ContentCategory(code="0201", name="拖欠工资", parent=labour_top)
    session.add_all([bureau, town, other, land_top, land, labour_top, labour])
    session.flush()
    return World(bureau.id, town.id, other.id, land.id, labour.id)


def person(
    session: Session,
    name: str,
    *,
    initials: str | None = None,
    id_number: str | None = None,
    phones: tuple[str, ...] = (),
    address: str | None = None,
) -> str:
    """Add a petitioner with phones; returns the id."""
    row = Petitioner(name=name, name_initials=initials, id_number=id_number, address=address, sex="male")
    session.add(row)
    session.flush()
    for position, phone in enumerate(phones):
        session.add(PetitionerPhone(petitioner_id=row.id, phone=phone, position=position))
    session.flush()
    return row.id


def petition(
    session: Session,
    world: World,
    petitioner_id: str | None,
    *,
    days_ago: float,
    state: str = "closed",
    town: str | None = None,
    category: str | None = None,
    head_count: int = 1,
    form: str = "visit",
    representatives: tuple[str, ...] = (),
    repeat_of: str | None = None,
    events: tuple[tuple[str, float, dict[str, str]], ...] = (),
    title: str | None = None,
) -> str:
    """Add a petition registered `days_ago` days before NOW, with its registration event and further events."""
    at = NOW - timedelta(days=days_ago)
    row = Petition(
        query_code=uuid.uuid4().hex[:12].upper(),
        form=form,
        purpose="request",
        town_id=town or world.town,
        category_id=category or world.land,
        head_count=head_count,
        content="反映征地补偿款未到位的问题。",
        title=title,
        registering_unit_id=world.bureau,
        petitioner_id=petitioner_id,
        repeat_of_id=repeat_of,
        registered_at=at,
        state=state,
    )
    session.add(row)
    session.flush()
    for position, rep in enumerate(representatives, start=1):
        session.add(PetitionRepresentative(petition_id=row.id, petitioner_id=rep, position=position))
    session.add(CaseEvent(petition_id=row.id, type="registered", at=at, role="clerk", seq=1, payload={}))
    for seq, (kind, later_days, payload) in enumerate(events, start=2):
        session.add(
            CaseEvent(
                petition_id=row.id,
                type=kind,
                at=at + timedelta(days=later_days),
                role="clerk",
                seq=seq,
                payload=payload,
            )
        )
    session.flush()
    return row.id


@pytest.fixture(scope="module", params=DATABASES)
def module_engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """One database at head per test module and database kind (SQLite, then PostgreSQL); tests roll back."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('records') / 'records.sqlite'}"
        engine = open_database(url)
        yield engine
        engine.dispose()
        return
    cluster = request.getfixturevalue("postgres_cluster")
    created = cluster.create_database()
    engine = open_database(created.render_as_string(hide_password=False))
    try:
        yield engine
    finally:
        engine.dispose()
        cluster.drop_database(created)


@pytest.fixture
def session(module_engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test (the module's database stays empty)."""
    with module_engine.connect() as connection:
        transaction = connection.begin()
        with Session(bind=connection, join_transaction_mode="create_savepoint") as s:
            yield s
        transaction.rollback()
