"""Fixtures for search tests: a replica with a town, two categories and helpers that register petitions."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import insert
from sqlalchemy.orm import Session

from efangtong_core.models import ContentCategory, OrgUnit, Petition, Petitioner, PetitionerPhone
from efangtong_desktop.context import AppContext


@dataclass(frozen=True)
class Places:
    """Reference rows the test petitions point at."""

    bureau: str
    town: str
    other_town: str
    land: str
    land_demolition: str
    wages: str


@pytest.fixture
def places(context: AppContext) -> Places:
    """A bureau, two towns, a first-level category with a sub-category and another category."""
    with context.session_factory.begin() as session:
        bureau = OrgUnit(name="伊金霍洛旗信访局", kind="bureau")
        town = OrgUnit(name="札萨克镇", kind="town", parent=bureau)
        other = OrgUnit(name="红庆河镇", kind="town", parent=bureau)
        land = ContentCategory(code="01", name="城乡建设")
        demolition = ContentCategory(code="0101", name="征地拆迁", parent=land)
        wages = ContentCategory(code="0201", name="劳动保障")
        session.add_all([bureau, town, other, land, demolition, wages])
    return Places(bureau.id, town.id, other.id, land.id, demolition.id, wages.id)


RegisterFn = Callable[..., str]


def _rows(places: Places, **fields: object) -> tuple[dict[str, object], dict[str, object], list[str]]:
    person_id = str(uuid.uuid4())
    person = {
        "id": person_id,
        "name": fields.pop("name", "张三"),
        "name_initials": fields.pop("initials", "zs"),
        "id_number": fields.pop("id_number", "15062719900517121X"),
    }
    phones = list(fields.pop("phones", ["13812345678"]))  # type: ignore[call-overload]
    petition = {
        "id": str(uuid.uuid4()),
        "case_number": fields.pop("case_number", None),
        "query_code": fields.pop("query_code", uuid.uuid4().hex[:8].upper()),
        "form": fields.pop("form", "visit"),
        "purpose": "request",
        "category_id": fields.pop("category_id", places.land_demolition),
        "town_id": fields.pop("town_id", places.town),
        "title": fields.pop("title", "反映问题"),
        "content": fields.pop("content", "请求解决。"),
        "registering_unit_id": places.bureau,
        "registered_at": fields.pop("registered_at", datetime(2026, 3, 1, 2, 0, tzinfo=UTC)),
        "petitioner_id": person_id,
        "state": fields.pop("state", "registered"),
        "deadline": fields.pop("deadline", None),
    }
    assert not fields, f"unknown fields {fields}"
    return person, petition, phones


@pytest.fixture
def register(context: AppContext, places: Places) -> RegisterFn:
    """Register a petition with its petitioner through the ORM (as the counter does); returns the petition id."""

    def _register(**fields: object) -> str:
        person, petition, phones = _rows(places, **fields)
        with context.session_factory.begin() as session:
            assert isinstance(session, Session)
            session.add(Petitioner(**person))
            session.flush()
            session.add_all(
                PetitionerPhone(petitioner_id=person["id"], phone=p, position=i) for i, p in enumerate(phones)
            )
            session.add(Petition(**petition))
        return str(petition["id"])

    return _register


@pytest.fixture
def pull_row(context: AppContext, places: Places) -> RegisterFn:
    """Write a petition the way the sync engine applies a pulled page: Core inserts, petition before its petitioner."""

    def _pull(**fields: object) -> str:
        person, petition, phones = _rows(places, **fields)
        now = datetime.now(UTC)
        with context.engine.begin() as connection:
            connection.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
            common = {"created_at": now, "updated_at": now, "server_seq": None}
            connection.execute(insert(Petition), [petition | common | {"head_count": 1, "event_count": 1}])
            connection.execute(insert(Petitioner), [person | common | {"sex": "male"}])
            connection.execute(
                insert(PetitionerPhone),
                [
                    {"id": str(uuid.uuid4()), "petitioner_id": person["id"], "phone": p, "position": i} | common
                    for i, p in enumerate(phones)
                ],
            )
        return str(petition["id"])

    return _pull


TODAY = date(2026, 3, 20)
