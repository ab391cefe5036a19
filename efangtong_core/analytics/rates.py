"""Rates: 及时受理率, 按期办结率, 参评率, 满意率 — counted in SQL by day, deadlines applied with the holiday calendar.

Definitions (periods are local calendar days; deadlines count as `efangtong_core.deadlines` says):
- 及时受理率 = timely acceptances / acceptances. Cohort: petitions whose 受理 event falls in the period. The clock
  starts at the unit's last 签收 before acceptance (rule acceptance_notice, 15 days, 第二十三条), or — for a matter
  the bureau accepts itself without routing — at registration (rule route, 15 days). Timely: the day of acceptance
  is on or before the rule's last day (a last day on a holiday moves to the next working day).
- 按期办结率 = on-time closures / closures. 办结 is the 处理意见书 (the 出具处理意见书 event): the regulation's
  60 days (第三十二条) run from acceptance to the written reply; the later 办结 archive step follows evaluation and
  any 复查/复核, so it does not measure the handling time. Cohort: replies in the period
  (the lifecycle allows one reply, one evaluation and one approved extension per case). On time: the reply's
  day is on or before the handling deadline — 60 days after the acceptance day plus the approved extension (counted
  from the day after the original last day, as the lifecycle does). A requested but refused extension adds nothing.
- 参评率 = evaluated / replied, over the same cohort (replies in the period); an evaluation recorded at any time
  up to now counts, so a recent period's rate rises as petitioners answer.
- 满意率 = (满意 + 基本满意) / evaluated, over the evaluated cases of that cohort.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, false, func, or_, select
from sqlalchemy.orm import Session, aliased

from efangtong_core import deadlines as dl
from efangtong_core.analytics.periods import utc_bounds
from efangtong_core.analytics.query import Reference, as_date, local_day
from efangtong_core.analytics.snapshot import Period, Rate
from efangtong_core.case_states import EventType
from efangtong_core.models import CaseEvent, Petition
from efangtong_core.vocabulary import Satisfaction

SATISFIED_CODES = (Satisfaction.SATISFIED.value, Satisfaction.BASICALLY_SATISFIED.value)


def _event_in(event: Any, kind: EventType, period: Period) -> list[ColumnElement[bool]]:
    start, end = utc_bounds(period)
    return [event.type == kind.value, event.at >= start, event.at < end, event.deleted_at.is_(None)]


@dataclass(frozen=True)
class AcceptanceCohort:
    """SQL of the acceptances in a period: the petition, the clock's start day, whether it was signed for, the day."""

    statement: Select[Any]
    start_day: ColumnElement[str]
    signed: ColumnElement[bool]
    day: ColumnElement[str]


def acceptance_cohort(period: Period, conditions: list[ColumnElement[bool]], ref: Reference) -> AcceptanceCohort:
    """Acceptance events in `period` (found through the case_event (type, at) index) with their petitions."""
    accepted, other = aliased(CaseEvent), aliased(CaseEvent)
    # The case's other events are joined on petition_id alone and picked inside the aggregate, so that the database
    # looks them up through the (petition_id, seq) index rather than scanning the (type, at) one.
    signing = and_(other.type == EventType.SIGNED_FOR.value, other.at <= accepted.at)
    per_case = (
        select(
            Petition.id.label("petition_id"),
            Petition.registered_at.label("registered_at"),
            accepted.at.label("accepted_at"),
            func.max(case((signing, other.at))).label("signed_at"),
        )
        .select_from(accepted)
        .join(Petition, Petition.id == accepted.petition_id)
        .outerjoin(other, and_(other.petition_id == accepted.petition_id, other.deleted_at.is_(None)))
        .where(*_event_in(accepted, EventType.ACCEPTED, period), *conditions)
        .group_by(accepted.id, Petition.id, Petition.registered_at, accepted.at)
        .subquery()
    )
    start_day = local_day(func.coalesce(per_case.c.signed_at, per_case.c.registered_at), ref.dialect)
    signed = case((per_case.c.signed_at.is_not(None), True), else_=False)
    day = local_day(per_case.c.accepted_at, ref.dialect)
    return AcceptanceCohort(select(per_case.c.petition_id), start_day, signed, day)


def acceptance_due(ref: Reference, start: date, signed: bool) -> date:
    """The last day to accept a matter whose clock started on `start` (signed for, or registered at the bureau)."""
    rule = ref.rules[dl.ACCEPTANCE_NOTICE if signed else dl.ROUTE]
    return ref.calendar.add_days(start, rule)


def timely_acceptance(
    session: Session, period: Period, conditions: list[ColumnElement[bool]], ref: Reference
) -> tuple[Rate, Select[Any]]:
    """及时受理率 of `period`, and the SQL selecting the ids of the petitions accepted late."""
    cohort = acceptance_cohort(period, conditions, ref)
    rows = session.execute(
        cohort.statement.with_only_columns(cohort.start_day, cohort.signed, cohort.day, func.count()).group_by(
            cohort.start_day, cohort.signed, cohort.day
        )
    ).all()
    timely = total = 0
    dues: dict[tuple[str, bool], date] = {}
    for start, signed, day, count in rows:
        due = dues.setdefault((start, bool(signed)), acceptance_due(ref, as_date(start), bool(signed)))
        total += count
        timely += count if as_date(day) <= due else 0
    late = _late_condition(
        ((cohort.start_day == start, cohort.signed == signed) for start, signed in dues), dues.values(), cohort.day
    )
    return Rate(timely, total), cohort.statement.where(late)


@dataclass(frozen=True)
class ReplyCohort:
    """SQL of the first replies in a period: acceptance day, reply day, extension days, latest satisfaction."""

    statement: Select[Any]
    accepted_day: ColumnElement[str]
    day: ColumnElement[str]
    extension_days: ColumnElement[int]
    satisfaction: ColumnElement[str | None]


def reply_cohort(period: Period, conditions: list[ColumnElement[bool]], ref: Reference) -> ReplyCohort:
    """出具处理意见书 events in `period` with their petitions, extension and evaluation (one each per case)."""
    replied, other = aliased(CaseEvent), aliased(CaseEvent)
    before = other.at <= replied.at
    approved = and_(other.type == EventType.EXTENSION_APPROVED.value, before)
    requested = and_(other.type == EventType.EXTENSION_REQUESTED.value, before)
    evaluated = other.type == EventType.EVALUATED.value
    per_case = (
        select(
            Petition.id.label("petition_id"),
            Petition.accepted_at.label("accepted_at"),
            replied.at.label("replied_at"),
            func.max(case((approved, 1), else_=0)).label("approved"),
            func.max(case((approved, other.payload["days"].as_integer()))).label("approved_days"),
            func.max(case((requested, other.payload["days"].as_integer()))).label("requested_days"),
            func.max(case((evaluated, other.payload["satisfaction"].as_string()))).label("satisfaction"),
        )
        .select_from(replied)
        .join(Petition, Petition.id == replied.petition_id)
        .outerjoin(other, and_(other.petition_id == replied.petition_id, other.deleted_at.is_(None)))
        .where(*_event_in(replied, EventType.REPLIED, period), Petition.accepted_at.is_not(None), *conditions)
        .group_by(replied.id, Petition.id, Petition.accepted_at, replied.at)
        .subquery()
    )
    c = per_case.c
    extension_days = case((c.approved == 1, func.coalesce(c.approved_days, c.requested_days, 0)), else_=0)
    return ReplyCohort(
        select(c.petition_id), local_day(c.accepted_at, ref.dialect), local_day(c.replied_at, ref.dialect),
        extension_days, c.satisfaction,
    )  # fmt: skip


def handling_due(ref: Reference, accepted: date, extension_days: int) -> date:
    """The handling deadline of a case accepted on `accepted`, with an approved extension of `extension_days`."""
    due = ref.calendar.add_days(accepted, ref.rules[dl.HANDLING])
    if extension_days > 0:
        cap = ref.rules[dl.EXTENSION]
        due = ref.calendar.add_days(due, dataclasses.replace(cap, days=extension_days))
    return due


def on_time_closure(
    session: Session, period: Period, conditions: list[ColumnElement[bool]], ref: Reference
) -> tuple[Rate, Select[Any]]:
    """按期办结率 of `period`, and the SQL selecting the ids of the petitions replied after their deadline."""
    cohort = reply_cohort(period, conditions, ref)
    columns = (cohort.accepted_day, cohort.extension_days, cohort.day)
    rows = session.execute(cohort.statement.with_only_columns(*columns, func.count()).group_by(*columns)).all()
    on_time = total = 0
    dues: dict[tuple[str, int], date] = {}
    for accepted, extension, day, count in rows:
        key = (accepted, int(extension or 0))
        due = dues.setdefault(key, handling_due(ref, as_date(accepted), key[1]))
        total += count
        on_time += count if as_date(day) <= due else 0
    late = _late_condition(
        ((cohort.accepted_day == a, cohort.extension_days == e) for a, e in dues), dues.values(), cohort.day
    )
    return Rate(on_time, total), cohort.statement.where(late)


def evaluation_rates(
    session: Session, period: Period, conditions: list[ColumnElement[bool]], ref: Reference
) -> tuple[Rate, Rate]:
    """参评率 and 满意率 of the replies in `period`."""
    cohort = reply_cohort(period, conditions, ref)
    rows = session.execute(
        cohort.statement.with_only_columns(cohort.satisfaction, func.count()).group_by(cohort.satisfaction)
    ).all()
    replied = sum(count for _, count in rows)
    evaluated = sum(count for code, count in rows if code is not None)
    satisfied = sum(count for code, count in rows if code in SATISFIED_CODES)
    return Rate(evaluated, replied), Rate(satisfied, evaluated)


def _late_condition(
    keys: Iterable[tuple[ColumnElement[bool], ColumnElement[bool]]], dues: Iterable[date], day: ColumnElement[str]
) -> ColumnElement[bool]:
    terms = [and_(a, b, day > due.isoformat()) for (a, b), due in zip(keys, dues, strict=True)]
    return or_(*terms) if terms else false()
