"""The case vocabulary: petition states, case event types, review outcomes, and the reasons an event is rejected.

Imported through `efangtong_core.lifecycle`, which says which event may follow which. The codes are stored in the
database and sent over sync; the labels and messages are what clerks and handlers see.
"""

from __future__ import annotations

from enum import Enum, StrEnum
from typing import TypeVar

from efangtong_core.vocabulary import LabelledEnum

_E = TypeVar("_E", bound=Enum)


def member_of(kind: type[_E], value: object) -> _E:
    """The member of `kind` whose code (or Chinese label) is `value`; ValueError if none."""
    for member in kind:
        if value == member.value or value == getattr(member, "label", None):
            return member
    raise ValueError(f"{value!r} 不是有效的{kind.__doc__ or kind.__name__}")


class PetitionState(LabelledEnum):
    """信访件状态"""

    REGISTERED = "registered", "待分办"
    TRANSFERRED = "transferred", "已转送（待签收）"
    ASSIGNED = "assigned", "已交办（待签收）"
    PENDING_ACCEPTANCE = "pending_acceptance", "待受理"
    IN_PROGRESS = "in_progress", "办理中"
    EXTENSION_PENDING = "extension_pending", "延期审批中"
    REPLY_PENDING = "reply_pending", "答复待审批"
    REPLIED = "replied", "已答复（待评价）"
    EVALUATED = "evaluated", "已评价（待办结）"
    REVIEWING = "reviewing", "复查中"
    REVIEWED = "reviewed", "已复查"
    RE_REVIEWING = "re_reviewing", "复核中"
    RE_REVIEWED = "re_reviewed", "已复核（终结）"
    CLOSED = "closed", "已办结"
    NOT_ACCEPTED = "not_accepted", "不予受理"
    NOT_REACCEPTED = "not_reaccepted", "不再受理"
    MERGED = "merged", "已合并"


class EventType(LabelledEnum):
    """事件类型"""

    REGISTERED = "registered", "登记"
    ACCEPTED = "accepted", "受理"
    NOT_ACCEPTED = "not_accepted", "不予受理"
    NOT_REACCEPTED = "not_reaccepted", "不再受理"
    TRANSFERRED = "transferred", "转送"
    ASSIGNED = "assigned", "交办"
    SIGNED_FOR = "signed_for", "签收"
    RETURNED_MISROUTED = "returned_misrouted", "异议退回"
    NOTE = "note", "办理记录"
    EXTENSION_REQUESTED = "extension_requested", "申请延期"
    EXTENSION_APPROVED = "extension_approved", "批准延期"
    EXTENSION_REFUSED = "extension_refused", "不批准延期"
    SUPERVISED = "supervised", "督办"
    REPLY_DRAFTED = "reply_drafted", "拟写处理意见"
    REPLY_RETURNED = "reply_returned", "处理意见退回修改"
    REPLIED = "replied", "出具处理意见书"
    EVALUATED = "evaluated", "评价"
    REVIEW_REQUESTED = "review_requested", "申请复查"
    REVIEW_DECIDED = "review_decided", "出具复查意见"
    RE_REVIEW_REQUESTED = "re_review_requested", "申请复核"
    RE_REVIEW_DECIDED = "re_review_decided", "出具复核意见"
    CLOSED = "closed", "办结"
    MERGED = "merged", "合并"
    REGISTRATION_CORRECTED = "registration_corrected", "更正登记"


class ReviewOutcome(LabelledEnum):
    """复查（复核）意见"""

    UPHELD = "upheld", "维持"
    CHANGED = "changed", "变更"
    REVOKED = "revoked", "撤销并责令重新办理"


class ReviewStage(LabelledEnum):
    """复查复核阶段"""

    NONE = "none", "未申请复查"
    REVIEW_REQUESTED = "review_requested", "已申请复查"
    REVIEW_DECIDED = "review_decided", "已出具复查意见"
    RE_REVIEW_REQUESTED = "re_review_requested", "已申请复核"
    RE_REVIEW_DECIDED = "re_review_decided", "复核终结"


class RejectionCode(StrEnum):
    """Why an event was rejected; the machine-readable half of `TransitionRejected`."""

    # The event is not in the transition table for this state, or not for this role.
    NOT_REGISTERED = "not_registered"
    INVALID_TRANSITION = "invalid_transition"
    ROLE_NOT_ALLOWED = "role_not_allowed"
    # The table allows it, but the event or the case's history does not.
    OUT_OF_ORDER = "out_of_order"
    MISSING_PAYLOAD = "missing_payload"
    INVALID_PAYLOAD = "invalid_payload"
    DEADLINE_BEFORE_EVENT = "deadline_before_event"
    OBJECTION_TOO_LATE = "objection_too_late"
    EXTENSION_USED = "extension_used"
    EXTENSION_TOO_LONG = "extension_too_long"
    EXTENSION_TOO_LATE = "extension_too_late"
    EXTENSION_MORE_THAN_REQUESTED = "extension_more_than_requested"
    REVIEW_WINDOW_CLOSED = "review_window_closed"
    REVIEW_ALREADY_REQUESTED = "review_already_requested"
    RE_REVIEW_NOT_AVAILABLE = "re_review_not_available"
    RE_REVIEW_WINDOW_CLOSED = "re_review_window_closed"
    REVIEW_EXHAUSTED = "review_exhausted"


class TransitionRejected(ValueError):
    """An event that may not follow the case's current state or history; `str()` is the Chinese reason."""

    def __init__(self, code: RejectionCode, reason: str, *, event_index: int | None = None) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason
        self.event_index = event_index


def rejection(code: RejectionCode, **fields: object) -> TransitionRejected:
    """A `TransitionRejected` with the message of `code`, its fields filled in."""
    return TransitionRejected(code, MESSAGES[code].format(**fields))


STRUCTURAL_CODES = frozenset(
    {RejectionCode.NOT_REGISTERED, RejectionCode.INVALID_TRANSITION, RejectionCode.ROLE_NOT_ALLOWED}
)
"""Codes meaning "not allowed here at all" — exactly the events `allowed_events` leaves out."""

# The Chinese reasons users see, one per code; `{…}` fields are filled in by lifecycle.
MESSAGES: dict[RejectionCode, str] = {
    RejectionCode.NOT_REGISTERED: "信访件尚未登记，只能先进行「登记」",
    RejectionCode.INVALID_TRANSITION: "信访件当前状态为「{state}」，不能进行「{event}」",
    RejectionCode.ROLE_NOT_ALLOWED: "「{role}」无权在「{state}」状态下进行「{event}」，可由{allowed}办理",
    RejectionCode.OUT_OF_ORDER: "「{event}」的时间（{at}）早于本件上一事件的时间（{last}），请核对时间",
    RejectionCode.MISSING_PAYLOAD: "「{event}」须填写{field}",
    RejectionCode.INVALID_PAYLOAD: "「{event}」的{field}无效：{value}",
    RejectionCode.DEADLINE_BEFORE_EVENT: "「{event}」指定的期限（{deadline}）早于{event}日期（{day}）",
    RejectionCode.OBJECTION_TOO_LATE: "异议退回须在签收后 5 个工作日内提出（截至 {due}），现已超期",
    RejectionCode.EXTENSION_USED: "本件已延期一次，办理期限只能延长一次（《信访工作条例》第三十二条）",
    RejectionCode.EXTENSION_TOO_LONG: "延长期限不得超过 {limit} 日，申请了 {days} 日",
    RejectionCode.EXTENSION_TOO_LATE: "办理期限已于 {due} 届满，不能再申请延期",
    RejectionCode.EXTENSION_MORE_THAN_REQUESTED: "批准的延期天数（{days} 日）超过申请的天数（{requested} 日）",
    RejectionCode.REVIEW_WINDOW_CLOSED: "复查须自收到书面答复之日起 30 日内提出（截至 {due}），现已逾期",
    RejectionCode.REVIEW_ALREADY_REQUESTED: "本件已申请过复查，对复查意见不服的应申请复核",
    RejectionCode.RE_REVIEW_NOT_AVAILABLE: "尚未出具复查意见，不能申请复核",
    RejectionCode.RE_REVIEW_WINDOW_CLOSED: "复核须自收到复查意见之日起 30 日内提出（截至 {due}），现已逾期",
    RejectionCode.REVIEW_EXHAUSTED: "本件已复核终结，同一事实和理由不再受理（《信访工作条例》第三十六条）",
}

# Field names as users see them in MISSING_PAYLOAD / INVALID_PAYLOAD messages.
FIELD_LABELS: dict[str, str] = {
    "deadline": "办理期限",
    "days": "延期天数",
    "reason": "理由",
    "outcome": "处理意见",
    "satisfaction": "评价结果",
    "into": "合并到的信访件",
    "unit": "承办单位",
}
