"""Rates: 及时受理率, 按期办结率, 参评率, 满意率 — indexed sums over the petition's analytics columns.

Definitions (periods are local calendar days; the columns and their deadlines are those of
`efangtong_core.analytics.derived`, fixed by the lifecycle when the events were applied, counted with the rule table
and the holiday calendar — a last day on a holiday moves to the next working day):
- 及时受理率 = timely acceptances / acceptances. Cohort: petitions whose 受理 falls in the period (accepted_on). The
  clock starts at the unit's last 签收 before acceptance (rule acceptance_notice, 15 days, 第二十三条), or — for a
  matter the bureau accepts itself without routing — at registration (rule route, 15 days). Timely: the day of
  acceptance is on or before that last day (acceptance_due); with no clock running it is timely.
- 按期办结率 = on-time closures / closures. 办结 is the 处理意见书 (the 出具处理意见书 event): the regulation's
  60 days (第三十二条) run from acceptance to the written reply; the later 办结 archive step follows evaluation and
  any 复查/复核, so it does not measure the handling time. Cohort: replies of accepted cases in the period
  (replied_on; the lifecycle allows one reply, one evaluation and one approved extension per case). On time: the
  reply's day is on or before the handling deadline (handling_due) — 60 days after the acceptance day plus the
  approved extension (counted from the day after the original last day). A refused extension adds nothing.
- 参评率 = evaluated / replied, over the same cohort (replies in the period); an evaluation recorded at any time
  up to now counts, so a recent period's rate rises as petitioners answer.
- 满意率 = (满意 + 基本满意) / evaluated, over the evaluated cases of that cohort.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, select
from sqlalchemy.orm import Session

from efangtong_core.analytics.query import Reference
from efangtong_core.analytics.snapshot import Period, Rate
from efangtong_core.models import Petition
from efangtong_core.vocabulary import Satisfaction

SATISFIED_CODES = (Satisfaction.SATISFIED.value, Satisfaction.BASICALLY_SATISFIED.value)


def accepted_in(period: Period) -> list[ColumnElement[bool]]:
    """Petitions accepted in `period` (a range on the accepted_on index)."""
    return [Petition.accepted_on >= period.start, Petition.accepted_on <= period.end]


def replied_in(period: Period) -> list[ColumnElement[bool]]:
    """Accepted petitions replied to (出具处理意见书) in `period` (a range on the replied_on index)."""
    return [Petition.replied_on >= period.start, Petition.replied_on <= period.end]


def accepted_late() -> ColumnElement[bool]:
    """SQL: the acceptance came after its last day."""
    return and_(Petition.acceptance_due.is_not(None), Petition.accepted_on > Petition.acceptance_due)


def replied_late() -> ColumnElement[bool]:
    """SQL: the reply came after the handling deadline (extension included)."""
    return and_(Petition.handling_due.is_not(None), Petition.replied_on > Petition.handling_due)


def acceptance_cohort(period: Period, conditions: list[ColumnElement[bool]], ref: Reference) -> Select[Any]:
    """The ids of the petitions accepted in `period`."""
    return select(Petition.id).where(*conditions, *accepted_in(period))


def reply_cohort(period: Period, conditions: list[ColumnElement[bool]], ref: Reference) -> Select[Any]:
    """The ids of the accepted petitions replied to in `period`."""
    return select(Petition.id).where(*conditions, *replied_in(period))


def timely_acceptance(
    session: Session, period: Period, conditions: list[ColumnElement[bool]], ref: Reference
) -> tuple[Rate, Select[Any]]:
    """及时受理率 of `period`, and the SQL selecting the ids of the petitions accepted late."""
    late = func.coalesce(func.sum(case((accepted_late(), 1), else_=0)), 0)
    total, late_count = session.execute(select(func.count(), late).where(*conditions, *accepted_in(period))).one()
    cohort = acceptance_cohort(period, conditions, ref)
    return Rate(total - int(late_count), total), cohort.where(accepted_late())


def on_time_closure(
    session: Session, period: Period, conditions: list[ColumnElement[bool]], ref: Reference
) -> tuple[Rate, Select[Any]]:
    """按期办结率 of `period`, and the SQL selecting the ids of the petitions replied after their deadline."""
    late = func.coalesce(func.sum(case((replied_late(), 1), else_=0)), 0)
    total, late_count = session.execute(select(func.count(), late).where(*conditions, *replied_in(period))).one()
    cohort = reply_cohort(period, conditions, ref)
    return Rate(total - int(late_count), total), cohort.where(replied_late())


def evaluation_rates(
    session: Session, period: Period, conditions: list[ColumnElement[bool]], ref: Reference
) -> tuple[Rate, Rate]:
    """参评率 and 满意率 of the replies in `period`."""
    satisfied = func.coalesce(func.sum(case((Petition.satisfaction.in_(SATISFIED_CODES), 1), else_=0)), 0)
    replied, evaluated, happy = session.execute(
        select(func.count(), func.count(Petition.satisfaction), satisfied).where(*conditions, *replied_in(period))
    ).one()
    return Rate(int(evaluated), replied), Rate(int(happy), int(evaluated))
