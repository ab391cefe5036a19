"""Demo case histories: a plan per petition, walked event by event through `efangtong_core.lifecycle`.

Every event is applied with `lifecycle.apply` as it is generated, so a history the generator produces is one the
lifecycle accepts, and the petition's derived columns (state, deadline, lead unit...) come from the same status.
The walk stops when the next event would fall after `now` (recent cases are still open) or at the plan's `stop_at`
state (a case stuck there: the source of overdue cases).
"""

from __future__ import annotations

import contextlib
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from efangtong_core import lifecycle
from efangtong_core.analytics.derived import figure_columns
from efangtong_core.demo import texts
from efangtong_core.demo.org import OrgDirectory, UnitStaff
from efangtong_core.lifecycle import CaseStatus, EventType, PetitionState, ReviewOutcome
from efangtong_core.vocabulary import ReplyOutcome, Role, Satisfaction
from efangtong_core.workdays import HolidayCalendar

E = EventType


@dataclass
class CasePlan:
    """How a case will go, decided up front; the walk may end earlier (now, or `stop_at`)."""

    decision: str = "route"  # route | bureau | not_accepted | not_reaccepted | merge
    merge_into: str | None = None
    assign: bool = False
    misroute: bool = False
    unit_refuses: bool = False
    extension: str | None = None  # approved | refused
    reply_returned: bool = False
    late: bool = False
    slow_routing: bool = False
    supervise: bool = False
    notes: int = 1
    outcome: ReplyOutcome = ReplyOutcome.EXPLAINED
    evaluate: bool = True
    satisfaction: Satisfaction | None = None
    review: bool | None = None  # None: decided from the satisfaction
    re_review: bool = False
    close: bool = True
    stop_at: PetitionState | None = None


@dataclass
class WalkedEvent:
    """One generated event with who recorded it; `at` is China Standard Time (naive)."""

    type: EventType
    at: datetime
    role: Role
    actor_id: str
    unit_id: str
    payload: dict[str, Any]


@dataclass
class CaseHistory:
    """A walked case: its events, final status and the facts the petition and unit rows need."""

    events: list[WalkedEvent] = field(default_factory=list)
    status: CaseStatus | None = None
    lead_unit: UnitStaff | None = None
    routed_at: datetime | None = None
    signed_at: datetime | None = None
    accepted_at: datetime | None = None
    closed_at: datetime | None = None
    figures: dict[str, Any] = field(default_factory=dict)
    """The petition's analytics columns (efangtong_core.analytics.derived), derived event by event."""


class _Stop(Exception):
    """The walk ends here: the next event is in the future, or the plan stops in this state."""


def _outcome_satisfaction(rng: random.Random, outcome: ReplyOutcome) -> Satisfaction:
    weights = {
        ReplyOutcome.SUPPORTED: (80, 17, 3),
        ReplyOutcome.EXPLAINED: (52, 34, 14),
        ReplyOutcome.NOT_SUPPORTED: (18, 37, 45),
    }[outcome]
    return rng.choices(tuple(Satisfaction), weights=weights)[0]


class CaseWalker:
    """Generates valid case histories for one seed: every event goes through `lifecycle.apply`."""

    def __init__(self, rng: random.Random, directory: OrgDirectory, now: datetime, calendar: HolidayCalendar) -> None:
        self._rng = rng
        self._org = directory
        self._now = now
        self._calendar = calendar

    def later(self, at: datetime, low: float, high: float) -> datetime:
        """A moment `low`..`high` days after `at`, in office hours when it is a day or more later."""
        days = self._rng.uniform(low, high)
        candidate = at + timedelta(days=days)
        if days >= 1:
            hour = 8 * 60 + self._rng.randrange(9 * 60 + 30)
            candidate = candidate.replace(hour=hour // 60, minute=hour % 60, second=self._rng.randrange(60))
        if candidate <= at:
            candidate = at + timedelta(minutes=self._rng.randint(5, 120))
        return candidate

    def walk(
        self,
        plan: CasePlan,
        *,
        registered: datetime,
        registrar: tuple[str, str],
        units: tuple[UnitStaff, UnitStaff],
        matter: texts.Matter,
    ) -> CaseHistory:
        """The history of one case registered at `registered` by `registrar` (user id, unit id)."""
        history = CaseHistory()
        with contextlib.suppress(_Stop):
            self._walk(plan, history, registered, registrar, units, matter)
        return history

    def _emit(
        self,
        history: CaseHistory,
        plan: CasePlan,
        event: EventType,
        at: datetime,
        who: tuple[Role, str, str],
        payload: dict[str, Any] | None = None,
    ) -> datetime:
        status = history.status
        if at > self._now:
            raise _Stop
        if status is not None and status.state is plan.stop_at and event not in (E.NOTE, E.SUPERVISED):
            raise _Stop
        role, actor, unit = who
        body = payload or {}
        history.status = lifecycle.apply(status, lifecycle.CaseEvent(event, at, role, body), calendar=self._calendar)
        history.figures = figure_columns(status, history.status, event, history.figures)
        history.events.append(WalkedEvent(event, at, role, actor, unit, body))
        return at

    def _walk(
        self,
        plan: CasePlan,
        h: CaseHistory,
        t: datetime,
        registrar: tuple[str, str],
        units: tuple[UnitStaff, UnitStaff],
        matter: texts.Matter,
    ) -> None:
        rng, org = self._rng, self._org
        bureau = org.bureau.unit_id
        clerk = (Role.CLERK, *registrar)
        dispatcher = (Role.DISPATCHER, rng.choice(org.dispatchers), bureau)
        t = self._emit(h, plan, E.REGISTERED, t, clerk)
        t = self.later(t, *((10, 25) if plan.slow_routing else (0.05, 4)))
        if plan.decision == "merge":
            self._emit(h, plan, E.MERGED, t, dispatcher, {"into": plan.merge_into, "reason": "重复信访，并入原件办理"})
            return
        if plan.decision in ("not_accepted", "not_reaccepted"):
            kind = E.NOT_ACCEPTED if plan.decision == "not_accepted" else E.NOT_REACCEPTED
            reason = (
                texts.not_accepted_reason(rng)
                if kind is E.NOT_ACCEPTED
                else "该事项已复核终结，同一事实和理由不再受理。"
            )
            self._emit(h, plan, kind, t, dispatcher, {"reason": reason})
            return
        if plan.decision == "bureau":
            unit = org.bureau
            h.lead_unit, h.routed_at = unit, t
            t = h.accepted_at = self._emit(h, plan, E.ACCEPTED, t, dispatcher, {"unit": unit.unit_id})
        else:
            unit, wrong = units
            if plan.misroute:
                t = self._route(h, plan, wrong, t, dispatcher)
                handler = (Role.HANDLER, rng.choice(wrong.handlers), wrong.unit_id)
                t = self._emit(h, plan, E.RETURNED_MISROUTED, self.later(t, 0.3, 3), handler,
                               {"reason": texts.misroute_reason(rng)})  # fmt: skip
                t = self.later(t, 0.1, 2)
            t = self._route(h, plan, unit, t, dispatcher)
            handler = (Role.HANDLER, rng.choice(unit.handlers), unit.unit_id)
            if plan.unit_refuses:
                self._emit(
                    h, plan, E.NOT_ACCEPTED, self.later(t, 1, 10), handler, {"reason": texts.not_accepted_reason(rng)}
                )
                return
            t = self.later(t, *((16, 24) if plan.late and rng.random() < 0.3 else (0.3, 8)))
            t = h.accepted_at = self._emit(h, plan, E.ACCEPTED, t, handler, {"notice": "已书面告知信访人受理情况"})
        self._handle(plan, h, t, unit, matter)

    def _route(
        self, h: CaseHistory, plan: CasePlan, unit: UnitStaff, t: datetime, dispatcher: tuple[Role, str, str]
    ) -> datetime:
        rng = self._rng
        if plan.assign:
            deadline = (t + timedelta(days=rng.choice((30, 45, 60)))).date().isoformat()
            self._emit(h, plan, E.ASSIGNED, t, dispatcher, {"unit": unit.unit_id, "deadline": deadline})
        else:
            self._emit(h, plan, E.TRANSFERRED, t, dispatcher, {"unit": unit.unit_id})
        h.lead_unit, h.routed_at = unit, t
        handler = (Role.HANDLER, rng.choice(unit.handlers), unit.unit_id)
        t = self.later(t, *((16, 28) if plan.slow_routing else (0.1, 4)))
        h.signed_at = self._emit(h, plan, E.SIGNED_FOR, t, handler)
        return t

    def _handle(
        self, plan: CasePlan, h: CaseHistory, accepted: datetime, unit: UnitStaff, matter: texts.Matter
    ) -> None:
        rng, org = self._rng, self._org
        handler = (Role.HANDLER, rng.choice(unit.handlers), unit.unit_id)
        head = (Role.UNIT_HEAD, unit.unit_head, unit.unit_id)
        if plan.extension == "approved":
            duration = rng.uniform(64, 84)
        elif plan.late:
            duration = rng.uniform(63, 110)
        else:
            duration = rng.uniform(6, 55)
        draft_at = self.later(accepted, duration, duration + 0.5)
        # Events while handling, in time order: notes, supervision, the extension request and its decision.
        timeline: list[tuple[datetime, str]] = [
            (self.later(accepted, 0.5, max(1.0, duration - 2)), "note") for _ in range(plan.notes)
        ]
        if plan.supervise:
            timeline.append((self.later(accepted, duration * 0.3, duration * 0.6), "supervise"))
        if plan.extension:
            requested = self.later(accepted, 45, 56)
            timeline += [(requested, "extension"), (self.later(requested, 1, 3), "decision")]
        days = rng.choice((15, 20, 30))
        for at, kind in sorted(timeline):
            at = min(at, draft_at - timedelta(hours=2))
            if kind == "note":
                self._emit(h, plan, E.NOTE, at, handler, {"text": texts.handling_note(rng, matter)})
            elif kind == "supervise":
                who = (Role.INSPECTOR, rng.choice(org.inspectors), org.bureau.unit_id)
                if rng.random() < 0.3:
                    who = (Role.LEADER, rng.choice(org.leaders), org.bureau.unit_id)
                due = (at + timedelta(days=10)).date().isoformat()
                self._emit(
                    h, plan, E.SUPERVISED, at, who, {"deadline": due, "text": "请加快办理进度，按期答复信访人。"}
                )
            elif kind == "extension":
                payload = {"days": days, "reason": texts.extension_reason(rng)}
                self._emit(h, plan, E.EXTENSION_REQUESTED, at, handler, payload)
            elif plan.extension == "approved":
                self._emit(h, plan, E.EXTENSION_APPROVED, at, head, {"days": days})
            else:
                self._emit(h, plan, E.EXTENSION_REFUSED, at, head, {"reason": "理由不充分，请按期办结。"})
        t = self._emit(h, plan, E.REPLY_DRAFTED, draft_at, handler, {"outcome": str(plan.outcome)})
        if plan.reply_returned:
            t = self._emit(
                h, plan, E.REPLY_RETURNED, self.later(t, 0.5, 3), head, {"reason": "事实认定不清，请补充调查。"}
            )
            t = self._emit(h, plan, E.REPLY_DRAFTED, self.later(t, 1, 5), handler, {"outcome": str(plan.outcome)})
        appeal_to = "伊金霍洛旗人民政府"
        text = texts.reply_text(rng, matter, outcome=plan.outcome, unit_name=unit.name, appeal_to=appeal_to)
        replied = t = self._emit(
            h, plan, E.REPLIED, self.later(t, 0.2, 4), head, {"outcome": str(plan.outcome), "text": text}
        )
        self._after_reply(plan, h, replied)

    def _after_reply(self, plan: CasePlan, h: CaseHistory, replied: datetime) -> None:
        rng, org = self._rng, self._org
        bureau = org.bureau.unit_id
        t = replied
        satisfaction = plan.satisfaction or _outcome_satisfaction(rng, plan.outcome)
        if plan.evaluate:
            payload = {"satisfaction": str(satisfaction), "comment": texts.evaluation_comment(rng, satisfaction)}
            t = self._emit(
                h, plan, E.EVALUATED, self.later(t, 0.5, 10), (Role.CLERK, rng.choice(org.clerks), bureau), payload
            )
        review = plan.review
        if review is None:
            chance = {Satisfaction.DISSATISFIED: 0.45, Satisfaction.BASICALLY_SATISFIED: 0.04}.get(satisfaction, 0.004)
            review = plan.evaluate and rng.random() < chance
        closer = (Role.DISPATCHER, rng.choice(org.dispatchers), bureau)
        if not review:
            if plan.close:
                h.closed_at = self._emit(h, plan, E.CLOSED, self.later(t, 0.5, 8), closer)
            return
        clerk = (Role.CLERK, rng.choice(org.clerks), bureau)
        decider = (Role.LEADER, rng.choice(org.leaders), bureau)
        window_end = replied + timedelta(days=28)
        t = min(self.later(t, 1, 20), window_end)
        t = self._emit(h, plan, E.REVIEW_REQUESTED, max(t, h.events[-1].at + timedelta(minutes=5)), clerk,
                       {"reason": "对处理意见不服，申请复查。"})  # fmt: skip
        decided = self._review_outcome()
        t = self._emit(
            h,
            plan,
            E.REVIEW_DECIDED,
            self.later(t, 7, 28),
            decider,
            {"outcome": str(decided), "text": "经复查，原处理意见认定事实清楚，适用政策正确。"},
        )
        if plan.re_review:
            t = self._emit(
                h, plan, E.RE_REVIEW_REQUESTED, self.later(t, 1, 25), clerk, {"reason": "对复查意见不服，申请复核。"}
            )
            decided = self._review_outcome()
            payload = {"outcome": str(decided), "text": "经复核，维持复查意见。本复核意见为终结意见。"}
            t = self._emit(h, plan, E.RE_REVIEW_DECIDED, self.later(t, 7, 28), decider, payload)
            if plan.close and plan.stop_at is None and rng.random() < 0.5:
                h.closed_at = self._emit(h, plan, E.CLOSED, self.later(t, 0.5, 5), closer)
            return
        if plan.close:
            h.closed_at = self._emit(h, plan, E.CLOSED, self.later(t, 0.5, 8), closer)

    def _review_outcome(self) -> ReviewOutcome:
        return self._rng.choices(tuple(ReviewOutcome), weights=(82, 11, 7))[0]
