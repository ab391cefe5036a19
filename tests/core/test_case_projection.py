"""The case projection: petition columns and petition_unit rows derived from an event (server and counter alike)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, insert

from efangtong_core import lifecycle
from efangtong_core.case_projection import CaseProjection, lifecycle_config, project, touches_units, unit_row_id
from efangtong_core.lifecycle import CaseEvent, CaseStatus, EventType, PetitionState
from efangtong_core.models import new_id
from efangtong_core.models.config import DeadlineRule, Holiday
from efangtong_core.vocabulary import Role

E, R = EventType, Role
T0 = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)  # Monday 09:00 in China
PID = "petition-1"
TOWN, DEPT, BUREAU = "unit-town", "unit-dept", "unit-bureau"


class Case:
    """A petition row and its unit rows, advanced event by event as a database would be."""

    def __init__(self) -> None:
        self.petition: dict[str, Any] = {"event_count": 0}
        self.units: dict[str, dict[str, Any]] = {}
        self.status: CaseStatus | None = None

    def add(
        self, kind: EventType, day: float, role: Role, actor_unit: str | None = None, **payload: Any
    ) -> CaseProjection:
        event = CaseEvent(kind, T0 + timedelta(days=day), role, payload)
        before = self.status
        self.status = lifecycle.apply(before, event)
        result = project(
            petition_id=PID,
            petition=self.petition,
            before=before,
            after=self.status,
            event=event,
            actor_unit_id=actor_unit,
            unit_rows=list(self.units.values()),
        )
        self.petition.update(result.petition)
        for write in result.units:
            assert write.insert == (write.values["id"] not in self.units)
            self.units[write.values["id"]] = dict(write.values)
        return result

    def live(self) -> dict[str, str]:
        return {row["unit_id"]: row["role"] for row in self.units.values() if row["deleted_at"] is None}


def routed() -> Case:
    case = Case()
    case.add(E.REGISTERED, 0, R.CLERK)
    case.add(E.ASSIGNED, 1, R.DISPATCHER, BUREAU, unit=TOWN, co_units=[DEPT, TOWN, " "], deadline="2025-04-30")
    return case


def test_registration_sets_state_deadline_and_count() -> None:
    case = Case()
    result = case.add(E.REGISTERED, 0, R.CLERK)
    assert result.petition["state"] == "registered"
    assert result.petition["deadline"] == date(2025, 3, 18)  # 15 days to route
    assert result.petition["event_count"] == 1
    assert result.petition["lead_unit_id"] is None and result.units == ()


def test_assignment_makes_lead_and_co_units_with_deterministic_ids() -> None:
    case = routed()
    assert case.petition["lead_unit_id"] == TOWN
    assert case.petition["state"] == "assigned" and case.petition["event_count"] == 2
    assert case.petition["deadline"] == date(2025, 4, 30)
    assert case.live() == {TOWN: "lead", DEPT: "co"}
    assert set(case.units) == {unit_row_id(PID, TOWN), unit_row_id(PID, DEPT)}
    assert unit_row_id(PID, TOWN) != unit_row_id("other", TOWN)
    assert all(row["assigned_at"] == T0 + timedelta(days=1) and row["signed_at"] is None for row in case.units.values())


def test_signing_stamps_the_signing_units_row_else_the_leads() -> None:
    case = routed()
    case.add(E.SIGNED_FOR, 2, R.HANDLER, DEPT)
    assert case.units[unit_row_id(PID, DEPT)]["signed_at"] == T0 + timedelta(days=2)
    assert case.units[unit_row_id(PID, TOWN)]["signed_at"] is None
    other = routed()
    other.add(E.SIGNED_FOR, 2, R.HANDLER, "someone-else")
    assert other.units[unit_row_id(PID, TOWN)]["signed_at"] == T0 + timedelta(days=2)


def test_misroute_objection_clears_the_lead_and_rerouting_reuses_rows() -> None:
    case = routed()
    case.add(E.SIGNED_FOR, 2, R.HANDLER, TOWN)
    case.add(E.RETURNED_MISROUTED, 3, R.HANDLER, TOWN, reason="不属于本镇职权")
    assert case.petition["lead_unit_id"] is None and case.petition["state"] == "registered"
    assert case.live() == {}
    case.add(E.TRANSFERRED, 4, R.DISPATCHER, BUREAU, unit=DEPT)
    assert case.live() == {DEPT: "lead"}
    assert len(case.units) == 2  # the department's row came back as lead, the town's stays tombstoned
    assert case.units[unit_row_id(PID, DEPT)]["signed_at"] is None


def test_rerouting_tombstones_units_no_longer_handling() -> None:
    case = Case()
    case.add(E.REGISTERED, 0, R.CLERK)
    case.units["legacy"] = {"id": "legacy", "petition_id": PID, "unit_id": TOWN, "role": "lead", "assigned_at": T0,
                            "signed_at": None, "deleted_at": None}  # fmt: skip
    case.add(E.TRANSFERRED, 1, R.DISPATCHER, BUREAU, unit=DEPT)
    assert case.units["legacy"]["deleted_at"] == T0 + timedelta(days=1)
    assert case.live() == {DEPT: "lead"}


def test_acceptance_at_the_bureau_makes_the_bureau_lead_and_sets_accepted_at() -> None:
    case = Case()
    case.add(E.REGISTERED, 0, R.CLERK)
    result = case.add(E.ACCEPTED, 1, R.DISPATCHER, BUREAU)
    assert result.petition["lead_unit_id"] == BUREAU
    assert result.petition["accepted_at"] == T0 + timedelta(days=1)
    assert result.petition["deadline"] == date(2025, 5, 6)  # 60 days from 4 March, 3 May is a Saturday → Tuesday 6
    assert case.live() == {BUREAU: "lead"}
    assert case.units[unit_row_id(PID, BUREAU)]["signed_at"] == T0 + timedelta(days=1)


def test_acceptance_by_the_unit_keeps_the_lead_and_units() -> None:
    case = routed()
    case.add(E.SIGNED_FOR, 2, R.HANDLER, TOWN)
    result = case.add(E.ACCEPTED, 3, R.HANDLER, TOWN)
    assert result.units == ()
    assert result.petition["lead_unit_id"] == TOWN
    assert result.petition["accepted_at"] == T0 + timedelta(days=3)
    assert result.petition["state"] == "in_progress"


def test_closing_sets_closed_at_and_a_review_request_clears_it() -> None:
    case = routed()
    case.add(E.SIGNED_FOR, 2, R.HANDLER, TOWN)
    case.add(E.ACCEPTED, 3, R.HANDLER, TOWN)
    case.add(E.REPLY_DRAFTED, 10, R.HANDLER, TOWN, outcome="supported")
    case.add(E.REPLIED, 11, R.UNIT_HEAD, TOWN)
    closed = case.add(E.CLOSED, 12, R.DISPATCHER, BUREAU)
    assert closed.petition["closed_at"] == T0 + timedelta(days=12)
    assert closed.petition["state"] == "closed" and closed.petition["accepted_at"] == T0 + timedelta(days=3)
    reviewing = case.add(E.REVIEW_REQUESTED, 13, R.CLERK, BUREAU, reason="不服")
    assert reviewing.petition["closed_at"] is None and reviewing.petition["state"] == "reviewing"
    assert reviewing.petition["event_count"] == 8


def test_merge_sets_merged_into_and_clears_the_deadline() -> None:
    case = Case()
    case.add(E.REGISTERED, 0, R.CLERK)
    result = case.add(E.MERGED, 1, R.DISPATCHER, BUREAU, into="petition-0", reason="重复")
    assert result.petition["merged_into_id"] == "petition-0"
    assert result.petition["state"] == PetitionState.MERGED.value and result.petition["deadline"] is None


def test_touches_units_names_the_routing_events() -> None:
    registered = lifecycle.apply(None, CaseEvent(E.REGISTERED, T0, R.CLERK))
    assert touches_units(registered, E.ASSIGNED) and touches_units(registered, E.ACCEPTED)
    assert touches_units(registered, E.SIGNED_FOR) and touches_units(registered, E.RETURNED_MISROUTED)
    assert not touches_units(registered, E.NOTE) and not touches_units(None, E.REGISTERED)


def test_lifecycle_config_reads_rules_and_holidays(db_engine: Engine) -> None:
    with db_engine.begin() as connection:
        rules, calendar = lifecycle_config(connection)
        assert {rule.code for rule in rules} >= {"route", "handling", "extension"}
        assert next(rule for rule in rules if rule.code == "route").days == 15
        row = {"id": new_id(), "created_at": T0, "updated_at": T0}
        connection.execute(
            insert(DeadlineRule),
            [row | {"code": "route", "name": "转送交办期限", "article": "", "days": 10, "day_kind": "calendar",
                    "starts_at": "registered", "active": True}],
        )  # fmt: skip
        connection.execute(insert(Holiday), [{**row, "id": new_id(), "day": date(2025, 3, 13), "kind": "holiday"}])
        rules, calendar = lifecycle_config(connection)
    assert next(rule for rule in rules if rule.code == "route").days == 10
    assert {rule.code for rule in rules} >= {"handling", "extension"}  # defaults fill missing codes
    assert not calendar.is_working_day(date(2025, 3, 13))
    status = lifecycle.apply(None, CaseEvent(E.REGISTERED, T0, R.CLERK), rules=rules, calendar=calendar)
    assert status.next_due == date(2025, 3, 14)  # 10 days from 3 March is the 13th, a holiday → the next working day
