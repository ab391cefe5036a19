"""Petition lifecycle: a case's state derived from its events; the one place that says which event may follow which.

`replay(events)` folds a case's events (in server order) into a `CaseStatus`; `apply(status, event)` adds one
event or raises `TransitionRejected` with a Chinese reason and a machine-readable `code`. The table of allowed
transitions (state × event → roles, next state) is data in `case_transitions`; this module adds what depends on
the case's history — once-only extension, time windows for objection, 复查 and 复核, 复核 as the end — and keeps the
open deadlines (`deadlines`) computed from the rules table and the holiday calendar.

Event times are local (China Standard Time); an aware `datetime` is converted to UTC+8 before its date is taken.
Events must not go back in time: an event earlier than the case's previous event is rejected.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from efangtong_core import deadlines as dl
from efangtong_core.case_effects import CLOSES, EFFECTS, Step, local_time, no_effect
from efangtong_core.case_states import (
    MESSAGES,
    STRUCTURAL_CODES,
    EventType,
    PetitionState,
    RejectionCode,
    ReviewOutcome,
    ReviewStage,
    TransitionRejected,
    rejection,
)
from efangtong_core.case_transitions import NEW, TERMINAL_STATES, TRANSITION_INDEX
from efangtong_core.deadlines import DEFAULT_DEADLINE_RULES, DeadlineRule, due_date
from efangtong_core.vocabulary import ReplyOutcome, Role, Satisfaction
from efangtong_core.workdays import HolidayCalendar, default_calendar

__all__ = [
    "STRUCTURAL_CODES",
    "CaseEvent",
    "CaseStatus",
    "EventType",
    "PetitionState",
    "RejectionCode",
    "ReviewOutcome",
    "ReviewStage",
    "TransitionRejected",
    "allowed_events",
    "apply",
    "replay",
]


@dataclass(frozen=True)
class CaseEvent:
    """One entry of a case's event log: what happened, when, recorded by which role, with its details."""

    type: EventType
    at: datetime
    role: Role
    payload: Mapping[str, object] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class CaseStatus:
    """A case's current state and what its history implies (deadlines, extension, reply, review stage)."""

    state: PetitionState
    registered_at: datetime
    last_event_at: datetime
    deadlines: Mapping[str, date] = field(default_factory=dict, hash=False)
    """Open periods by rule code: the last day of each (duties of the office, and windows in `WINDOW_RULES`)."""
    unit: str | None = None
    assigned_due: date | None = None
    supervision_due: date | None = None
    supervision_count: int = 0
    received_on: date | None = None
    accepted_on: date | None = None
    misroute_returns: int = 0
    extension_requested_days: int | None = None
    extension_days: int = 0
    extension_refusals: int = 0
    draft_outcome: ReplyOutcome | None = None
    reply_outcome: ReplyOutcome | None = None
    replied_on: date | None = None
    satisfaction: Satisfaction | None = None
    review_stage: ReviewStage = ReviewStage.NONE
    review_requested_on: date | None = None
    review_decided_on: date | None = None
    review_outcome: ReviewOutcome | None = None
    re_review_requested_on: date | None = None
    re_review_decided_on: date | None = None
    re_review_outcome: ReviewOutcome | None = None
    merged_into: str | None = None
    closed_on: date | None = None

    @property
    def extension_used(self) -> bool:
        """True once an extension has been approved (it may be approved only once)."""
        return self.extension_days > 0

    @property
    def handling_due(self) -> date | None:
        """The last day of the handling period (60 days from acceptance, plus any extension), while open."""
        return self.deadlines.get(dl.HANDLING)

    @property
    def is_final(self) -> bool:
        """True after the 复核 decision: the same facts and reasons are not accepted again (不再受理)."""
        return self.review_stage is ReviewStage.RE_REVIEW_DECIDED

    @property
    def is_terminal(self) -> bool:
        """True if no event can follow (不予受理, 不再受理, 已合并)."""
        return self.state in TERMINAL_STATES

    def duty_deadlines(self) -> dict[str, date]:
        """The open deadlines the office must meet: rule deadlines other than windows, plus 交办 and 督办 deadlines."""
        duties = {code: due for code, due in self.deadlines.items() if code not in dl.WINDOW_RULES}
        if self.assigned_due is not None:
            duties["assigned"] = self.assigned_due
        if self.supervision_due is not None:
            duties["supervised"] = self.supervision_due
        return duties

    @property
    def next_due(self) -> date | None:
        """The earliest open duty deadline, None if there is none."""
        return min(self.duty_deadlines().values(), default=None)

    def overdue(self, today: date) -> list[str]:
        """Codes of duty deadlines that ended before `today`."""
        return sorted(code for code, due in self.duty_deadlines().items() if due < today)


def allowed_events(status: CaseStatus | None, role: Role) -> list[EventType]:
    """The events `role` may record in the case's current state (None: not yet registered), by the table.

    History-dependent conditions (windows, once-only extension, 复核 as the end) are checked by `apply` only.
    """
    state = NEW if status is None else status.state
    return [event for event in EventType if role in _roles(state, event)]


def _roles(state: PetitionState | None, event: EventType) -> frozenset[Role]:
    transition = TRANSITION_INDEX.get((state, event))
    return frozenset() if transition is None else transition.roles


def apply(
    status: CaseStatus | None,
    event: CaseEvent,
    *,
    rules: Sequence[DeadlineRule] = DEFAULT_DEADLINE_RULES,
    calendar: HolidayCalendar | None = None,
) -> CaseStatus:
    """The status after `event` (`status` None: no events yet); raises `TransitionRejected` if it may not follow."""
    return _apply(status, event, {rule.code: rule for rule in rules}, calendar or default_calendar())


def replay(
    events: Iterable[CaseEvent],
    *,
    rules: Sequence[DeadlineRule] = DEFAULT_DEADLINE_RULES,
    calendar: HolidayCalendar | None = None,
) -> CaseStatus:
    """The status a case's events lead to; the first rejected event raises `TransitionRejected` (with `event_index`)."""
    index = {rule.code: rule for rule in rules}
    cal = calendar or default_calendar()
    status: CaseStatus | None = None
    for number, event in enumerate(events):
        try:
            status = _apply(status, event, index, cal)
        except TransitionRejected as rejected:
            rejected.event_index = number
            raise
    if status is None:
        raise TransitionRejected(RejectionCode.NOT_REGISTERED, MESSAGES[RejectionCode.NOT_REGISTERED])
    return status


def _apply(
    status: CaseStatus | None,
    event: CaseEvent,
    rules: Mapping[str, DeadlineRule],
    calendar: HolidayCalendar,
) -> CaseStatus:
    state = NEW if status is None else status.state
    transition = TRANSITION_INDEX.get((state, event.type))
    if transition is None:
        if status is None:
            raise rejection(RejectionCode.NOT_REGISTERED)
        raise rejection(RejectionCode.INVALID_TRANSITION, state=status.state.label, event=event.type.label)
    if event.role not in transition.roles:
        allowed = "、".join(role.label for role in Role if role in transition.roles)
        where = "未登记" if status is None else status.state.label
        raise rejection(
            RejectionCode.ROLE_NOT_ALLOWED, role=event.role.label, state=where, event=event.type.label, allowed=allowed
        )
    at = local_time(event.at)
    if status is None:
        status = CaseStatus(state=PetitionState.REGISTERED, registered_at=at, last_event_at=at)
    elif at < status.last_event_at:
        raise rejection(
            RejectionCode.OUT_OF_ORDER,
            event=event.type.label,
            at=f"{at:%Y-%m-%d %H:%M}",
            last=f"{status.last_event_at:%Y-%m-%d %H:%M}",
        )

    step = Step(status, event, at.date(), rules, calendar, dict(status.deadlines))
    EFFECTS.get(event.type, no_effect)(step)  # validates payload and history, then records changes

    target = transition.target or status.state
    if target in TERMINAL_STATES or target is PetitionState.RE_REVIEWED:
        step.deadlines.clear()
    for code in CLOSES.get(event.type, ()):
        step.deadlines.pop(code, None)
    for rule in rules.values():
        if rule.starts_at == event.type and rule.code not in dl.CAP_RULES:
            step.deadlines[rule.code] = due_date(rule, step.day, calendar)
    return dataclasses.replace(status, state=target, last_event_at=at, deadlines=step.deadlines, **step.changes)
