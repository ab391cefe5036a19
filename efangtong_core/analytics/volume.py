"""Volume figures: 批次 and 人次 (total, by form, category, town), 集体访, 初信初访 vs 重复信访, trends.

Definitions (all count petitions *registered* in the period, by the local day of `registered_at`):
- 批次 (batches): the number of petitions. A group visit is one batch; a repeat petition is a batch of its own; a
  petition later merged into an earlier one (并入原件) still counts, as it was registered; tombstoned rows do not.
- 人次 (person-times): the sum of head counts (来访人数); a one-person petition counts 1, a group visit its head count.
- 集体访 (group visits): petitions of form 来访 with a head count of 5 or more (the regulation's group-visit threshold:
  five or more people coming together, who choose at most five representatives). Batches and 人次 as above.
- 初信初访 vs 重复信访: a petition is a repeat when it refers to an earlier petition (`repeat_of_id`), whether or not
  that earlier one is in the period; otherwise it is first-time. The two add up to the total.
- By category: the first-level category of the petition's (second-level) category; by town: the town of the matter.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Row, and_, case, func, select
from sqlalchemy.orm import Session

from efangtong_core.analytics.periods import month_starts
from efangtong_core.analytics.query import NO_KEY, Reference, as_date, local_day, registered_in
from efangtong_core.analytics.rollup import GROUP_VISIT_MIN_PERSONS, day_conditions, usable_rollup
from efangtong_core.analytics.snapshot import Count, Period, PeriodKind, TrendPoint
from efangtong_core.models import Petition, PetitionDayCount
from efangtong_core.vocabulary import PetitionForm

TREND_DAYS = 30
"""A daily trend covers the period, or the 30 days ending with it when the period is shorter than a week."""
TREND_MONTHS = 12
MAX_TREND_DAYS = 366


def is_group_visit() -> ColumnElement[bool]:
    """SQL: the petition is a group visit (集体访)."""
    return and_(Petition.form == PetitionForm.VISIT.value, Petition.head_count >= GROUP_VISIT_MIN_PERSONS)


@dataclass(frozen=True)
class Volume:
    """The volume figures of one period."""

    totals: Count
    by_form: tuple[Count, ...]
    by_category: tuple[Count, ...]
    by_town: tuple[Count, ...]
    group_visits: Count
    first_time: Count
    repeats: Count


def volume(session: Session, period: Period, conditions: list[ColumnElement[bool]], ref: Reference) -> Volume:
    """Every volume figure of `period` from one grouped query over the daily rollup, or the registered_at index."""
    rollup = usable_rollup(session, conditions)
    if rollup is not None:
        t = PetitionDayCount
        rows = session.execute(
            select(t.form, t.category_id, t.town_id, t.is_group, t.is_repeat, func.sum(t.batches), func.sum(t.persons))
            .where(*day_conditions(period, rollup))
            .group_by(t.form, t.category_id, t.town_id, t.is_group, t.is_repeat)
        ).all()
    else:
        group = case((is_group_visit(), 1), else_=0)
        repeat = case((Petition.repeat_of_id.is_not(None), 1), else_=0)
        rows = session.execute(
            select(Petition.form, Petition.category_id, Petition.town_id, group, repeat,
                   func.count(), func.coalesce(func.sum(Petition.head_count), 0))
            .where(*conditions, *registered_in(period))
            .group_by(Petition.form, Petition.category_id, Petition.town_id, group, repeat)
        ).all()  # fmt: skip
    totals = [0, 0]
    forms: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    categories: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    towns: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    groups, firsts, repeats = [0, 0], [0, 0], [0, 0]
    for form, category_id, town_id, is_group, is_repeat, batches, persons in rows:
        for target in (
            totals,
            forms[form],
            categories[ref.first_level(category_id)],
            towns[town_id or NO_KEY],
            repeats if is_repeat else firsts,
        ):
            target[0] += int(batches)
            target[1] += int(persons)
        if is_group:
            groups[0] += int(batches)
            groups[1] += int(persons)
    form_counts = tuple(Count(form.value, form.label, *forms.get(form.value, (0, 0))) for form in PetitionForm)
    return Volume(
        totals=Count("total", "信访总量", *totals),
        by_form=form_counts,
        by_category=_ranked(categories, ref.category_label),
        by_town=_ranked(towns, ref.unit_label),
        group_visits=Count("group_visit", "集体访", *groups),
        first_time=Count("first_time", "初信初访", *firsts),
        repeats=Count("repeat", "重复信访", *repeats),
    )


def _ranked(counts: dict[str, list[int]], label: object) -> tuple[Count, ...]:
    assert callable(label)
    items = [Count(key, str(label(key)), batches, persons) for key, (batches, persons) in counts.items()]
    return tuple(sorted(items, key=lambda item: (-item.batches, item.key == NO_KEY, item.label)))


def daily_range(period: Period) -> Period:
    """The days a daily trend covers for `period`."""
    if period.days < 7:
        return Period(PeriodKind.CUSTOM, period.end - timedelta(days=TREND_DAYS - 1), period.end)
    start = max(period.start, period.end - timedelta(days=MAX_TREND_DAYS - 1))
    return Period(PeriodKind.CUSTOM, start, period.end)


def trend_daily(
    session: Session, period: Period, conditions: list[ColumnElement[bool]], ref: Reference
) -> tuple[TrendPoint, ...]:
    """批次 and 人次 per local day over `daily_range(period)`, every day present (zero when none)."""
    span = daily_range(period)
    found = _per_day(session, span, conditions, ref)
    days = [span.start + timedelta(days=n) for n in range(span.days)]
    return tuple(TrendPoint(d, *found.get(d, (0, 0))) for d in days)


def trend_monthly(
    session: Session, period: Period, conditions: list[ColumnElement[bool]], ref: Reference
) -> tuple[TrendPoint, ...]:
    """批次 and 人次 per local month over the 12 months ending with the period's last month."""
    starts = month_starts(period.end, TREND_MONTHS)
    last = date(starts[-1].year + (starts[-1].month == 12), starts[-1].month % 12 + 1, 1) - timedelta(days=1)
    if usable_rollup(session, conditions) is not None:
        months: dict[date, list[int]] = {start: [0, 0] for start in starts}
        for day, (batches, persons) in _per_day(session, Period(PeriodKind.CUSTOM, starts[0], last), conditions,
                                                ref).items():  # fmt: skip
            months[day.replace(day=1)][0] += batches
            months[day.replace(day=1)][1] += persons
        return tuple(TrendPoint(start, *months[start]) for start in starts)
    points = []
    # A count per month along the covering registered_at index, instead of a local-month expression on every row.
    for start in starts:
        end = date(start.year + (start.month == 12), start.month % 12 + 1, 1) - timedelta(days=1)
        batches, persons = session.execute(
            select(func.count(), func.coalesce(func.sum(Petition.head_count), 0)).where(
                *conditions, *registered_in(Period(PeriodKind.CUSTOM, start, end))
            )
        ).one()
        points.append(TrendPoint(start, batches, int(persons)))
    return tuple(points)


def _per_day(
    session: Session, span: Period, conditions: list[ColumnElement[bool]], ref: Reference
) -> dict[date, tuple[int, int]]:
    """批次 and 人次 of each local day of `span` that has petitions (the daily rollup, or the petition rows)."""
    rollup = usable_rollup(session, conditions)
    rows: Sequence[Row[Any, Any, Any]]
    if rollup is not None:
        t = PetitionDayCount
        rows = session.execute(
            select(t.day, func.sum(t.batches), func.sum(t.persons)).where(*day_conditions(span, rollup)).group_by(t.day)
        ).all()
    else:
        day = local_day(Petition.registered_at, ref.dialect)
        rows = session.execute(
            select(day, func.count(), func.coalesce(func.sum(Petition.head_count), 0))
            .where(*conditions, *registered_in(span))
            .group_by(day)
        ).all()
    return {as_date(text): (int(batches), int(persons)) for text, batches, persons in rows}
