"""Property tests: no sequence of events reaches an undefined state, and `allowed_events` agrees with `apply`."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import event as note_event
from hypothesis import strategies as st

from efangtong_core.case_transitions import NEW, TERMINAL_STATES, TRANSITION_INDEX, TRANSITIONS
from efangtong_core.lifecycle import (
    STRUCTURAL_CODES,
    CaseEvent,
    CaseStatus,
    EventType,
    PetitionState,
    ReviewOutcome,
    ReviewStage,
    TransitionRejected,
    allowed_events,
    apply,
    replay,
)
from efangtong_core.vocabulary import ReplyOutcome, Role, Satisfaction
from efangtong_core.workdays import default_calendar

CAL = default_calendar()
E = EventType
FIELDS = ("deadline", "days", "reason", "outcome", "satisfaction", "into", "unit", "text")
JUNK = st.one_of(
    st.none(),
    st.text(max_size=5),
    st.integers(-5, 100),
    st.booleans(),
    st.floats(allow_nan=True),
    st.dates(date(2023, 1, 1), date(2027, 12, 31)),
    st.sampled_from([*ReplyOutcome, *Satisfaction, *ReviewOutcome, "2025-02-30", "１０"]),
)


@st.composite
def sensible_payload(draw: st.DrawFn, kind: EventType, day: date) -> dict[str, Any]:
    """A payload that is usually valid for `kind` (days and deadlines may still break history rules)."""
    payload: dict[str, Any] = {}
    if kind in (E.ASSIGNED, E.SUPERVISED) and (kind is E.ASSIGNED or draw(st.booleans())):
        payload["deadline"] = (day + timedelta(days=draw(st.integers(-2, 90)))).isoformat()
    if kind in (E.NOT_ACCEPTED, E.NOT_REACCEPTED, E.RETURNED_MISROUTED, E.EXTENSION_REQUESTED):
        payload["reason"] = "理由"
    if kind is E.EXTENSION_REQUESTED:
        payload["days"] = draw(st.integers(1, 35))
    if kind is E.EXTENSION_APPROVED and draw(st.booleans()):
        payload["days"] = draw(st.integers(1, 30))
    if kind in (E.REPLY_DRAFTED, E.REPLIED) and (kind is E.REPLY_DRAFTED or draw(st.booleans())):
        payload["outcome"] = draw(st.sampled_from(ReplyOutcome))
    if kind in (E.REVIEW_DECIDED, E.RE_REVIEW_DECIDED):
        payload["outcome"] = draw(st.sampled_from(ReviewOutcome))
    if kind is E.EVALUATED:
        payload["satisfaction"] = draw(st.sampled_from(Satisfaction))
    if kind is E.MERGED:
        payload["into"] = "2025-000001"
    if kind in (E.TRANSFERRED, E.ASSIGNED):
        payload["unit"] = "150627100"
    return payload


def check_invariants(status: CaseStatus) -> None:
    """What must hold of every status a sequence of events can reach."""
    assert isinstance(status.state, PetitionState)
    assert isinstance(status.review_stage, ReviewStage)
    assert all(isinstance(due, date) and CAL.is_working_day(due) for due in status.deadlines.values())
    assert 0 <= status.extension_days <= 30
    if status.state in TERMINAL_STATES or status.state is PetitionState.RE_REVIEWED:
        assert status.deadlines == {}
    if status.state is PetitionState.REVIEWING:
        assert status.review_stage is ReviewStage.REVIEW_REQUESTED
    if status.state is PetitionState.RE_REVIEWING:
        assert status.review_stage is ReviewStage.RE_REVIEW_REQUESTED
    if status.state is PetitionState.RE_REVIEWED:
        assert status.is_final
    if status.state is PetitionState.EXTENSION_PENDING:
        assert status.extension_requested_days is not None and not status.extension_used
    if status.state in (PetitionState.REPLIED, PetitionState.EVALUATED):
        assert status.replied_on is not None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_no_sequence_of_events_reaches_an_undefined_state(data: st.DataObject) -> None:
    at = data.draw(st.datetimes(datetime(2024, 1, 1), datetime(2026, 6, 30)), label="start")
    status: CaseStatus | None = None
    accepted: list[CaseEvent] = []
    for _ in range(data.draw(st.integers(1, 40), label="length")):
        role = data.draw(st.sampled_from(Role), label="role")
        listed = allowed_events(status, role)
        # Mostly an event the table allows for some role, so that walks go deep; sometimes anything at all.
        state = NEW if status is None else status.state
        reachable = [kind for kind in E if (state, kind) in TRANSITION_INDEX]
        if reachable and data.draw(st.integers(0, 9), label="guided") < 8:
            kind = data.draw(st.sampled_from(reachable), label="event")
            allowed_roles = sorted(TRANSITION_INDEX[(state, kind)].roles)
            if data.draw(st.integers(0, 9), label="right role") < 8:
                role = data.draw(st.sampled_from(allowed_roles), label="role'")
                listed = allowed_events(status, role)
        else:
            kind = data.draw(st.sampled_from(E), label="event")
        at += timedelta(hours=data.draw(st.integers(-30, 24 * 40), label="hours later"))
        if data.draw(st.integers(0, 9), label="junk") == 0:
            payload = data.draw(st.dictionaries(st.sampled_from(FIELDS), JUNK, max_size=4), label="payload")
        else:
            payload = data.draw(sensible_payload(kind, at.date()), label="payload")
        event = CaseEvent(kind, at, role, payload)
        try:
            new = apply(status, event)
        except TransitionRejected as rejected:
            # Not in the table for this role ⇔ a structural rejection; otherwise a history or payload condition.
            assert (rejected.code in STRUCTURAL_CODES) == (kind not in listed), (kind, role, rejected.code)
            assert rejected.reason and not rejected.reason.isascii()
            note_event(f"rejected {rejected.code.value}")
            continue
        assert kind in listed
        check_invariants(new)
        note_event(f"reached {new.state.value}")
        status = new
        accepted.append(event)
    if accepted:
        assert replay(accepted) == status


def test_every_state_is_reachable_and_every_open_state_has_a_way_on() -> None:
    reached: set[PetitionState] = set()
    frontier: list[PetitionState | None] = [NEW]
    while frontier:
        state = frontier.pop()
        for (source, _kind), transition in TRANSITION_INDEX.items():
            target = transition.target or source
            if source == state and target is not None and target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(PetitionState)
    for state in set(PetitionState) - TERMINAL_STATES:
        assert any(source == state and transition.target for (source, _), transition in TRANSITION_INDEX.items())


def test_every_table_row_names_at_least_one_role_and_no_admin() -> None:
    assert all(transition.roles and Role.ADMIN not in transition.roles for transition in TRANSITIONS)
