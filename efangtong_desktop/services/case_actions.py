"""The case actions a counter user takes (UI-free), one function per action, all offline on the replica.

Which actions the user may take now is `available_actions` (the lifecycle's `allowed_events` for the user's roles,
unit roles limited to cases their unit handles). Every action goes through `case_events.record_event`: checked by the
lifecycle (refused with its Chinese reason, nothing written), then the event, its attachments, the outbox entries and
the derived petition columns and unit rows in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from efangtong_core import deadlines as dl
from efangtong_core.case_states import ReviewOutcome
from efangtong_core.lifecycle import EventType
from efangtong_core.models import OrgUnit, Petition
from efangtong_core.routing_suggestions import UnitSuggestion, suggest_units
from efangtong_core.vocabulary import OrgUnitKind, ReplyOutcome, Satisfaction
from efangtong_desktop.services import case_texts as texts
from efangtong_desktop.services.case_events import (
    ActionRefused,
    Actor,
    CaseSnapshot,
    available_actions,
    load_case,
    record_event,
    suggested_assignment_deadline,
)
from sync.attachments import LocalAttachmentStore

__all__ = [
    "ActionRefused",
    "Actor",
    "CaseSnapshot",
    "available_actions",
    "load_case",
    "record_event",
    "suggested_assignment_deadline",
]

Factory = sessionmaker[Session]


def _required(value: str, field: str) -> str:
    text = value.strip()
    if not text:
        raise ActionRefused(texts.TEXT_REQUIRED.format(field=field))
    return text


# The bureau's dispatcher decides --------------------------------------------------------------------------------------
def accept(factory: Factory, actor: Actor, petition_id: str, *, notice: str = "") -> str:
    """受理: at the bureau (the dispatcher, the bureau becomes the lead unit) or by the unit that signed for it."""
    payload = {"notice": notice.strip(), "unit": actor.unit_id}
    return record_event(factory, actor, petition_id, EventType.ACCEPTED, payload)


def not_accept(factory: Factory, actor: Actor, petition_id: str, *, reason: str) -> str:
    """不予受理, with the reason the petitioner is told."""
    payload = {"reason": _required(reason, "不予受理的理由")}
    return record_event(factory, actor, petition_id, EventType.NOT_ACCEPTED, payload)


def not_reaccept(factory: Factory, actor: Actor, petition_id: str, *, reason: str) -> str:
    """不再受理 (the same facts after 复核), with the reason."""
    payload = {"reason": _required(reason, "不再受理的理由")}
    return record_event(factory, actor, petition_id, EventType.NOT_REACCEPTED, payload)


def route(
    factory: Factory,
    actor: Actor,
    petition_id: str,
    *,
    assign: bool,
    unit_id: str,
    co_unit_ids: Sequence[str] = (),
    deadline: date | None = None,
    note: str = "",
) -> str:
    """转送 (assign False) or 交办 (assign True, with a deadline: by default the handling period from today)."""
    payload: dict[str, object] = {"unit": unit_id, "co_units": list(dict.fromkeys(co_unit_ids)), "note": note.strip()}
    if assign and deadline is not None:
        payload["deadline"] = deadline.isoformat()
    kind = EventType.ASSIGNED if assign else EventType.TRANSFERRED
    return record_event(factory, actor, petition_id, kind, payload)


def find_case(session: Session, number: str) -> str | None:
    """The id of the case with this case number, provisional number or query code (as typed), None if none."""
    text = number.strip()
    if not text:
        return None
    query = select(Petition.id).where(
        Petition.deleted_at.is_(None),
        or_(Petition.case_number == text, Petition.provisional_number == text, Petition.query_code == text.upper()),
    )
    return session.scalars(query.limit(1)).first()


def merge_by_number(factory: Factory, actor: Actor, petition_id: str, *, number: str, reason: str) -> str:
    """合并 into the case the clerk names by its case number, provisional number or query code."""
    with factory() as session:
        into = find_case(session, number)
    if into is None:
        raise ActionRefused(texts.MERGE_TARGET_UNKNOWN)
    return merge(factory, actor, petition_id, into_petition_id=into, reason=reason)


def merge(factory: Factory, actor: Actor, petition_id: str, *, into_petition_id: str, reason: str) -> str:
    """合并: the case is a duplicate of `into_petition_id` and is handled there."""
    payload = {"into": into_petition_id, "reason": _required(reason, "合并理由")}
    return record_event(factory, actor, petition_id, EventType.MERGED, payload)


def close(factory: Factory, actor: Actor, petition_id: str, *, note: str = "") -> str:
    """办结."""
    return record_event(factory, actor, petition_id, EventType.CLOSED, {"note": note.strip()})


def supervise(factory: Factory, actor: Actor, petition_id: str, *, text: str, deadline: date | None) -> str:
    """督办: a note to the handling unit and optionally a new deadline."""
    payload = {"text": _required(text, "督办意见"), "deadline": deadline.isoformat() if deadline else None}
    return record_event(factory, actor, petition_id, EventType.SUPERVISED, payload)


# The handling unit ----------------------------------------------------------------------------------------------------
def sign_for(factory: Factory, actor: Actor, petition_id: str) -> str:
    """签收."""
    return record_event(factory, actor, petition_id, EventType.SIGNED_FOR)


def return_misrouted(factory: Factory, actor: Actor, petition_id: str, *, reason: str) -> str:
    """异议退回: not this unit's matter (within 5 working days of signing for it), back to the dispatcher."""
    payload = {"reason": _required(reason, "异议理由")}
    return record_event(factory, actor, petition_id, EventType.RETURNED_MISROUTED, payload)


def add_note(
    factory: Factory,
    actor: Actor,
    petition_id: str,
    *,
    text: str,
    attachments: Sequence[Path] = (),
    store: LocalAttachmentStore | None = None,
) -> str:
    """办理记录: text and/or attachments (images, audio, video, documents)."""
    if not text.strip() and not attachments:
        raise ActionRefused(texts.NOTE_EMPTY)
    payload = {"text": text.strip()}
    return record_event(factory, actor, petition_id, EventType.NOTE, payload, attachments=attachments, store=store)


def request_extension(factory: Factory, actor: Actor, petition_id: str, *, days: int, reason: str) -> str:
    """申请延期 (≤ 30 days, once, with a reason)."""
    payload = {"days": days, "reason": _required(reason, "延期理由")}
    return record_event(factory, actor, petition_id, EventType.EXTENSION_REQUESTED, payload)


def decide_extension(
    factory: Factory, actor: Actor, petition_id: str, *, approve: bool, days: int | None = None, reason: str = ""
) -> str:
    """批准延期 (optionally fewer days than requested) or 不批准延期 (with a reason); not by the requester."""
    if approve:
        return record_event(factory, actor, petition_id, EventType.EXTENSION_APPROVED, {"days": days})
    payload = {"reason": _required(reason, "不批准的理由")}
    return record_event(factory, actor, petition_id, EventType.EXTENSION_REFUSED, payload)


def draft_reply(factory: Factory, actor: Actor, petition_id: str, *, outcome: ReplyOutcome, text: str) -> str:
    """拟写处理意见 (支持 / 解释说明 / 不予支持), for the unit head to approve."""
    payload = {"outcome": outcome.value, "text": _required(text, "处理意见内容")}
    return record_event(factory, actor, petition_id, EventType.REPLY_DRAFTED, payload)


def decide_reply(factory: Factory, actor: Actor, petition_id: str, *, approve: bool, reason: str = "") -> str:
    """The unit head approves the draft (出具处理意见书) or returns it (退回修改, with a reason); not their own."""
    if approve:
        return record_event(factory, actor, petition_id, EventType.REPLIED, {})
    payload = {"reason": _required(reason, "退回理由")}
    return record_event(factory, actor, petition_id, EventType.REPLY_RETURNED, payload)


# After the written reply ----------------------------------------------------------------------------------------------
def evaluate(factory: Factory, actor: Actor, petition_id: str, *, satisfaction: Satisfaction, comment: str = "") -> str:
    """评价 (满意 / 基本满意 / 不满意) as the petitioner gives it."""
    payload = {"satisfaction": satisfaction.value, "comment": comment.strip()}
    return record_event(factory, actor, petition_id, EventType.EVALUATED, payload)


def request_review(factory: Factory, actor: Actor, petition_id: str, *, reason: str, re_review: bool = False) -> str:
    """申请复查 (within 30 days of the reply) or, with re_review, 申请复核 (within 30 days of the 复查意见)."""
    kind = EventType.RE_REVIEW_REQUESTED if re_review else EventType.REVIEW_REQUESTED
    payload = {"reason": _required(reason, "申请理由")}
    return record_event(factory, actor, petition_id, kind, payload)


def decide_review(
    factory: Factory, actor: Actor, petition_id: str, *, outcome: ReviewOutcome, text: str, re_review: bool = False
) -> str:
    """出具复查意见 or, with re_review, 出具复核意见 (维持 / 变更 / 撤销并责令重新办理)."""
    kind = EventType.RE_REVIEW_DECIDED if re_review else EventType.REVIEW_DECIDED
    payload = {"outcome": outcome.value, "text": _required(text, "意见内容")}
    return record_event(factory, actor, petition_id, kind, payload)


def extension_limit(snapshot: CaseSnapshot) -> int:
    """The longest extension the rules allow (30 days by default)."""
    rule = next((rule for rule in snapshot.rules if rule.code == dl.EXTENSION), None)
    return rule.days if rule else 30


@dataclass(frozen=True)
class RoutingChoices:
    """What the 转送/交办 dialog offers: the units, the suggested ones first, and the default 交办 deadline."""

    units: list[tuple[str, str]]
    suggestions: list[UnitSuggestion]
    default_deadline: date


def routing_choices(factory: Factory, petition_id: str, *, today: date) -> RoutingChoices:
    """Units a case may be routed to (towns, zones, departments), the routing suggestions, the default deadline."""
    with factory() as session:
        snapshot = load_case(session, petition_id)
        petition = session.get(Petition, petition_id)
        assert petition is not None
        kinds = (OrgUnitKind.TOWN.value, OrgUnitKind.ZONE.value, OrgUnitKind.DEPARTMENT.value)
        query = (
            select(OrgUnit.id, OrgUnit.name)
            .where(OrgUnit.deleted_at.is_(None), OrgUnit.active.is_not(False), OrgUnit.kind.in_(kinds))
            .order_by(OrgUnit.kind.desc(), OrgUnit.sort_order, func.length(OrgUnit.name), OrgUnit.name)
        )
        units = [(row.id, row.name) for row in session.execute(query)]
        try:
            suggestions = suggest_units(
                session, category_id=petition.category_id, town_id=petition.town_id, content=petition.content
            )
        except Exception:  # a suggestion is a help, never a reason the dialog cannot open
            suggestions = []
        return RoutingChoices(units, suggestions, suggested_assignment_deadline(snapshot, today))
