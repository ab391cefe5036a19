"""Helpers of the server-side case tests: people of the bureau and two towns, and case events pushed as raw changes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

from sqlalchemy import select

from efangtong_core.models import Petition, RoleGrant, User
from efangtong_core.vocabulary import Role
from tests.server.conftest import ServerUnderTest

BUREAU = "伊金霍洛旗信访局"
TOWN_A = "乌兰木伦镇"
TOWN_B = "札萨克镇"
CHINA = timezone(timedelta(hours=8))


def china(day: date, hour: int = 10) -> datetime:
    """`hour` o'clock on `day` in China, as an aware datetime."""
    return datetime.combine(day, time(hour), tzinfo=CHINA)


@dataclass(frozen=True)
class Person:
    """A signed-in user: id, unit and access token."""

    user_id: str
    unit_id: str
    token: str


def person(server: ServerUnderTest, roles: tuple[Role, ...], unit: str) -> Person:
    """A user holding `roles` in `unit`, signed in."""
    username = server.user(roles[0], unit=unit)
    with server.sessions() as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        for role in roles[1:]:
            session.add(RoleGrant(user_id=user.id, role=role, scope_unit_id=user.org_unit_id))
        session.commit()
        user_id, unit_id = user.id, user.org_unit_id
    return Person(user_id, unit_id, str(server.login(username)["access_token"]))


@dataclass(frozen=True)
class Cast:
    """The bureau's clerk-dispatcher, town A's handler, unit head and a handler who is also unit head, town B's
    handler, and the unit ids."""

    counter: Person
    handler_a: Person
    head_a: Person
    both_a: Person
    handler_b: Person
    bureau: str
    town_a: str
    town_b: str


def cast(server: ServerUnderTest) -> Cast:
    """Everyone a case test needs."""
    counter = person(server, (Role.CLERK, Role.DISPATCHER), BUREAU)
    handler_a = person(server, (Role.HANDLER,), TOWN_A)
    head_a = person(server, (Role.UNIT_HEAD,), TOWN_A)
    both_a = person(server, (Role.HANDLER, Role.UNIT_HEAD), TOWN_A)
    handler_b = person(server, (Role.HANDLER,), TOWN_B)
    return Cast(counter, handler_a, head_a, both_a, handler_b, counter.unit_id, handler_a.unit_id, handler_b.unit_id)


def push(server: ServerUnderTest, who: Person, changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Push raw changes as `who`; the server's answers."""
    answer = server.client.post(
        "/api/v1/sync/push",
        json={"protocol": 1, "changes": changes},
        headers={"Authorization": f"Bearer {who.token}"},
    )
    assert answer.status_code == 200, answer.text
    results: list[dict[str, Any]] = answer.json()["results"]
    return results


def change(table: str, values: dict[str, Any], row_id: str | None = None) -> dict[str, Any]:
    """An upsert change of a new row (or of `row_id`)."""
    return {
        "change_id": str(uuid.uuid4()),
        "table": table,
        "row_id": row_id or str(uuid.uuid4()),
        "op": "upsert",
        "values": values,
        "client_time": datetime.now(UTC).isoformat(),
    }


def event(petition_id: str, kind: str, role: Role, at: datetime, **payload: Any) -> dict[str, Any]:
    """A case event change; `actor_unit` in `payload` becomes the event's actor_unit_id."""
    actor_unit = payload.pop("actor_unit", None)
    values = {
        "petition_id": petition_id,
        "type": kind,
        "role": role.value,
        "at": at.isoformat(),
        "payload": payload,
        "seq": 1,
    }
    if actor_unit is not None:
        values["actor_unit_id"] = actor_unit
    return change("case_event", values)


def register(
    server: ServerUnderTest, c: Cast, *, town: str | None, at: datetime, phone: str = "13904770001"
) -> tuple[str, list[dict[str, Any]]]:
    """Register a petitioner and a petition about `town` at the counter; (petition id, answers)."""
    petitioner, petition = str(uuid.uuid4()), str(uuid.uuid4())
    changes = [
        change("petitioner", {"name": "王建军", "sex": "male"}, petitioner),
        change("petitioner_phone", {"petitioner_id": petitioner, "phone": phone, "position": 0}),
        change(
            "petition",
            {
                "query_code": uuid.uuid4().hex[:10].upper(),
                "form": "visit",
                "purpose": "request",
                "town_id": town,
                "content": "反映征地补偿款未到位。",
                "registering_unit_id": c.bureau,
                "registered_by_id": c.counter.user_id,
                "petitioner_id": petitioner,
                "state": "registered",
                "registered_at": at.isoformat(),
            },
            petition,
        ),
        event(petition, "registered", Role.CLERK, at),
    ]
    return petition, push(server, c.counter, changes)


def petition_row(server: ServerUnderTest, petition_id: str) -> Petition:
    """The server's petition row."""
    with server.sessions() as session:
        row = session.get(Petition, petition_id)
        assert row is not None
        session.expunge(row)
        return row
