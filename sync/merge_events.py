"""Pushed case events: append-only, checked against the case's state (efangtong_core.lifecycle) and the unit's
accountability rules, and projected onto the petition and its handling units (efangtong_core.case_projection)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from efangtong_core import lifecycle
from efangtong_core.accountability import REQUEST_EVENTS, REQUEST_OF, UNIT_ROLES, AccountabilityRefused, check_event
from efangtong_core.case_projection import CaseProjection, project, touches_units
from efangtong_core.lifecycle import EventType, TransitionRejected
from efangtong_core.vocabulary import Role
from sync.merge_rows import case_event
from sync.protocol import Change, ChangeOp, RejectCode
from sync.rejection import Rejected, reject
from sync.scope import table

if TYPE_CHECKING:
    from sync.merge_plan import Plan


def apply_event(plan: Plan, change: Change, current: dict[str, Any] | None, values: dict[str, Any]) -> int:
    """Check one pushed case event and plan it with its projection; returns its server_seq or raises `Rejected`."""
    if change.op is ChangeOp.DELETE or current is not None:
        raise reject(RejectCode.APPEND_ONLY)
    petition_id = values.get("petition_id")
    if not plan.petition_ok(petition_id):
        raise reject(RejectCode.OUT_OF_SCOPE)
    assert isinstance(petition_id, str)
    role = values.get("role")
    if role not in plan.vis.roles:
        label = Role.from_code(role).label if isinstance(role, str) and Role.has_code(role) else str(role)
        raise reject(RejectCode.ROLE_NOT_HELD, role=label)
    if not isinstance(values.get("type"), str) or not EventType.has_code(values["type"]):
        raise reject(RejectCode.INVALID_VALUE, field="type")
    rows = plan.reads
    at = values.get("at") or plan.now  # (not later than plan.now: Plan.apply saw to it)
    event = case_event(values["type"], at, role, values.get("payload"))
    before = rows.status(petition_id)
    rules, calendar = rows.lifecycle_config()
    try:
        status = lifecycle.apply(before, event, rules=rules, calendar=calendar)
    except TransitionRejected as rejected:
        raise Rejected(rejected.code.value, rejected.reason) from rejected
    _check_accountability(plan, petition_id, event, values)
    petition = rows.row("petition", petition_id)
    assert petition is not None
    units = rows.petition_unit_rows(petition_id) if touches_units(before, event.type) else []
    actor_unit = values.get("actor_unit_id")
    projection = project(
        petition_id=petition_id,
        petition=petition,
        before=before,
        after=status,
        event=event,
        actor_unit_id=actor_unit if isinstance(actor_unit, str) else None,
        unit_rows=units,
    )
    count = projection.petition["event_count"]
    seq = plan.insert_row(
        table("case_event"),
        {**values, "id": str(change.row_id), "at": at, "actor_id": plan.user_id, "seq": values.get("seq") or count},
    )
    rows.statuses[petition_id] = status
    if event.type in REQUEST_EVENTS:
        rows.requesters.setdefault(petition_id, {})[event.type] = plan.user_id
    plan.update_row(table("petition"), petition, projection.petition, petition.get("server_seq"))
    _write_unit_rows(plan, petition_id, projection)
    return seq


def _check_accountability(plan: Plan, petition_id: str, event: lifecycle.CaseEvent, values: dict[str, Any]) -> None:
    """The unit's own cases and four eyes (efangtong_core.accountability); raises `Rejected`."""
    request = REQUEST_OF.get(event.type)
    acting_for_unit = event.role in UNIT_ROLES
    handling = (
        {r["unit_id"]: r["role"] for r in plan.reads.petition_unit_rows(petition_id) if r.get("deleted_at") is None}
        if acting_for_unit
        else {}
    )
    actor_unit = values.get("actor_unit_id")
    if acting_for_unit:
        actor_units: frozenset[str] | None = plan.vis.acting_unit_ids if plan.vis.county else plan.vis.unit_ids
    else:
        actor_units = None if plan.vis.county else plan.vis.unit_ids
    try:
        check_event(
            event.type,
            event.role,
            actor_id=plan.user_id,
            actor_units=actor_units,
            actor_unit_id=actor_unit if isinstance(actor_unit, str) else None,
            handling_units=handling,
            requester_id=plan.reads.requesters.get(petition_id, {}).get(request) if request else None,
        )
    except AccountabilityRefused as refused:
        raise Rejected(refused.code.value, refused.reason) from refused


def _write_unit_rows(plan: Plan, petition_id: str, projection: CaseProjection) -> None:
    """Write the petition_unit rows an event derived (case_projection), keeping the batch's cache current."""
    rows = plan.reads
    t = table("petition_unit")
    for write in projection.units:
        current = None if write.insert else rows.row("petition_unit", write.values["id"])
        if current is None:
            plan.insert_row(t, write.values)
        else:
            plan.update_row(t, current, write.values, current.get("server_seq"))
        row = rows.rows[("petition_unit", write.values["id"])]
        assert row is not None
        cached = [r for r in rows.unit_rows.get(petition_id, []) if r["id"] != row["id"]]
        rows.unit_rows[petition_id] = [*cached, row]
        if row.get("deleted_at") is not None:
            rows.units.get(petition_id, set()).discard(row["unit_id"])
