"""How each case event changes a case beyond its state: payload checks, history rules, and the deadlines it ends.

`lifecycle._apply` looks the event up in the transition table, then runs its effect here: the effect reads and
validates the payload, checks what depends on history (windows, once-only extension, 复核 as the end) and records
the changes to the status. Rejections use the Chinese messages of `case_states.MESSAGES`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar

from efangtong_core import deadlines as dl
from efangtong_core.case_states import (
    FIELD_LABELS,
    EventType,
    RejectionCode,
    ReviewOutcome,
    ReviewStage,
    TransitionRejected,
    member_of,
    rejection,
)
from efangtong_core.deadlines import DeadlineRule, due_date
from efangtong_core.vocabulary import ReplyOutcome, Satisfaction
from efangtong_core.workdays import DayKind, HolidayCalendar

if TYPE_CHECKING:
    from efangtong_core.lifecycle import CaseEvent, CaseStatus

CHINA_TZ = timezone(timedelta(hours=8), "CST")
_E = TypeVar("_E", bound=Enum)


def local_time(at: datetime) -> datetime:
    """`at` as a naive China Standard Time datetime (an aware one is converted to UTC+8)."""
    return at.astimezone(CHINA_TZ).replace(tzinfo=None) if at.tzinfo is not None else at


@dataclass
class Step:
    """What an effect function works with: the status before, the event, and the changes it makes."""

    status: CaseStatus
    event: CaseEvent
    day: date
    rules: Mapping[str, DeadlineRule]
    calendar: HolidayCalendar
    deadlines: dict[str, date]
    changes: dict[str, Any] = field(default_factory=dict)

    def due(self, code: str, start: date | None) -> date | None:
        """The last day of rule `code` started on `start`; None if the rule is not in the table or never started."""
        rule = self.rules.get(code)
        return None if rule is None or start is None else due_date(rule, start, self.calendar)

    def require_within(self, code: str, start: date | None, rejected_as: RejectionCode) -> None:
        """Reject the event when it comes after the last day of rule `code` started on `start`."""
        due = self.due(code, start)
        if due is not None and self.day > due:
            raise rejection(rejected_as, due=due)

    # Payload readers: each rejects a missing (when required) or malformed value with the field's Chinese name.
    def _missing(self, key: str) -> TransitionRejected:
        return rejection(RejectionCode.MISSING_PAYLOAD, event=self.event.type.label, field=FIELD_LABELS.get(key, key))

    def _invalid(self, key: str, value: object) -> TransitionRejected:
        label = FIELD_LABELS.get(key, key)
        return rejection(RejectionCode.INVALID_PAYLOAD, event=self.event.type.label, field=label, value=repr(value))

    def get_text(self, key: str, *, required: bool) -> str | None:
        """A text field; required and blank → MISSING_PAYLOAD, not a string → INVALID_PAYLOAD."""
        value = self.event.payload.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise self._missing(key)
            return None
        if not isinstance(value, str):
            raise self._invalid(key, value)
        return value.strip()

    def get_date(self, key: str, *, required: bool) -> date | None:
        """A date field (date, datetime or ISO text)."""
        value = self.event.payload.get(key)
        if value is None or value == "":
            if required:
                raise self._missing(key)
            return None
        if isinstance(value, datetime):
            return local_time(value).date()
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise self._invalid(key, value)

    def get_days(self, key: str, *, required: bool) -> int | None:
        """A positive whole number of days (int or digit text)."""
        value = self.event.payload.get(key)
        if value is None or value == "":
            if required:
                raise self._missing(key)
            return None
        if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
            value = int(value.strip())
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise self._invalid(key, value)
        return value

    def get_choice(self, key: str, kind: type[_E], *, required: bool) -> _E | None:
        """A member of `kind` given by its code or Chinese label."""
        value = self.event.payload.get(key)
        if value is None or value == "":
            if required:
                raise self._missing(key)
            return None
        try:
            return member_of(kind, value)
        except ValueError:
            raise self._invalid(key, value) from None


# Rule deadlines an event ends (besides those cleared when the case reaches a terminal state or the 复核 decision).
_DUTIES_BEFORE_REPLY = frozenset({dl.ROUTE, dl.ACCEPTANCE_NOTICE, dl.MISROUTE_OBJECTION, dl.HANDLING})
CLOSES: dict[EventType, frozenset[str]] = {
    EventType.TRANSFERRED: frozenset({dl.ROUTE}),
    EventType.ASSIGNED: frozenset({dl.ROUTE}),
    EventType.ACCEPTED: frozenset({dl.ROUTE, dl.ACCEPTANCE_NOTICE, dl.MISROUTE_OBJECTION}),
    EventType.RETURNED_MISROUTED: frozenset({dl.ACCEPTANCE_NOTICE, dl.MISROUTE_OBJECTION}),
    EventType.REPLIED: _DUTIES_BEFORE_REPLY,
    EventType.REVIEW_REQUESTED: frozenset({dl.REVIEW_REQUEST}),
    EventType.REVIEW_DECIDED: frozenset({dl.REVIEW_DECISION}),
    EventType.RE_REVIEW_REQUESTED: frozenset({dl.RE_REVIEW_REQUEST}),
    # Closing ends the office's duties; the petitioner's 复查/复核 windows stay open.
    EventType.CLOSED: _DUTIES_BEFORE_REPLY | {dl.REVIEW_DECISION, dl.RE_REVIEW_DECISION},
}


def no_effect(step: Step) -> None:
    return None


def _transferred(step: Step) -> None:
    step.changes.update(unit=step.get_text("unit", required=False), assigned_due=None)


def _deadline_before_event(step: Step, deadline: date) -> TransitionRejected:
    return rejection(RejectionCode.DEADLINE_BEFORE_EVENT, event=step.event.type.label, deadline=deadline, day=step.day)


def _assigned(step: Step) -> None:
    deadline = step.get_date("deadline", required=True)
    assert deadline is not None
    if deadline < step.day:
        raise rejection(
            RejectionCode.DEADLINE_BEFORE_EVENT, event=step.event.type.label, deadline=deadline, day=step.day
        )
    step.changes.update(unit=step.get_text("unit", required=False), assigned_due=deadline)


def _refused(step: Step) -> None:
    step.get_text("reason", required=True)
    step.changes.update(assigned_due=None, supervision_due=None)


def _returned_misrouted(step: Step) -> None:
    step.get_text("reason", required=True)
    step.require_within(dl.MISROUTE_OBJECTION, step.status.received_on, RejectionCode.OBJECTION_TOO_LATE)
    step.changes.update(
        unit=None,
        received_on=None,
        assigned_due=None,
        supervision_due=None,
        misroute_returns=step.status.misroute_returns + 1,
    )


def _extension_requested(step: Step) -> None:
    status = step.status
    if status.extension_used:
        raise rejection(RejectionCode.EXTENSION_USED)
    days = step.get_days("days", required=True)
    assert days is not None
    cap = step.rules.get(dl.EXTENSION)
    if cap is not None and days > cap.days:
        raise rejection(RejectionCode.EXTENSION_TOO_LONG, limit=cap.days, days=days)
    step.get_text("reason", required=True)
    if status.handling_due is not None and step.day > status.handling_due:
        raise rejection(RejectionCode.EXTENSION_TOO_LATE, due=status.handling_due)
    step.changes.update(extension_requested_days=days)


def _extension_approved(step: Step) -> None:
    requested = step.status.extension_requested_days or 0
    days = step.get_days("days", required=False) or requested
    if days > requested:
        raise rejection(RejectionCode.EXTENSION_MORE_THAN_REQUESTED, days=days, requested=requested)
    handling_due = step.status.handling_due
    if handling_due is not None:
        # The extension counts from the day after the original last day, in calendar days.
        cap = step.rules.get(dl.EXTENSION)
        period = dataclasses.replace(cap, days=days) if cap else _calendar_days(days)
        step.deadlines[dl.HANDLING] = step.calendar.add_days(handling_due, period)
    step.changes.update(extension_days=days, extension_requested_days=None)


def _calendar_days(days: int) -> DeadlineRule:
    return DeadlineRule(dl.EXTENSION, "延长办理期限", "", days, DayKind.CALENDAR, EventType.EXTENSION_APPROVED)


def _extension_refused(step: Step) -> None:
    step.changes.update(extension_requested_days=None, extension_refusals=step.status.extension_refusals + 1)


def _supervised(step: Step) -> None:
    deadline = step.get_date("deadline", required=False)
    if deadline is not None and deadline < step.day:
        raise rejection(
            RejectionCode.DEADLINE_BEFORE_EVENT, event=step.event.type.label, deadline=deadline, day=step.day
        )
    step.changes.update(
        supervision_count=step.status.supervision_count + 1,
        supervision_due=deadline if deadline is not None else step.status.supervision_due,
    )


def _reply_drafted(step: Step) -> None:
    step.changes.update(draft_outcome=step.get_choice("outcome", ReplyOutcome, required=True))


def _replied(step: Step) -> None:
    outcome = step.get_choice("outcome", ReplyOutcome, required=False) or step.status.draft_outcome
    step.changes.update(reply_outcome=outcome, replied_on=step.day, assigned_due=None, supervision_due=None)


def _review_requested(step: Step) -> None:
    status = step.status
    if status.is_final:
        raise rejection(RejectionCode.REVIEW_EXHAUSTED)
    if status.review_stage is not ReviewStage.NONE:
        raise rejection(RejectionCode.REVIEW_ALREADY_REQUESTED)
    step.require_within(dl.REVIEW_REQUEST, status.replied_on, RejectionCode.REVIEW_WINDOW_CLOSED)
    step.changes.update(review_stage=ReviewStage.REVIEW_REQUESTED, review_requested_on=step.day, closed_on=None)


def _review_decided(step: Step) -> None:
    outcome = step.get_choice("outcome", ReviewOutcome, required=True)
    step.changes.update(review_stage=ReviewStage.REVIEW_DECIDED, review_decided_on=step.day, review_outcome=outcome)


def _re_review_requested(step: Step) -> None:
    status = step.status
    if status.is_final:
        raise rejection(RejectionCode.REVIEW_EXHAUSTED)
    if status.review_stage is not ReviewStage.REVIEW_DECIDED:
        raise rejection(RejectionCode.RE_REVIEW_NOT_AVAILABLE)
    step.require_within(dl.RE_REVIEW_REQUEST, status.review_decided_on, RejectionCode.RE_REVIEW_WINDOW_CLOSED)
    step.changes.update(review_stage=ReviewStage.RE_REVIEW_REQUESTED, re_review_requested_on=step.day, closed_on=None)


def _re_review_decided(step: Step) -> None:
    outcome = step.get_choice("outcome", ReviewOutcome, required=True)
    step.changes.update(
        review_stage=ReviewStage.RE_REVIEW_DECIDED, re_review_decided_on=step.day, re_review_outcome=outcome
    )


def _merged(step: Step) -> None:
    step.changes.update(merged_into=step.get_text("into", required=True), assigned_due=None, supervision_due=None)


EFFECTS: dict[EventType, Callable[[Step], None]] = {
    EventType.TRANSFERRED: _transferred,
    EventType.ASSIGNED: _assigned,
    EventType.SIGNED_FOR: lambda step: step.changes.update(received_on=step.day),
    EventType.ACCEPTED: lambda step: step.changes.update(accepted_on=step.day),
    EventType.NOT_ACCEPTED: _refused,
    EventType.NOT_REACCEPTED: _refused,
    EventType.RETURNED_MISROUTED: _returned_misrouted,
    EventType.EXTENSION_REQUESTED: _extension_requested,
    EventType.EXTENSION_APPROVED: _extension_approved,
    EventType.EXTENSION_REFUSED: _extension_refused,
    EventType.SUPERVISED: _supervised,
    EventType.REPLY_DRAFTED: _reply_drafted,
    EventType.REPLY_RETURNED: lambda step: step.changes.update(draft_outcome=None),
    EventType.REPLIED: _replied,
    EventType.EVALUATED: lambda step: step.changes.update(
        satisfaction=step.get_choice("satisfaction", Satisfaction, required=True)
    ),
    EventType.CLOSED: lambda step: step.changes.update(closed_on=step.day),
    EventType.REVIEW_REQUESTED: _review_requested,
    EventType.REVIEW_DECIDED: _review_decided,
    EventType.RE_REVIEW_REQUESTED: _re_review_requested,
    EventType.RE_REVIEW_DECIDED: _re_review_decided,
    EventType.MERGED: _merged,
}
