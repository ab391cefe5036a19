"""The petition lifecycle: every rejection with its code and Chinese reason, role restrictions, edge rules."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from efangtong_core import deadlines as dl
from efangtong_core.case_transitions import TRANSITIONS
from efangtong_core.lifecycle import (
    CaseEvent,
    CaseStatus,
    PetitionState,
    RejectionCode,
    TransitionRejected,
    allowed_events,
    apply,
    replay,
)
from efangtong_core.vocabulary import Role
from tests.core.lifecycle_cases import HANDLING, REPLIED, ROUTED, E, R, S, ev


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
