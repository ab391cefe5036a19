"""The inbox queries on a real SQLite replica: the right cases per role and unit, deadline urgency across holidays."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from efangtong_core.db import open_database, session_factory
from efangtong_core.models import Holiday
from efangtong_core.workdays import HolidayCalendar
from efangtong_desktop.services.inbox import (
    InboxUser,
    Queue,
    Urgency,
    load_inbox,
    queues_for,
    replica_calendar,
    urgency_of,
)
from tests.desktop.inbox.cases import TODAY, Replica, build_replica


@pytest.fixture
def replica(tmp_path: Path) -> Iterator[tuple[Session, Replica]]:
    engine = open_database(f"sqlite:///{tmp_path / 'replica.sqlite'}")
    with session_factory(engine)() as session:
        yield session, build_replica(session)
    engine.dispose()


def _names(replica: Replica, ids: list[str]) -> list[str]:
    by_id = {petition_id: name for name, petition_id in replica.cases.items()}
    return [by_id[petition_id] for petition_id in ids]


def _queues(session: Session, replica: Replica, unit: str, *roles: str) -> dict[Queue, list[str]]:
    inbox = load_inbox(session, user=InboxUser(unit_id=unit, roles=roles), today=TODAY)
    return {queue: _names(replica, [item.petition_id for item in items]) for queue, items in inbox.queues.items()}


def test_each_role_sees_its_queues() -> None:
    assert queues_for(["handler"]) == [Queue.SIGN_FOR, Queue.HANDLING]
    assert queues_for(["unit_head"]) == [Queue.SIGN_FOR, Queue.HANDLING, Queue.EXTENSIONS, Queue.REPLIES]
    assert queues_for(["dispatcher"]) == [
        Queue.ROUTING,
        Queue.MISROUTED,
        Queue.REVIEWS,
        Queue.SUPERVISED,
        Queue.OVERDUE,
    ]
    assert queues_for(["inspector"]) == [Queue.SUPERVISED, Queue.OVERDUE]
    assert queues_for(["admin", "clerk"]) == []


def test_a_town_handler_sees_only_the_towns_cases_soonest_first(replica: tuple[Session, Replica]) -> None:
    session, built = replica
    queues = _queues(session, built, built.town, "handler")
    assert queues == {
        Queue.SIGN_FOR: ["待签收"],
        Queue.HANDLING: ["已超期", "今日到期", "办理中", "答复审批", "延期审批"],
    }
    other = _queues(session, built, built.other_town, "handler")
    assert other == {Queue.SIGN_FOR: [], Queue.HANDLING: ["他镇", "督办"]}


def test_the_unit_head_gets_the_approvals(replica: tuple[Session, Replica]) -> None:
    session, built = replica
    queues = _queues(session, built, built.town, "unit_head")
    assert queues[Queue.EXTENSIONS] == ["延期审批"]
    assert queues[Queue.REPLIES] == ["答复审批"]


def test_the_bureau_sees_routing_objections_supervision_and_overdue(replica: tuple[Session, Replica]) -> None:
    session, built = replica
    queues = _queues(session, built, built.bureau, "dispatcher")
    assert queues == {
        Queue.ROUTING: ["待分办"],
        Queue.MISROUTED: ["异议退回"],
        Queue.REVIEWS: [],
        Queue.SUPERVISED: ["督办"],
        Queue.OVERDUE: ["已超期"],
    }


def test_urgency_counts_working_days_of_the_replicas_calendar(replica: tuple[Session, Replica]) -> None:
    session, built = replica
    inbox = load_inbox(session, user=InboxUser(unit_id=built.town, roles=("handler",)), today=TODAY)
    shown = {
        name: (item.urgency, item.countdown)
        for queue_items in inbox.queues.values()
        for item in queue_items
        for name in _names(built, [item.petition_id])
    }
    # 10-08 is eight calendar days away but only one working day (National Day 10-01 … 10-07): near.
    assert shown["待签收"] == (Urgency.NEAR, "剩 8 天（1 个工作日）")
    # 10-12: 10-08, 10-09, the worked Saturday 10-10 and 10-12 are four working days: normal.
    assert shown["办理中"] == (Urgency.NORMAL, "剩 12 天（4 个工作日）")
    assert shown["今日到期"] == (Urgency.TODAY, "今日到期")
    assert shown["已超期"] == (Urgency.OVERDUE, "超期 2 天")

    session.add(Holiday(day=date(2026, 10, 9), kind="holiday", name="测试假日"))
    session.commit()
    calendar = replica_calendar(session)
    assert urgency_of(date(2026, 10, 12), TODAY, calendar)[0] is Urgency.NEAR


def test_urgency_across_a_weekend() -> None:
    plain = HolidayCalendar()
    friday = date(2026, 11, 20)
    assert urgency_of(date(2026, 11, 23), friday, plain) == (Urgency.NEAR, "剩 3 天（1 个工作日）")
    assert urgency_of(date(2026, 11, 25), friday, plain)[0] is Urgency.NEAR  # Mon, Tue, Wed
    assert urgency_of(date(2026, 11, 26), friday, plain) == (Urgency.NORMAL, "剩 6 天（4 个工作日）")
    assert urgency_of(None, friday, plain) == (Urgency.NONE, "—")
