"""What a case event writes besides itself: the petition's derived columns and its handling units (petition_unit).

The server's merge (sync.merge_plan) and the counter's case actions (efangtong_desktop.services.case_actions) both call
`project` with the case's status before and after the event (`lifecycle.apply`), so both ends derive the same values:

- petition: state, deadline (the earliest open duty deadline), lead_unit_id (主办单位: the unit of 转送/交办, the
  bureau's own unit when the dispatcher accepts at the bureau, none after a misroute objection), accepted_at, closed_at
  (cleared again by a 复查/复核 request), merged_into_id and event_count;
- petition_unit: 转送/交办 makes the payload's `unit` the lead (主办) and `co_units` the co-handling units (协办), and
  tombstones units no longer handling the case; 签收 stamps signed_at on the signing unit's row (else the lead's);
  异议退回 tombstones every handling unit; acceptance at the bureau makes the bureau the lead.

A unit's row id is derived from (petition, unit) — `unit_row_id` — so the counter's local projection and the server's
are the same rows, and the server's version simply replaces the local one when it is pulled.
`lifecycle_config` reads the deadline rules and the holiday calendar from a database (server or replica).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from efangtong_core import deadlines as dl
from efangtong_core.analytics.derived import FIGURE_COLUMNS, figure_columns
from efangtong_core.deadlines import DeadlineRule, rules_from_rows
from efangtong_core.lifecycle import CaseEvent, CaseStatus, EventType, PetitionState
from efangtong_core.models import Base
from efangtong_core.models.petitions import UNIT_ROLE_CO, UNIT_ROLE_LEAD
from efangtong_core.workdays import HolidayCalendar, default_calendar

PETITION_COLUMNS = (
    "state", "deadline", "lead_unit_id", "accepted_at", "closed_at", "merged_into_id", "event_count", *FIGURE_COLUMNS
)  # fmt: skip
"""The petition columns `project` derives (the last ones: analytics columns, `efangtong_core.analytics.derived`)."""

UNIT_COLUMNS = ("id", "petition_id", "unit_id", "role", "assigned_at", "signed_at", "deleted_at")
"""The petition_unit columns `project` writes."""

_UNIT_ROWS_NAMESPACE = uuid.UUID("6f1d3a52-8d0e-4c59-9b43-2f7e0c6a1b11")
ROUTING_EVENTS = frozenset({EventType.TRANSFERRED, EventType.ASSIGNED})


def unit_row_id(petition_id: str, unit_id: str) -> str:
    """The id of the petition_unit row of `unit_id` on `petition_id`, the same wherever it is derived."""
    return str(uuid.uuid5(_UNIT_ROWS_NAMESPACE, f"{petition_id}/{unit_id}"))


@dataclass(frozen=True)
class UnitRowWrite:
    """One petition_unit row to write: all of `UNIT_COLUMNS`; `insert` when no row of that id exists yet."""

    values: dict[str, Any]
    insert: bool


@dataclass(frozen=True)
class CaseProjection:
    """The petition columns and petition_unit rows an event leads to."""

    petition: dict[str, Any]
    units: tuple[UnitRowWrite, ...] = ()


def touches_units(before: CaseStatus | None, event_type: EventType) -> bool:
    """True when an event of this type may write petition_unit rows (the caller then passes the current rows)."""
    return (
        event_type in ROUTING_EVENTS
        or event_type in (EventType.SIGNED_FOR, EventType.RETURNED_MISROUTED)
        or (event_type is EventType.ACCEPTED and before is not None and before.state is PetitionState.REGISTERED)
    )


def project(
    *,
    petition_id: str,
    petition: Mapping[str, Any],
    before: CaseStatus | None,
    after: CaseStatus,
    event: CaseEvent,
    actor_unit_id: str | None = None,
    unit_rows: Sequence[Mapping[str, Any]] = (),
) -> CaseProjection:
    """The derived petition columns and unit rows after `event` (already accepted by `lifecycle.apply`).

    `petition` holds the petition's current columns, `unit_rows` its current petition_unit rows (tombstoned ones
    included); `event.at` is the stored event time, written as is into accepted_at, closed_at and the unit rows.
    """
    at = event.at
    payload = event.payload
    columns: dict[str, Any] = {
        "state": after.state.value,
        "deadline": after.next_due,
        "lead_unit_id": petition.get("lead_unit_id"),
        "accepted_at": petition.get("accepted_at"),
        "closed_at": petition.get("closed_at") if after.closed_on is not None else None,
        "merged_into_id": after.merged_into or petition.get("merged_into_id"),
        "event_count": int(petition.get("event_count") or 0) + 1,
    }
    columns.update(figure_columns(before, after, event.type, petition))
    units: list[UnitRowWrite] = []
    if event.type is EventType.ACCEPTED:
        columns["accepted_at"] = at
    if event.type is EventType.CLOSED:
        columns["closed_at"] = at
    if event.type in ROUTING_EVENTS:
        lead = _text(payload.get("unit"))
        columns["lead_unit_id"] = lead
        wanted = _wanted_units(lead, payload.get("co_units"))
        units = _route(petition_id, unit_rows, wanted, at, signed=False)
    elif event.type is EventType.ACCEPTED and before is not None and before.state is PetitionState.REGISTERED:
        lead = _text(payload.get("unit")) or actor_unit_id
        columns["lead_unit_id"] = lead
        units = _route(petition_id, unit_rows, _wanted_units(lead, None), at, signed=True)
    elif event.type is EventType.SIGNED_FOR:
        units = _sign(unit_rows, actor_unit_id, at)
    elif event.type is EventType.RETURNED_MISROUTED:
        columns["lead_unit_id"] = None
        units = [_write(row, deleted_at=at) for row in unit_rows if row.get("deleted_at") is None]
    return CaseProjection(columns, tuple(units))


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _wanted_units(lead: str | None, co_units: object) -> dict[str, str]:
    wanted: dict[str, str] = {} if lead is None else {lead: UNIT_ROLE_LEAD}
    if isinstance(co_units, list | tuple):
        for value in co_units:
            unit = _text(value)
            if unit is not None:
                wanted.setdefault(unit, UNIT_ROLE_CO)
    return wanted


def _write(row: Mapping[str, Any], **changes: Any) -> UnitRowWrite:
    return UnitRowWrite({column: row.get(column) for column in UNIT_COLUMNS} | changes, insert=False)


def _route(
    petition_id: str, rows: Sequence[Mapping[str, Any]], wanted: Mapping[str, str], at: datetime, *, signed: bool
) -> list[UnitRowWrite]:
    """Rows after routing to `wanted` (unit → role): others tombstoned, wanted ones (re)started from `at`."""
    writes = [
        _write(row, deleted_at=at) for row in rows if row.get("deleted_at") is None and row["unit_id"] not in wanted
    ]
    for unit_id, role in wanted.items():
        existing = [row for row in rows if row["unit_id"] == unit_id]
        existing.sort(key=lambda row: row.get("deleted_at") is not None)  # a live row first
        fresh = {"role": role, "assigned_at": at, "signed_at": at if signed else None, "deleted_at": None}
        if existing:
            writes.append(_write(existing[0], **fresh))
        else:
            values = {"id": unit_row_id(petition_id, unit_id), "petition_id": petition_id, "unit_id": unit_id} | fresh
            writes.append(UnitRowWrite(values, insert=True))
    return writes


def _sign(rows: Sequence[Mapping[str, Any]], actor_unit_id: str | None, at: datetime) -> list[UnitRowWrite]:
    live = [row for row in rows if row.get("deleted_at") is None]
    own = [row for row in live if actor_unit_id is not None and row["unit_id"] == actor_unit_id]
    target = own or [row for row in live if row.get("role") == UNIT_ROLE_LEAD]
    if not target or target[0].get("signed_at") is not None:
        return []
    return [_write(target[0], signed_at=at)]


def lifecycle_config(connection: Connection) -> tuple[tuple[DeadlineRule, ...], HolidayCalendar]:
    """The deadline rules (the table's, the regulation's defaults for codes it lacks) and the holiday calendar."""
    rule_table, holiday_table = Base.metadata.tables["deadline_rule"], Base.metadata.tables["holiday"]
    rule_rows = [dict(row._mapping) for row in connection.execute(select(rule_table))]
    rules = {rule.code: rule for rule in rules_from_rows(rule_rows)}
    for rule in dl.DEFAULT_DEADLINE_RULES:
        rules.setdefault(rule.code, rule)
    holidays = [dict(row._mapping) for row in connection.execute(select(holiday_table))]
    calendar = default_calendar().overlaid(holidays)
    return tuple(rules.values()), calendar
