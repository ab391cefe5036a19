"""The petition lifecycle: happy path, every rejection with its Chinese reason, roles, and history rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from efangtong_core import deadlines as dl
from efangtong_core.case_transitions import TRANSITIONS
from efangtong_core.lifecycle import (
    CaseEvent,
    CaseStatus,
    EventType,
    PetitionState,
    RejectionCode,
    ReviewStage,
    TransitionRejected,
    allowed_events,
    apply,
    replay,
)
from efangtong_core.vocabulary import ReplyOutcome, Role, Satisfaction

E, S, R = EventType, PetitionState, Role
T0 = datetime(2025, 3, 3, 9, 0)  # a Monday


def ev(kind: EventType, day: int, role: Role, **payload: object) -> CaseEvent:
    """An event `day` days after T0."""
    return CaseEvent(kind, T0 + timedelta(days=day), role, payload)


ROUTED = [
    ev(E.REGISTERED, 0, R.CLERK),
    ev(E.ASSIGNED, 1, R.DISPATCHER, deadline="2025-05-30", unit="150627102"),
    ev(E.SIGNED_FOR, 2, R.HANDLER),
]
HANDLING = [*ROUTED, ev(E.ACCEPTED, 3, R.HANDLER)]  # accepted Thursday 6 March → handling due 6 May
REPLIED = [
    *HANDLING,
    ev(E.REPLY_DRAFTED, 40, R.HANDLER, outcome="explained"),
    ev(E.REPLIED, 41, R.UNIT_HEAD),  # Sunday 13 April 2025
]


def rejected(events: list[CaseEvent], event: CaseEvent) -> TransitionRejected:
    with pytest.raises(TransitionRejected) as caught:
        apply(replay(events), event)
    return caught.value


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


@pytest.mark.parametrize(
    ("events", "event", "code", "message"),
    [
        ([], ev(E.ACCEPTED, 0, R.DISPATCHER), RejectionCode.NOT_REGISTERED, "信访件尚未登记，只能先进行「登记」"),
        (
            ROUTED,
            ev(E.REPLIED, 5, R.UNIT_HEAD),
            RejectionCode.INVALID_TRANSITION,
            "信访件当前状态为「待受理」，不能进行「出具处理意见书」",
        ),
        (
            HANDLING,
            ev(E.EXTENSION_APPROVED, 5, R.UNIT_HEAD),
            RejectionCode.INVALID_TRANSITION,
            "信访件当前状态为「办理中」，不能进行「批准延期」",
        ),
        (
            [ev(E.REGISTERED, 0, R.CLERK)],
            ev(E.REGISTERED, 1, R.CLERK),
            RejectionCode.INVALID_TRANSITION,
            "信访件当前状态为「待分办」，不能进行「登记」",
        ),
        (
            [ev(E.REGISTERED, 0, R.CLERK)],
            ev(E.ASSIGNED, 1, R.DISPATCHER),
            RejectionCode.MISSING_PAYLOAD,
            "「交办」须填写办理期限",
        ),
        (
            [ev(E.REGISTERED, 0, R.CLERK)],
            ev(E.ASSIGNED, 1, R.DISPATCHER, deadline="下月底"),
            RejectionCode.INVALID_PAYLOAD,
            "「交办」的办理期限无效：'下月底'",
        ),
        (
            [ev(E.REGISTERED, 0, R.CLERK)],
            ev(E.ASSIGNED, 5, R.DISPATCHER, deadline=date(2025, 3, 1)),
            RejectionCode.DEADLINE_BEFORE_EVENT,
            "「交办」指定的期限（2025-03-01）早于交办日期（2025-03-08）",
        ),
        (
            [ev(E.REGISTERED, 0, R.CLERK)],
            ev(E.NOT_ACCEPTED, 1, R.DISPATCHER),
            RejectionCode.MISSING_PAYLOAD,
            "「不予受理」须填写理由",
        ),
        (
            [ev(E.REGISTERED, 0, R.CLERK)],
            ev(E.MERGED, 1, R.DISPATCHER),
            RejectionCode.MISSING_PAYLOAD,
            "「合并」须填写合并到的信访件",
        ),
        (
            HANDLING,
            ev(E.REPLY_DRAFTED, 5, R.HANDLER, outcome="agreed"),
            RejectionCode.INVALID_PAYLOAD,
            "「拟写处理意见」的处理意见无效：'agreed'",
        ),
        (
            REPLIED,
            ev(E.EVALUATED, 45, R.CLERK),
            RejectionCode.MISSING_PAYLOAD,
            "「评价」须填写评价结果",
        ),
        (
            HANDLING,
            ev(E.NOTE, 1, R.HANDLER),
            RejectionCode.OUT_OF_ORDER,
            "「办理记录」的时间（2025-03-04 09:00）早于本件上一事件的时间（2025-03-06 09:00），请核对时间",
        ),
    ],
)
def test_rejections_carry_a_code_and_a_chinese_reason(
    events: list[CaseEvent], event: CaseEvent, code: RejectionCode, message: str
) -> None:
    with pytest.raises(TransitionRejected) as caught:
        apply(replay(events) if events else None, event)
    assert caught.value.code is code
    assert str(caught.value) == caught.value.reason == message
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("events", "event", "message"),
    [
        (
            [],
            ev(E.REGISTERED, 0, R.ADMIN),
            "「系统管理员」无权在「未登记」状态下进行「登记」，可由登记员办理",
        ),
        (
            [ev(E.REGISTERED, 0, R.CLERK)],
            ev(E.TRANSFERRED, 1, R.CLERK),
            "「登记员」无权在「待分办」状态下进行「转送」，可由分办员办理",
        ),
        (
            ROUTED[:2],
            ev(E.SIGNED_FOR, 2, R.DISPATCHER),
            "「分办员」无权在「已交办（待签收）」状态下进行「签收」，可由承办员、单位负责人办理",
        ),
        (
            [*HANDLING, ev(E.EXTENSION_REQUESTED, 5, R.HANDLER, days=10, reason="x")],
            ev(E.EXTENSION_APPROVED, 6, R.HANDLER),
            "「承办员」无权在「延期审批中」状态下进行「批准延期」，可由单位负责人办理",
        ),
        (
            [*HANDLING, ev(E.REPLY_DRAFTED, 5, R.HANDLER, outcome="supported")],
            ev(E.REPLIED, 6, R.HANDLER),
            "「承办员」无权在「答复待审批」状态下进行「出具处理意见书」，可由单位负责人办理",
        ),
        (
            HANDLING,
            ev(E.SUPERVISED, 5, R.DISPATCHER),
            "「分办员」无权在「办理中」状态下进行「督办」，可由局领导、督查员办理",
        ),
    ],
)
def test_role_restrictions(events: list[CaseEvent], event: CaseEvent, message: str) -> None:
    with pytest.raises(TransitionRejected) as caught:
        apply(replay(events) if events else None, event)
    assert caught.value.code is RejectionCode.ROLE_NOT_ALLOWED
    assert str(caught.value) == message


def test_admin_has_no_part_in_a_case() -> None:
    assert all(Role.ADMIN not in transition.roles for transition in TRANSITIONS)
    assert allowed_events(replay(HANDLING), Role.ADMIN) == []


def test_allowed_events_per_role() -> None:
    assert allowed_events(None, Role.CLERK) == [E.REGISTERED]
    registered = replay([ev(E.REGISTERED, 0, R.CLERK)])
    assert allowed_events(registered, Role.DISPATCHER) == [
        E.ACCEPTED,
        E.NOT_ACCEPTED,
        E.NOT_REACCEPTED,
        E.TRANSFERRED,
        E.ASSIGNED,
        E.MERGED,
    ]
    assert allowed_events(replay(HANDLING), Role.HANDLER) == [E.NOTE, E.EXTENSION_REQUESTED, E.REPLY_DRAFTED]
    assert allowed_events(replay(HANDLING), Role.UNIT_HEAD) == [E.NOTE]
    assert allowed_events(replay(ROUTED), Role.HANDLER) == [
        E.ACCEPTED,
        E.NOT_ACCEPTED,
        E.NOT_REACCEPTED,
        E.RETURNED_MISROUTED,
    ]


@pytest.mark.parametrize(
    ("event", "state"),
    [
        (ev(E.NOT_ACCEPTED, 1, R.DISPATCHER, reason="应通过诉讼途径解决"), S.NOT_ACCEPTED),
        (ev(E.NOT_REACCEPTED, 1, R.DISPATCHER, reason="已复核终结"), S.NOT_REACCEPTED),
        (ev(E.MERGED, 1, R.DISPATCHER, into="2025-000123"), S.MERGED),
    ],
)
def test_terminal_states_end_everything(event: CaseEvent, state: PetitionState) -> None:
    status = apply(replay([ev(E.REGISTERED, 0, R.CLERK)]), event)
    assert status.state is state and status.is_terminal and status.deadlines == {}
    assert all(allowed_events(status, role) == [] for role in Role)


def test_aware_times_are_taken_in_china_time() -> None:
    # 23:30 UTC on 2 March is 07:30 on 3 March in 伊金霍洛旗.
    utc = datetime(2025, 3, 2, 23, 30, tzinfo=UTC)
    status = apply(None, CaseEvent(E.REGISTERED, utc, R.CLERK))
    assert status.registered_at == datetime(2025, 3, 3, 7, 30)
    assert status.deadlines[dl.ROUTE] == date(2025, 3, 18)


def test_overdue_lists_duty_deadlines_only() -> None:
    status = replay(ROUTED)
    assert status.overdue(date(2025, 3, 13)) == []  # the objection window is not a duty
    assert status.overdue(date(2025, 3, 21)) == [dl.ACCEPTANCE_NOTICE]
    assert status.overdue(date(2025, 6, 1)) == [dl.ACCEPTANCE_NOTICE, "assigned"]


def test_status_without_rules_has_no_deadlines_and_no_windows() -> None:
    status = replay(REPLIED, rules=())
    assert status.deadlines == {}
    late = apply(status, ev(E.REVIEW_REQUESTED, 400, R.CLERK), rules=())
    assert late.state is S.REVIEWING


def test_case_status_is_a_value() -> None:
    assert replay(HANDLING) == replay(HANDLING)
    assert isinstance(replay(HANDLING), CaseStatus)
