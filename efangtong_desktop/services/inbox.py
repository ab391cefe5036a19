"""The 待办 inbox: which cases on the local replica the signed-in user must act on, by queue, with deadline urgency.

UI-free: `load_inbox` runs a few queries on a replica session (call it off the GUI thread) and returns plain rows;
`urgency_of` says how near a deadline is in working days, with the replica's holiday calendar.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from enum import Enum
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session, aliased

from efangtong_core.case_states import EventType, PetitionState
from efangtong_core.models import CaseEvent, ContentCategory, Holiday, OrgUnit, Petition, Petitioner, PetitionUnit
from efangtong_core.vocabulary import Role
from efangtong_core.workdays import HolidayCalendar, default_calendar

CHINA = timezone(timedelta(hours=8))
NEAR_WORKING_DAYS = 3
"""A deadline this many working days away or fewer is shown as near (黄)."""

S = PetitionState
AWAITING_SIGNATURE = (S.TRANSFERRED, S.ASSIGNED)
UNIT_HANDLING = (S.PENDING_ACCEPTANCE, S.IN_PROGRESS, S.EXTENSION_PENDING, S.REPLY_PENDING)
REVIEWS = (S.REVIEWING, S.RE_REVIEWING)
OPEN_STATES = (S.REGISTERED, *AWAITING_SIGNATURE, *UNIT_HANDLING, *REVIEWS)
"""States in which the office still owes the petitioner something (the duty deadlines run)."""


class Queue(Enum):
    """One tab of the inbox: its label and the roles that see it."""

    SIGN_FOR = ("sign_for", "待签收", frozenset({Role.HANDLER, Role.UNIT_HEAD}))
    HANDLING = ("handling", "办理中", frozenset({Role.HANDLER, Role.UNIT_HEAD}))
    EXTENSIONS = ("extensions", "延期待审批", frozenset({Role.UNIT_HEAD}))
    REPLIES = ("replies", "答复待审批", frozenset({Role.UNIT_HEAD}))
    ROUTING = ("routing", "待分办", frozenset({Role.DISPATCHER}))
    MISROUTED = ("misrouted", "异议退回", frozenset({Role.DISPATCHER}))
    REVIEWS = ("reviews", "复查复核", frozenset({Role.DISPATCHER, Role.LEADER}))
    SUPERVISED = ("supervised", "督办中", frozenset({Role.DISPATCHER, Role.LEADER, Role.INSPECTOR}))
    OVERDUE = ("overdue", "已超期", frozenset({Role.DISPATCHER, Role.LEADER, Role.INSPECTOR}))

    def __init__(self, code: str, label: str, roles: frozenset[Role]) -> None:
        self.code = code
        self.label = label
        self.roles = roles


def queues_for(roles: Iterable[str]) -> list[Queue]:
    """The queues (tabs) a user holding `roles` (vocabulary.Role codes) sees, in tab order."""
    held = set(roles)
    return [queue for queue in Queue if any(role.value in held for role in queue.roles)]


class Urgency(Enum):
    """How near a deadline is: normal, near (≤ 3 working days, 黄), due today (橙), overdue (红)."""

    NONE = "none"
    NORMAL = "normal"
    NEAR = "near"
    TODAY = "today"
    OVERDUE = "overdue"


def urgency_of(deadline: date | None, today: date, calendar: HolidayCalendar) -> tuple[Urgency, str]:
    """The urgency of `deadline` on `today` and its countdown in words."""
    if deadline is None:
        return Urgency.NONE, "—"
    if deadline < today:
        return Urgency.OVERDUE, f"超期 {(today - deadline).days} 天"
    if deadline == today:
        return Urgency.TODAY, "今日到期"
    working = calendar.working_days_between(today, deadline)
    text = f"剩 {(deadline - today).days} 天（{working} 个工作日）"
    return (Urgency.NEAR if working <= NEAR_WORKING_DAYS else Urgency.NORMAL), text


def china_today(now: datetime | None = None) -> date:
    """Today's date in China Standard Time."""
    return (now or datetime.now(UTC)).astimezone(CHINA).date()


def replica_calendar(session: Session) -> HolidayCalendar:
    """The shipped holiday calendar with the replica's holiday table laid over it."""
    rows = session.scalars(select(Holiday).where(Holiday.deleted_at.is_(None))).all()
    return default_calendar().overlaid(rows)


@dataclass(frozen=True)
class InboxUser:
    """Whose inbox: the user's unit and roles (from `SignedInUser`, online or offline)."""

    unit_id: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class InboxItem:
    """One case in a queue, with what the list shows."""

    petition_id: str
    number: str
    petitioner: str
    summary: str
    category: str
    town: str
    town_id: str | None
    state: str
    state_label: str
    unit: str
    registered_on: date
    deadline: date | None
    urgency: Urgency
    countdown: str


@dataclass
class Inbox:
    """Every queue of one user with its cases, computed at `today`."""

    today: date
    queues: dict[Queue, list[InboxItem]] = field(default_factory=dict)

    def count(self, queue: Queue) -> int:
        """How many cases wait in `queue`."""
        return len(self.queues.get(queue, []))


def _unit_scope(session: Session, unit_id: str) -> list[str]:
    """The unit and every unit below it."""
    children: dict[str | None, list[str]] = {}
    for row_id, parent_id in session.execute(select(OrgUnit.id, OrgUnit.parent_id).where(OrgUnit.deleted_at.is_(None))):
        children.setdefault(parent_id, []).append(row_id)
    scope, todo = [], [unit_id]
    while todo:
        current = todo.pop()
        if current not in scope:
            scope.append(current)
            todo.extend(children.get(current, []))
    return scope


SUMMARY_LENGTH = 80
Query = Select[*tuple[Any, ...]]


def _base() -> Query:
    """The columns a list row needs (not the whole petition: its content may be long), with the names joined in."""
    town, lead = aliased(OrgUnit), aliased(OrgUnit)
    return (
        select(
            Petition.id,
            Petition.case_number,
            Petition.provisional_number,
            func.substr(func.coalesce(Petition.title, Petition.content), 1, SUMMARY_LENGTH * 2).label("summary"),
            Petition.town_id,
            Petition.state,
            Petition.registered_at,
            Petition.deadline,
            Petitioner.name.label("petitioner"),
            ContentCategory.name.label("category"),
            town.name.label("town"),
            lead.name.label("unit"),
        )
        .outerjoin(Petitioner, Petitioner.id == Petition.petitioner_id)
        .outerjoin(ContentCategory, ContentCategory.id == Petition.category_id)
        .outerjoin(town, town.id == Petition.town_id)
        .outerjoin(lead, lead.id == Petition.lead_unit_id)
        .where(Petition.deleted_at.is_(None))
    )


def _states(states: Collection[PetitionState]) -> list[str]:
    return [state.value for state in states]


def _handled_by(units: list[str]) -> ColumnElement[bool]:
    # Uncorrelated IN subqueries: SQLite runs each once, where a correlated EXISTS rescanned the unit's rows per case.
    handled = select(PetitionUnit.petition_id).where(PetitionUnit.unit_id.in_(units), PetitionUnit.deleted_at.is_(None))
    return or_(Petition.lead_unit_id.in_(units), Petition.id.in_(handled))


def _has_event(event: EventType) -> ColumnElement[bool]:
    having = select(CaseEvent.petition_id).where(CaseEvent.type == event.value, CaseEvent.deleted_at.is_(None))
    return Petition.id.in_(having)


def _query(queue: Queue, units: list[str], today: date) -> Query:
    base = _base()
    match queue:
        case Queue.SIGN_FOR:
            return base.where(Petition.state.in_(_states(AWAITING_SIGNATURE)), _handled_by(units))
        case Queue.HANDLING:
            return base.where(Petition.state.in_(_states(UNIT_HANDLING)), _handled_by(units))
        case Queue.EXTENSIONS:
            return base.where(Petition.state == S.EXTENSION_PENDING.value, _handled_by(units))
        case Queue.REPLIES:
            return base.where(Petition.state == S.REPLY_PENDING.value, _handled_by(units))
        case Queue.ROUTING | Queue.MISROUTED:
            return base.where(Petition.state == S.REGISTERED.value)
        case Queue.REVIEWS:
            return base.where(Petition.state.in_(_states(REVIEWS)))
        case Queue.SUPERVISED:
            return base.where(Petition.state.in_(_states(OPEN_STATES)), _has_event(EventType.SUPERVISED))
        case Queue.OVERDUE:
            return base.where(Petition.state.in_(_states(OPEN_STATES)), Petition.deadline < today)
    raise ValueError(queue)


def _returned_as_misrouted(session: Session, petition_ids: list[str]) -> set[str]:
    """Of the registered petitions `petition_ids`, those whose latest routing step was a misroute objection."""
    steps = (EventType.RETURNED_MISROUTED, EventType.TRANSFERRED, EventType.ASSIGNED, EventType.REGISTERED)
    codes = {step.value for step in steps}
    latest: dict[str, str] = {}
    for start in range(0, len(petition_ids), 500):
        query = (
            select(CaseEvent.petition_id, CaseEvent.type)
            .where(CaseEvent.petition_id.in_(petition_ids[start : start + 500]), CaseEvent.deleted_at.is_(None))
            .order_by(CaseEvent.at, CaseEvent.seq)
        )
        for petition_id, event_type in session.execute(query):  # by the petition index; few events per case
            if event_type in codes:
                latest[petition_id] = event_type
    return {petition_id for petition_id, kind in latest.items() if kind == EventType.RETURNED_MISROUTED.value}


def _item(row: Any, today: date, calendar: HolidayCalendar) -> InboxItem:
    urgency, countdown = urgency_of(row.deadline, today, calendar)
    state_label = S.from_code(row.state).label if S.has_code(row.state) else row.state
    summary = " ".join((row.summary or "").split())
    return InboxItem(
        petition_id=row.id,
        number=row.case_number or row.provisional_number or "（待编号）",
        petitioner=row.petitioner or "",
        summary=summary[:SUMMARY_LENGTH],
        category=row.category or "",
        town=row.town or "",
        town_id=row.town_id,
        state=row.state,
        state_label=state_label,
        unit=row.unit or "",
        registered_on=row.registered_at.astimezone(CHINA).date(),
        deadline=row.deadline,
        urgency=urgency,
        countdown=countdown,
    )


def load_inbox(session: Session, *, user: InboxUser, today: date, calendar: HolidayCalendar | None = None) -> Inbox:
    """Every queue `user` sees with its cases, soonest deadline first (cases without a deadline last)."""
    calendar = calendar or replica_calendar(session)
    units = _unit_scope(session, user.unit_id)
    inbox = Inbox(today=today)
    for queue in queues_for(user.roles):
        rows = session.execute(_query(queue, units, today)).all()
        if queue in (Queue.ROUTING, Queue.MISROUTED):
            returned = _returned_as_misrouted(session, [row.id for row in rows])
            rows = [row for row in rows if (row.id in returned) == (queue is Queue.MISROUTED)]
        items = [_item(row, today, calendar) for row in rows]
        items.sort(key=lambda item: (item.deadline is None, item.deadline or today, item.registered_on, item.number))
        inbox.queues[queue] = items
    return inbox
