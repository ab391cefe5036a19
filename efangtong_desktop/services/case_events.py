"""Case events on the counter's replica (UI-free): a case replayed from its events, and appending one offline.

`case_actions` builds on this with one function per action. `record_event` appends one case event (with its
attachments) and writes what the event derives — the petition's state, deadline, lead unit, acceptance and closing
times, event count and its handling units (`efangtong_core.case_projection`, the same projection the server's merge
runs) — in one transaction. Only the event and its attachments enter the outbox:
the derived columns and petition_unit rows are the server's to derive again, so they are written with plain SQL
statements that the outbox does not capture; the server's values replace them at the next pull.

An event the lifecycle refuses raises `ActionRefused` with the lifecycle's Chinese reason and writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from efangtong_core import deadlines as dl
from efangtong_core import lifecycle
from efangtong_core.accountability import (
    REQUEST_EVENTS,
    REQUEST_OF,
    UNIT_ROLES,
    AccountabilityRefused,
    check_event,
)
from efangtong_core.case_effects import local_time
from efangtong_core.case_projection import lifecycle_config, project
from efangtong_core.db import writing_engine
from efangtong_core.deadlines import DeadlineRule, due_date
from efangtong_core.lifecycle import CaseEvent, CaseStatus, EventType, TransitionRejected
from efangtong_core.models import CaseEvent as CaseEventRow
from efangtong_core.models import OrgUnit, Petition, PetitionUnit, utcnow
from efangtong_core.models.base import Base
from efangtong_core.models.sync import SyncOutbox
from efangtong_core.vocabulary import Role
from efangtong_core.workdays import HolidayCalendar
from efangtong_desktop.services import case_texts as texts
from efangtong_desktop.services.blob_store import StoredBlob, attachment_row, put_file
from sync.attachments import LocalAttachmentStore
from sync.outbox import REJECTED

NOT_CASE_ACTIONS = frozenset({EventType.REGISTERED, EventType.REGISTRATION_CORRECTED})
"""Events recorded by the registration page, not by the case's actions."""


class ActionRefused(ValueError):
    """An action the case, the user's role or the input does not allow; `str()` is the Chinese reason."""


@dataclass(frozen=True)
class Actor:
    """Who acts: the signed-in user, their unit and roles, and this PC (the origin of the rows)."""

    user_id: str | None
    unit_id: str | None
    roles: tuple[str, ...]
    device_id: str

    def holds(self, role: Role) -> bool:
        """True when the user holds `role`."""
        return role.value in self.roles


@dataclass(frozen=True)
class CaseSnapshot:
    """A case as the replica has it: its status replayed from its events, and who may act on it."""

    petition_id: str
    status: CaseStatus | None
    rules: tuple[DeadlineRule, ...]
    calendar: HolidayCalendar
    handling_units: Mapping[str, str]
    """The case's live handling units (petition_unit, as the server reads them): unit id → lead (主办) / co (协办)."""
    requesters: Mapping[EventType, str | None] = field(default_factory=dict)
    """The actor of the latest request of each kind (申请延期, 拟写处理意见), for the self-approval rule."""
    rejected_event_ids: frozenset[str] = frozenset()
    event_count: int = 0


def ordered_events(session: Session, petition_id: str) -> list[CaseEventRow]:
    """The case's events in the order that counts: accepted ones by server order, then local ones as written."""
    query = (
        select(CaseEventRow)
        .where(CaseEventRow.petition_id == petition_id, CaseEventRow.deleted_at.is_(None))
        .order_by(CaseEventRow.server_seq.is_(None), CaseEventRow.server_seq, CaseEventRow.seq, CaseEventRow.at)
    )
    return list(session.scalars(query))


def rejected_event_ids(session: Session, petition_id: str) -> frozenset[str]:
    """Ids of the case's events the server refused (still listed among the refused changes)."""
    query = (
        select(SyncOutbox.row_id)
        .join(CaseEventRow, CaseEventRow.id == SyncOutbox.row_id)
        .where(SyncOutbox.table_name == "case_event", SyncOutbox.state == REJECTED)
        .where(CaseEventRow.petition_id == petition_id)
    )
    return frozenset(session.scalars(query))


def as_case_event(row: CaseEventRow) -> CaseEvent:
    """The lifecycle's view of a stored event."""
    role = Role.from_code(row.role) if row.role and Role.has_code(row.role) else Role.CLERK
    return CaseEvent(EventType.from_code(row.type), row.at, role, dict(row.payload or {}))


def load_case(session: Session, petition_id: str) -> CaseSnapshot:
    """Replay the case's events (refused and impossible ones skipped) with the replica's rules and holidays."""
    if session.get(Petition, petition_id) is None:
        raise ActionRefused(texts.CASE_NOT_FOUND)
    rules, calendar = lifecycle_config(session.connection())
    refused = rejected_event_ids(session, petition_id)
    status: CaseStatus | None = None
    requesters: dict[EventType, str | None] = {}
    for row in ordered_events(session, petition_id):
        if row.id in refused or not EventType.has_code(row.type):
            continue
        try:
            status = lifecycle.apply(status, as_case_event(row), rules=rules, calendar=calendar)
        except TransitionRejected:
            continue
        kind = EventType.from_code(row.type)
        if kind in REQUEST_EVENTS:
            requesters[kind] = row.actor_id
    units = session.execute(
        select(PetitionUnit.unit_id, PetitionUnit.role).where(
            PetitionUnit.petition_id == petition_id, PetitionUnit.deleted_at.is_(None)
        )
    )
    handling = {row.unit_id: row.role for row in units}
    petition = session.get(Petition, petition_id)
    assert petition is not None
    return CaseSnapshot(petition_id, status, rules, calendar, handling, requesters, refused, petition.event_count or 0)


def role_for(snapshot: CaseSnapshot, actor: Actor, kind: EventType) -> Role | None:
    """The role in which `actor` may record `kind` on this case now (by table and unit scope), None if none."""
    for role in Role:
        if not actor.holds(role) or kind not in lifecycle.allowed_events(snapshot.status, role):
            continue
        if role in UNIT_ROLES and accountability_refusal(snapshot, actor, kind, role, four_eyes=False) is not None:
            continue
        return role
    return None


def accountability_refusal(
    snapshot: CaseSnapshot, actor: Actor, kind: EventType, role: Role, *, four_eyes: bool = True
) -> str | None:
    """The server's accountability rules (`efangtong_core.accountability`) on this PC: why not, or None.

    A unit role acts for the user's own unit; `four_eyes` False leaves out the self-approval rule (the button shows,
    and pressing it explains why not).
    """
    request = REQUEST_OF.get(kind)
    try:
        check_event(
            kind,
            role,
            actor_id=actor.user_id,
            actor_units=frozenset({actor.unit_id}) if role in UNIT_ROLES and actor.unit_id else None,
            actor_unit_id=actor.unit_id,
            handling_units=snapshot.handling_units,
            requester_id=snapshot.requesters.get(request) if request is not None and four_eyes else None,
        )
    except AccountabilityRefused as refused:
        return refused.reason
    return None


def available_actions(snapshot: CaseSnapshot, actor: Actor) -> list[EventType]:
    """The events `actor` may record on the case now (registering and correcting it belong to the registration)."""
    return [kind for kind in EventType if kind not in NOT_CASE_ACTIONS and role_for(snapshot, actor, kind) is not None]


def suggested_assignment_deadline(snapshot: CaseSnapshot, day: date) -> date:
    """The default 交办 deadline: the handling period (办理期限, 60 days) counted from `day` by the replica's rules."""
    rule = next((rule for rule in snapshot.rules if rule.code == dl.HANDLING), None)
    handling = rule or next(rule for rule in dl.DEFAULT_DEADLINE_RULES if rule.code == dl.HANDLING)
    return due_date(handling, day, snapshot.calendar)


def _check(snapshot: CaseSnapshot, actor: Actor, kind: EventType, at: datetime, payload: Mapping[str, Any]) -> Role:
    role = role_for(snapshot, actor, kind)
    if role is None:
        for held in (Role.from_code(code) for code in actor.roles if Role.has_code(code)):
            if held in UNIT_ROLES and kind in lifecycle.allowed_events(snapshot.status, held):
                raise ActionRefused(
                    accountability_refusal(snapshot, actor, kind, held) or texts.NO_ROLE.format(event=kind.label)
                )
        held_roles = [Role.from_code(code) for code in actor.roles if Role.has_code(code)]
        try:  # the lifecycle's own reason (state or role), with the first role held
            lifecycle.apply(snapshot.status, CaseEvent(kind, at, held_roles[0] if held_roles else Role.CLERK, payload))
        except TransitionRejected as rejected:
            raise ActionRefused(rejected.reason) from rejected
        raise ActionRefused(texts.NO_ROLE.format(event=kind.label))
    reason = accountability_refusal(snapshot, actor, kind, role)
    if reason is not None:
        raise ActionRefused(reason)
    return role


def record_event(
    factory: sessionmaker[Session],
    actor: Actor,
    petition_id: str,
    kind: EventType,
    payload: Mapping[str, Any] | None = None,
    *,
    attachments: Sequence[Path] = (),
    store: LocalAttachmentStore | None = None,
    now: datetime | None = None,
) -> str:
    """Append an event of `kind` to the case with its attachments and derived rows; returns the event's id."""
    body = {key: value for key, value in (payload or {}).items() if value not in (None, "", [], ())}
    at = now or utcnow()
    if attachments and store is None:
        raise ValueError("attachments need a blob store")
    blobs: list[StoredBlob] = []
    if attachments and store is not None:
        with factory() as session:  # check first, so refused input stores no attachment bytes
            _check_and_apply(session, load_case(session, petition_id), actor, kind, at, body)
        blobs = [_put(store, path) for path in attachments]
    with factory(bind=writing_engine(factory.kw["bind"])) as session, session.begin():
        snapshot = load_case(session, petition_id)  # inside the write lock: a double click is refused here
        if kind is EventType.ASSIGNED and "deadline" not in body:
            body["deadline"] = suggested_assignment_deadline(snapshot, local_day(at)).isoformat()
        before = snapshot.status
        role, after = _check_and_apply(session, snapshot, actor, kind, at, body)
        event = CaseEventRow(
            petition_id=petition_id,
            type=kind.value,
            at=at,
            actor_id=actor.user_id,
            actor_unit_id=actor.unit_id,
            role=role.value,
            payload=body,
            seq=snapshot.event_count + 1,
            origin=actor.device_id,
        )
        session.add(event)
        session.flush()
        for blob in blobs:
            session.add(attachment_row(blob, actor.device_id, petition_id=petition_id, case_event_id=event.id))
        session.flush()
        _write_projection(session, petition_id, before, after, CaseEvent(kind, at, role, body), actor)
        return event.id


def local_day(at: datetime) -> date:
    """The China-time date of `at`."""
    return local_time(at).date()


def _check_and_apply(
    session: Session, snapshot: CaseSnapshot, actor: Actor, kind: EventType, at: datetime, body: Mapping[str, Any]
) -> tuple[Role, CaseStatus]:
    role = _check(snapshot, actor, kind, at, body)
    _check_references(session, kind, body, petition_id=snapshot.petition_id)
    try:
        after = lifecycle.apply(
            snapshot.status, CaseEvent(kind, at, role, body), rules=snapshot.rules, calendar=snapshot.calendar
        )
    except TransitionRejected as rejected:
        raise ActionRefused(rejected.reason) from rejected
    return role, after


def _check_references(session: Session, kind: EventType, body: Mapping[str, Any], *, petition_id: str) -> None:
    """Units and the merge target named in the payload must exist on the replica."""
    if kind in (EventType.TRANSFERRED, EventType.ASSIGNED):
        lead = body.get("unit")
        if not isinstance(lead, str) or session.get(OrgUnit, lead) is None:
            raise ActionRefused(texts.UNIT_REQUIRED)
        co = body.get("co_units", [])
        if not isinstance(co, list) or any(not isinstance(u, str) or session.get(OrgUnit, u) is None for u in co):
            raise ActionRefused(texts.CO_UNIT_UNKNOWN)
        if lead in co:
            raise ActionRefused(texts.CO_UNIT_IS_LEAD)
    if kind is EventType.MERGED:
        into = body.get("into")
        target = session.get(Petition, into) if isinstance(into, str) else None
        if target is None:
            raise ActionRefused(texts.MERGE_TARGET_UNKNOWN)
        if target.id == petition_id:
            raise ActionRefused(texts.MERGE_INTO_ITSELF)
        if target.merged_into_id is not None:
            raise ActionRefused(texts.MERGE_TARGET_MERGED)


def _put(store: LocalAttachmentStore, path: Path) -> StoredBlob:
    try:
        return put_file(store, path)
    except OSError as error:
        raise ActionRefused(texts.ATTACHMENT_UNREADABLE.format(name=path.name, error=error)) from error


def _write_projection(
    session: Session, petition_id: str, before: CaseStatus | None, after: CaseStatus, event: CaseEvent, actor: Actor
) -> None:
    """Derived columns and unit rows, as plain statements: the outbox does not capture them (the server derives)."""
    petitions, units = Base.metadata.tables["petition"], Base.metadata.tables["petition_unit"]
    petition = dict(session.execute(select(petitions).where(petitions.c.id == petition_id)).one()._mapping)
    unit_rows = [dict(row._mapping) for row in session.execute(select(units).where(units.c.petition_id == petition_id))]
    result = project(
        petition_id=petition_id,
        petition=petition,
        before=before,
        after=after,
        event=event,
        actor_unit_id=actor.unit_id,
        unit_rows=unit_rows,
    )
    now = utcnow()
    session.execute(update(petitions).where(petitions.c.id == petition_id).values(**result.petition, updated_at=now))
    for write in result.units:
        if write.insert:
            session.execute(
                units.insert().values(**write.values, created_at=now, updated_at=now, origin=actor.device_id)
            )
        else:
            values = {key: value for key, value in write.values.items() if key != "id"}
            session.execute(update(units).where(units.c.id == write.values["id"]).values(**values, updated_at=now))
