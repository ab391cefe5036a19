"""The petition lifecycle: happy path, every rejection with its Chinese reason, roles, and history rules."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from efangtong_core import deadlines as dl
from efangtong_core.lifecycle import (
    CaseEvent,
    RejectionCode,
    ReviewStage,
    TransitionRejected,
    apply,
    replay,
)
from efangtong_core.vocabulary import ReplyOutcome, Satisfaction
from tests.core.lifecycle_cases import HANDLING, REPLIED, ROUTED, E, R, S, ev, rejected


def test_happy_path_from_registration_to_closing() -> None:
    status = replay([ev(E.REGISTERED, 0, R.CLERK)])
    assert status.state is S.REGISTERED and status.state.label == "待分办"
    assert status.deadlines == {dl.ROUTE: date(2025, 3, 18)}

    status = replay(ROUTED)
    assert status.state.label == "待受理"
    assert status.unit == "150627102" and status.assigned_due == date(2025, 5, 30)
    assert dl.ROUTE not in status.deadlines
    assert status.deadlines[dl.ACCEPTANCE_NOTICE] == date(2025, 3, 20)
    assert status.deadlines[dl.MISROUTE_OBJECTION] == date(2025, 3, 12)

    status = replay(HANDLING)
    assert status.state is S.IN_PROGRESS and status.accepted_on == date(2025, 3, 6)
    assert status.handling_due == date(2025, 5, 6)  # 60 days → Mon 5 May (劳动节) → Tue 6 May
    assert status.next_due == date(2025, 5, 6)

    events = [
        *HANDLING,
        ev(E.NOTE, 5, R.HANDLER, text="走访核实"),
        ev(E.SUPERVISED, 10, R.INSPECTOR, deadline="2025-04-30", note="加快办理"),
        ev(E.EXTENSION_REQUESTED, 50, R.HANDLER, days=30, reason="需要测绘鉴定"),
        ev(E.EXTENSION_APPROVED, 51, R.UNIT_HEAD),
        ev(E.REPLY_DRAFTED, 60, R.HANDLER, outcome="supported"),
        ev(E.REPLY_RETURNED, 61, R.UNIT_HEAD, reason="补充依据"),
        ev(E.REPLY_DRAFTED, 62, R.HANDLER, outcome=ReplyOutcome.SUPPORTED.label),
        ev(E.REPLIED, 63, R.UNIT_HEAD),
    ]
    status = replay(events)
    assert status.state.label == "已答复（待评价）"
    assert status.extension_used and status.extension_days == 30
    assert status.supervision_count == 1
    assert status.reply_outcome is ReplyOutcome.SUPPORTED and status.replied_on == date(2025, 5, 5)
    assert status.handling_due is None and status.assigned_due is None
    assert status.deadlines == {dl.REVIEW_REQUEST: date(2025, 6, 4)}
    assert status.next_due is None  # the 复查 window is the petitioner's, not a duty

    status = apply(status, ev(E.EVALUATED, 64, R.CLERK, satisfaction="satisfied"))
    status = apply(status, ev(E.CLOSED, 65, R.DISPATCHER))
    assert status.state.label == "已办结" and status.satisfaction is Satisfaction.SATISFIED
    assert status.closed_on == date(2025, 5, 7)


def test_extension_adds_days_after_the_original_last_day() -> None:
    status = replay(
        [
            *HANDLING,
            ev(E.EXTENSION_REQUESTED, 20, R.HANDLER, days="20", reason="情况复杂"),
            ev(E.EXTENSION_APPROVED, 21, R.UNIT_HEAD, days=10),
        ]
    )
    assert status.handling_due == date(2025, 5, 16)  # 6 May + 10 days
    assert status.extension_days == 10 and status.extension_requested_days is None


def test_bureau_may_accept_and_handle_itself() -> None:
    status = replay([ev(E.REGISTERED, 0, R.CLERK), ev(E.ACCEPTED, 1, R.DISPATCHER)])
    # Accepted 4 March: 60 days → Saturday 3 May, inside 劳动节 → Tuesday 6 May.
    assert status.state is S.IN_PROGRESS and status.deadlines == {dl.HANDLING: date(2025, 5, 6)}


def test_review_and_re_review_then_not_accepted_again() -> None:
    events = [
        *REPLIED,
        ev(E.EVALUATED, 42, R.CLERK, satisfaction="dissatisfied"),
        ev(E.REVIEW_REQUESTED, 60, R.CLERK),
        ev(E.REVIEW_DECIDED, 80, R.LEADER, outcome="upheld"),
        ev(E.CLOSED, 81, R.DISPATCHER),
        ev(E.RE_REVIEW_REQUESTED, 100, R.CLERK),
    ]
    status = replay(events)
    assert status.state.label == "复核中" and status.review_stage is ReviewStage.RE_REVIEW_REQUESTED
    assert status.deadlines[dl.RE_REVIEW_DECISION] == date(2025, 7, 11)
    status = apply(status, ev(E.RE_REVIEW_DECIDED, 110, R.DISPATCHER, outcome="维持"))
    assert status.state.label == "已复核（终结）" and status.is_final and status.deadlines == {}
    status = apply(status, ev(E.CLOSED, 111, R.DISPATCHER))
    for kind in (E.REVIEW_REQUESTED, E.RE_REVIEW_REQUESTED):
        with pytest.raises(TransitionRejected) as caught:
            apply(status, ev(kind, 112, R.CLERK))
        assert caught.value.code is RejectionCode.REVIEW_EXHAUSTED
        assert "不再受理" in str(caught.value)


def test_misrouted_case_goes_back_to_the_dispatcher_within_five_working_days() -> None:
    status = replay([*ROUTED, ev(E.RETURNED_MISROUTED, 9, R.HANDLER, reason="不属于本镇职权")])
    assert status.state is S.REGISTERED and status.misroute_returns == 1 and status.unit is None
    status = apply(status, ev(E.TRANSFERRED, 10, R.DISPATCHER, unit="150627100"))
    assert status.state.label == "已转送（待签收）"

    # Signed for Wednesday 5 March: the fifth working day is Wednesday 12 March; Thursday 13 is late.
    late = rejected(ROUTED, ev(E.RETURNED_MISROUTED, 10, R.HANDLER, reason="不属于本镇职权"))
    assert late.code is RejectionCode.OBJECTION_TOO_LATE
    assert str(late) == "异议退回须在签收后 5 个工作日内提出（截至 2025-03-12），现已超期"


def test_misrouted_objection_across_the_spring_festival() -> None:
    start = datetime(2025, 1, 20, 9)
    events = [
        CaseEvent(E.REGISTERED, start, R.CLERK),
        CaseEvent(E.TRANSFERRED, start + timedelta(days=1), R.DISPATCHER),
        CaseEvent(E.SIGNED_FOR, datetime(2025, 1, 24, 16), R.UNIT_HEAD),
    ]
    objection = CaseEvent(E.RETURNED_MISROUTED, datetime(2025, 2, 7, 17), R.HANDLER, {"reason": "非本单位"})
    assert replay([*events, objection]).state is S.REGISTERED
    too_late = CaseEvent(E.RETURNED_MISROUTED, datetime(2025, 2, 8, 9), R.HANDLER, {"reason": "非本单位"})
    with pytest.raises(TransitionRejected) as caught:
        replay([*events, too_late])
    assert caught.value.code is RejectionCode.OBJECTION_TOO_LATE and caught.value.event_index == 3


def test_second_extension_is_rejected() -> None:
    events = [
        *HANDLING,
        ev(E.EXTENSION_REQUESTED, 20, R.HANDLER, days=15, reason="情况复杂"),
        ev(E.EXTENSION_APPROVED, 21, R.UNIT_HEAD),
    ]
    error = rejected(events, ev(E.EXTENSION_REQUESTED, 30, R.HANDLER, days=10, reason="仍需调查"))
    assert error.code is RejectionCode.EXTENSION_USED
    assert str(error) == "本件已延期一次，办理期限只能延长一次（《信访工作条例》第三十二条）"


def test_a_refused_extension_may_be_asked_again() -> None:
    events = [
        *HANDLING,
        ev(E.EXTENSION_REQUESTED, 20, R.HANDLER, days=15, reason="情况复杂"),
        ev(E.EXTENSION_REFUSED, 21, R.UNIT_HEAD),
        ev(E.EXTENSION_REQUESTED, 22, R.HANDLER, days=10, reason="补充理由"),
    ]
    status = replay(events)
    assert status.state is S.EXTENSION_PENDING and status.extension_refusals == 1


@pytest.mark.parametrize(
    ("payload", "day", "code", "message"),
    [
        ({"days": 31, "reason": "x"}, 20, RejectionCode.EXTENSION_TOO_LONG, "延长期限不得超过 30 日，申请了 31 日"),
        ({"days": 10}, 20, RejectionCode.MISSING_PAYLOAD, "「申请延期」须填写理由"),
        ({"reason": "x"}, 20, RejectionCode.MISSING_PAYLOAD, "「申请延期」须填写延期天数"),
        ({"days": 0, "reason": "x"}, 20, RejectionCode.INVALID_PAYLOAD, "「申请延期」的延期天数无效：0"),
        (
            {"days": 10, "reason": "x"},
            65,
            RejectionCode.EXTENSION_TOO_LATE,
            "办理期限已于 2025-05-06 届满，不能再申请延期",
        ),
    ],
)
def test_extension_request_rejections(payload: dict[str, object], day: int, code: RejectionCode, message: str) -> None:
    error = rejected(HANDLING, ev(E.EXTENSION_REQUESTED, day, R.HANDLER, **payload))
    assert error.code is code and str(error) == message


def test_unit_head_cannot_approve_more_than_requested() -> None:
    events = [*HANDLING, ev(E.EXTENSION_REQUESTED, 20, R.HANDLER, days=10, reason="x")]
    error = rejected(events, ev(E.EXTENSION_APPROVED, 21, R.UNIT_HEAD, days=20))
    assert error.code is RejectionCode.EXTENSION_MORE_THAN_REQUESTED
    assert str(error) == "批准的延期天数（20 日）超过申请的天数（10 日）"


def test_late_review_request_is_rejected() -> None:
    # Replied Sunday 13 April 2025: the 30 days end on Tuesday 13 May.
    assert replay([*REPLIED, ev(E.REVIEW_REQUESTED, 71, R.CLERK)]).state is S.REVIEWING  # 13 May
    error = rejected(REPLIED, ev(E.REVIEW_REQUESTED, 72, R.CLERK))
    assert error.code is RejectionCode.REVIEW_WINDOW_CLOSED
    assert str(error) == "复查须自收到书面答复之日起 30 日内提出（截至 2025-05-13），现已逾期"


def test_review_may_be_requested_after_closing_but_only_once() -> None:
    events = [*REPLIED, ev(E.CLOSED, 42, R.DISPATCHER), ev(E.REVIEW_REQUESTED, 50, R.DISPATCHER)]
    status = replay(events)
    assert status.state is S.REVIEWING and status.closed_on is None
    assert status.deadlines[dl.REVIEW_DECISION] == date(2025, 5, 22)
    decided = [*events, ev(E.REVIEW_DECIDED, 55, R.LEADER, outcome="changed"), ev(E.CLOSED, 56, R.DISPATCHER)]
    error = rejected(decided, ev(E.REVIEW_REQUESTED, 57, R.CLERK))
    assert error.code is RejectionCode.REVIEW_ALREADY_REQUESTED


def test_re_review_needs_a_review_decision_and_its_window() -> None:
    closed = [*REPLIED, ev(E.CLOSED, 42, R.DISPATCHER)]
    assert rejected(closed, ev(E.RE_REVIEW_REQUESTED, 43, R.CLERK)).code is RejectionCode.RE_REVIEW_NOT_AVAILABLE
    decided = [*REPLIED, ev(E.REVIEW_REQUESTED, 45, R.CLERK), ev(E.REVIEW_DECIDED, 50, R.LEADER, outcome="upheld")]
    # Decided 22 April 2025: window to 22 May.
    assert replay([*decided, ev(E.RE_REVIEW_REQUESTED, 80, R.CLERK)]).state is S.RE_REVIEWING
    error = rejected(decided, ev(E.RE_REVIEW_REQUESTED, 81, R.CLERK))
    assert error.code is RejectionCode.RE_REVIEW_WINDOW_CLOSED and "2025-05-22" in str(error)
