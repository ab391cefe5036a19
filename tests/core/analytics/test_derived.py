"""The analytics columns derived from real case histories (through the lifecycle), their backfill, and the rates."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from efangtong_core import lifecycle
from efangtong_core.analytics import COUNTY_SCOPE, DashboardFilters, Figure, PeriodKind, Rate
from efangtong_core.analytics import compute_dashboard as compute
from efangtong_core.analytics.derived import FIGURE_COLUMNS, backfill_figures, figure_columns
from efangtong_core.analytics.drilldown import figure_cases
from efangtong_core.analytics.periods import period_containing
from efangtong_core.db import session_factory
from efangtong_core.lifecycle import EventType as E
from efangtong_core.models import CaseEvent, OrgUnit, Petition
from efangtong_core.vocabulary import OrgUnitKind, PetitionForm, PetitionPurpose, Role

CST = timezone(timedelta(hours=8))
BUREAU, TOWN = "u-bureau", "u-town"
CLERK, DISPATCHER, HANDLER, HEAD = Role.CLERK, Role.DISPATCHER, Role.HANDLER, Role.UNIT_HEAD
TRANSFER = (E.TRANSFERRED, DISPATCHER, {"unit": TOWN})
SIGN = (E.SIGNED_FOR, HANDLER, {})
NOTICE = {"notice": "已书面告知"}
REPLY = {"outcome": "supported", "text": "处理意见"}


def at(day: str) -> datetime:
    """10:00 China time of a day, as UTC."""
    return datetime.fromisoformat(day).replace(hour=10, tzinfo=CST).astimezone(UTC)


# Each case: (id, registered day, form, head count, repeat of, [(event, role, payload, day)]).
CASES: list[tuple[str, str, PetitionForm, int, str | None, list[tuple[Any, ...]]]] = [
    # A group visit of 12: signed 3-03 → accept by 3-18; accepted 3-10 (timely); replied 4-02 (on time), 满意.
    ("group", "2026-03-02", PetitionForm.VISIT, 12, None, [
        (*TRANSFER, "2026-03-02"), (*SIGN, "2026-03-03"), (E.ACCEPTED, HANDLER, NOTICE, "2026-03-10"),
        (E.REPLY_DRAFTED, HANDLER, {"outcome": "supported"}, "2026-04-01"), (E.REPLIED, HEAD, REPLY, "2026-04-02"),
        (E.EVALUATED, CLERK, {"satisfaction": "satisfied"}, "2026-04-03")]),
    # A repeat of it, accepted by the bureau itself 3-25: the route clock from registration (3-05) ended 3-20: late.
    ("repeat", "2026-03-05", PetitionForm.LETTER, 1, "group", [
        (E.ACCEPTED, DISPATCHER, {"unit": BUREAU}, "2026-03-25")]),
    # Closed late: accepted 1-05, 60 days end 3-06; replied 3-21; 不满意.
    ("late", "2026-01-02", PetitionForm.ONLINE, 1, None, [
        (*TRANSFER, "2026-01-02"), (*SIGN, "2026-01-03"), (E.ACCEPTED, HANDLER, NOTICE, "2026-01-05"),
        (E.REPLY_DRAFTED, HANDLER, {"outcome": "supported"}, "2026-03-20"), (E.REPLIED, HEAD, REPLY, "2026-03-21"),
        (E.EVALUATED, CLERK, {"satisfaction": "dissatisfied"}, "2026-03-22")]),
    # An extension of 30 days approved: accepted 1-12 (60 days end 3-13); the reply of 3-25 is on time; not evaluated.
    ("extended", "2026-01-10", PetitionForm.VISIT, 1, None, [
        (*TRANSFER, "2026-01-10"), (*SIGN, "2026-01-11"), (E.ACCEPTED, HANDLER, NOTICE, "2026-01-12"),
        (E.EXTENSION_REQUESTED, HANDLER, {"days": 30, "reason": "情况复杂"}, "2026-03-01"),
        (E.EXTENSION_APPROVED, HEAD, {"days": 30}, "2026-03-02"),
        (E.REPLY_DRAFTED, HANDLER, {"outcome": "explained"}, "2026-03-24"), (E.REPLIED, HEAD, REPLY, "2026-03-25")]),
]  # fmt: skip


def build(session: Session) -> dict[str, dict[str, Any]]:
    """Write the cases as the server would before migration 0006 (no analytics columns); their derived values."""
    session.add_all([OrgUnit(id=BUREAU, name="信访局", kind=OrgUnitKind.BUREAU),
                     OrgUnit(id=TOWN, name="红庆河镇", kind=OrgUnitKind.TOWN, parent_id=BUREAU)])  # fmt: skip
    session.flush()
    derived: dict[str, dict[str, Any]] = {}
    for pid, day, form, heads, repeat_of, events in CASES:
        rows = [(E.REGISTERED, CLERK, {}, day), *events]
        status, values = None, {"extension_days": 0}
        for kind, role, payload, when in rows:
            after = lifecycle.apply(status, lifecycle.CaseEvent(kind, at(when), role, payload))
            values = figure_columns(status, after, kind, values)
            status = after
        assert status is not None
        derived[pid] = values
        session.add(Petition(
            id=pid, query_code=f"Q-{pid}", form=form.value, purpose=PetitionPurpose.REQUEST.value, town_id=TOWN,
            head_count=heads, content="", registering_unit_id=BUREAU, registered_at=at(day), repeat_of_id=repeat_of,
            state=status.state.value, deadline=status.next_due, event_count=len(rows),
        ))  # fmt: skip
        session.flush()
        session.add_all(
            CaseEvent(petition_id=pid, type=kind.value, at=at(when), role=role.value, payload=payload, seq=seq)
            for seq, (kind, role, payload, when) in enumerate(rows, start=1)
        )
    session.commit()
    return derived


@pytest.fixture
def session(db_engine: Engine) -> Iterator[Session]:
    with session_factory(db_engine)() as session:
        yield session


def columns(session: Session, pid: str) -> dict[str, Any]:
    row = session.execute(select(*(getattr(Petition, name) for name in FIGURE_COLUMNS)).where(Petition.id == pid))
    return dict(zip(FIGURE_COLUMNS, row.one(), strict=True))


def test_the_events_fix_each_edge_case(session: Session) -> None:
    derived = build(session)
    group, repeat, late, extended = (derived[p] for p in ("group", "repeat", "late", "extended"))
    assert (group["accepted_on"], group["acceptance_due"]) == (date(2026, 3, 10), date(2026, 3, 18))
    assert (group["replied_on"], group["satisfaction"]) == (date(2026, 4, 2), "satisfied")
    assert (repeat["accepted_on"], repeat["acceptance_due"], repeat["replied_on"]) == (
        date(2026, 3, 25), date(2026, 3, 20), None)  # fmt: skip
    assert (late["handling_due"], late["replied_on"], late["satisfaction"]) == (
        date(2026, 3, 6), date(2026, 3, 21), "dissatisfied")  # fmt: skip
    assert extended["extension_days"] == 30 and extended["satisfaction"] is None
    assert date(2026, 4, 12) <= extended["handling_due"] <= date(2026, 4, 14)  # 3-13 + 30, a weekend end moves on


def test_backfill_derives_the_same_values_from_the_stored_events(session: Session) -> None:
    derived = build(session)
    assert all(columns(session, pid)["accepted_on"] is None for pid in derived)
    assert backfill_figures(session.connection(), batch=2) == 4
    session.commit()
    for pid, values in derived.items():
        assert columns(session, pid) == values, pid


def test_rates_and_drill_down_use_the_derived_columns(session: Session) -> None:
    build(session)
    backfill_figures(session.connection())
    session.commit()
    march = DashboardFilters(period_containing(PeriodKind.MONTH, date(2026, 3, 15)))
    snap = compute(session, march, scope=COUNTY_SCOPE, today=date(2026, 4, 20))
    assert snap.timely_acceptance == Rate(1, 2)  # group timely, repeat late
    assert snap.on_time_closure == Rate(1, 2)  # late late, extended on time thanks to its extension
    assert (snap.evaluation_rate, snap.satisfaction_rate) == (Rate(1, 2), Rate(0, 1))
    assert (snap.group_visits.batches, snap.group_visits.persons, snap.repeats.batches) == (1, 12, 1)
    ids = {
        figure: {row.id for row in figure_cases(session, figure, None, march, scope=COUNTY_SCOPE,
                                                today=date(2026, 4, 20)).rows}
        for figure in (Figure.ACCEPTED_LATE, Figure.CLOSED_LATE, Figure.UNEVALUATED, Figure.DISSATISFIED)
    }  # fmt: skip
    assert ids == {Figure.ACCEPTED_LATE: {"repeat"}, Figure.CLOSED_LATE: {"late"},
                   Figure.UNEVALUATED: {"extended"}, Figure.DISSATISFIED: {"late"}}  # fmt: skip
    april = DashboardFilters(period_containing(PeriodKind.MONTH, date(2026, 4, 15)))
    snap = compute(session, april, scope=COUNTY_SCOPE, today=date(2026, 4, 20))
    assert (snap.on_time_closure, snap.satisfaction_rate) == (Rate(1, 1), Rate(1, 1))


def test_the_case_projection_writes_the_same_columns_event_by_event() -> None:
    from efangtong_core.case_projection import PETITION_COLUMNS, project

    assert set(FIGURE_COLUMNS) <= set(PETITION_COLUMNS)
    for pid, day, _form, _heads, _repeat_of, events in CASES:
        petition: dict[str, Any] = {"extension_days": 0}
        status, expected = None, {"extension_days": 0}
        for kind, role, payload, when in [(E.REGISTERED, CLERK, {}, day), *events]:
            event = lifecycle.CaseEvent(kind, at(when), role, payload)
            after = lifecycle.apply(status, event)
            petition.update(project(petition_id=pid, petition=petition, before=status, after=after, event=event,
                                    actor_unit_id=TOWN).petition)  # fmt: skip
            expected = figure_columns(status, after, kind, expected)
            status = after
        assert {name: petition.get(name) for name in FIGURE_COLUMNS} == expected, pid
        assert expected["accepted_on"] is not None
