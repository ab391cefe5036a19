"""Who may record a case event beyond what the transition table says: the unit's own cases, and four eyes.

`lifecycle` decides which role may record an event in a state. These rules add who, and for which unit:

- A unit's people (承办员, 单位负责人) act only on cases their unit handles: any event of theirs needs one of the
  case's live handling units (petition_unit, 主办 or 协办) within their scope; the decisions that belong to the lead
  unit (受理 / 不予受理 / 不再受理, 异议退回, 延期, 处理意见) need the lead unit (主办). The unit an event names as the
  actor's (`actor_unit_id`) must be within the actor's scope too.
- Four eyes: nobody approves or refuses their own extension request, nor approves or returns the reply they drafted
  (the unit head approves another person's request or draft).

A county scope (a grant on the bureau) covers every unit. The server's merge calls `check_event` for each pushed event
after `lifecycle.apply` accepted it; a counter may call it offline to refuse early with the same reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from efangtong_core.case_states import EventType
from efangtong_core.models.petitions import UNIT_ROLE_LEAD
from efangtong_core.vocabulary import Role

UNIT_ROLES = frozenset({Role.HANDLER, Role.UNIT_HEAD})
"""Roles that act for a handling unit."""

LEAD_UNIT_EVENTS = frozenset(
    {
        EventType.ACCEPTED,
        EventType.NOT_ACCEPTED,
        EventType.NOT_REACCEPTED,
        EventType.RETURNED_MISROUTED,
        EventType.EXTENSION_REQUESTED,
        EventType.EXTENSION_APPROVED,
        EventType.EXTENSION_REFUSED,
        EventType.REPLY_DRAFTED,
        EventType.REPLY_RETURNED,
        EventType.REPLIED,
    }
)
"""Decisions of the lead unit (主办); a co-handling unit (协办) may sign for the case and add notes."""

REQUEST_OF: dict[EventType, EventType] = {
    EventType.EXTENSION_APPROVED: EventType.EXTENSION_REQUESTED,
    EventType.EXTENSION_REFUSED: EventType.EXTENSION_REQUESTED,
    EventType.REPLIED: EventType.REPLY_DRAFTED,
    EventType.REPLY_RETURNED: EventType.REPLY_DRAFTED,
}
"""A decision → the request it decides; the decider must not be the requester."""

REQUEST_EVENTS = frozenset(REQUEST_OF.values())


class AccountabilityCode(StrEnum):
    """Why an event was refused by these rules (the machine-readable half)."""

    NOT_HANDLING_UNIT = "not_handling_unit"
    NOT_LEAD_UNIT = "not_lead_unit"
    ACTOR_UNIT_OUT_OF_SCOPE = "actor_unit_out_of_scope"
    OWN_REQUEST = "own_request"


MESSAGES: dict[AccountabilityCode, str] = {
    AccountabilityCode.NOT_HANDLING_UNIT: "该信访件不由本单位承办，本单位不能进行「{event}」",
    AccountabilityCode.NOT_LEAD_UNIT: "「{event}」须由主办单位办理，本单位是协办单位或不是承办单位",
    AccountabilityCode.ACTOR_UNIT_OUT_OF_SCOPE: "事件所记的操作单位不在本账号的管辖范围内",
    AccountabilityCode.OWN_REQUEST: "不能{decision}本人提出的{request}，须由单位负责人中的其他人审批",
}

_DECISION_WORDS: dict[EventType, tuple[str, str]] = {
    EventType.EXTENSION_APPROVED: ("批准", "延期申请"),
    EventType.EXTENSION_REFUSED: ("驳回", "延期申请"),
    EventType.REPLIED: ("审批签发", "处理意见"),
    EventType.REPLY_RETURNED: ("退回", "处理意见"),
}


class AccountabilityRefused(ValueError):
    """An event this actor may not record; `str()` is the Chinese reason, `code` the machine-readable one."""

    def __init__(self, code: AccountabilityCode, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def refusal(code: AccountabilityCode, **fields: object) -> AccountabilityRefused:
    """A refusal with the code's Chinese message, its fields filled in."""
    return AccountabilityRefused(code, MESSAGES[code].format(**fields))


def check_event(
    event: EventType,
    role: Role,
    *,
    actor_id: str | None,
    actor_units: frozenset[str] | None,
    actor_unit_id: str | None,
    handling_units: Mapping[str, str],
    requester_id: str | None,
) -> None:
    """Raise `AccountabilityRefused` when this actor may not record `event` on the case.

    `actor_units` are the units the actor's scope covers (None: the county), `handling_units` the case's live
    handling units (unit id → lead/co), `requester_id` the user who recorded the request `event` decides, if any.
    """
    if actor_unit_id is not None and actor_units is not None and actor_unit_id not in actor_units:
        raise refusal(AccountabilityCode.ACTOR_UNIT_OUT_OF_SCOPE)
    if role in UNIT_ROLES and actor_units is not None:
        own = {unit: kind for unit, kind in handling_units.items() if unit in actor_units}
        if not own:
            raise refusal(AccountabilityCode.NOT_HANDLING_UNIT, event=event.label)
        if event in LEAD_UNIT_EVENTS and UNIT_ROLE_LEAD not in own.values():
            raise refusal(AccountabilityCode.NOT_LEAD_UNIT, event=event.label)
    if event in REQUEST_OF and actor_id is not None and requester_id == actor_id:
        decision, request = _DECISION_WORDS[event]
        raise refusal(AccountabilityCode.OWN_REQUEST, decision=decision, request=request)
