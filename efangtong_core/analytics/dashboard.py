"""The dashboard: every figure of `snapshot.DashboardSnapshot` computed for one set of filters and one scope."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from efangtong_core.analytics.hotwords import hot_words
from efangtong_core.analytics.people import overdue_by_unit, top_repeat_petitioners
from efangtong_core.analytics.query import load_reference, petition_conditions
from efangtong_core.analytics.rates import evaluation_rates, on_time_closure, timely_acceptance
from efangtong_core.analytics.snapshot import AnalyticsScope, DashboardFilters, DashboardSnapshot
from efangtong_core.analytics.surges import surges
from efangtong_core.analytics.volume import trend_daily, trend_monthly, volume


def compute_dashboard(
    session: Session,
    filters: DashboardFilters,
    *,
    scope: AnalyticsScope,
    today: date,
    data_as_of: datetime | None = None,
) -> DashboardSnapshot:
    """Every dashboard figure for `filters` within `scope`; `today` fixes "overdue" and a running period's baseline."""
    ref = load_reference(session)
    conditions = petition_conditions(filters, scope, ref)
    period = filters.period
    counts = volume(session, period, conditions, ref)
    timely, _ = timely_acceptance(session, period, conditions, ref)
    on_time, _ = on_time_closure(session, period, conditions, ref)
    evaluated, satisfied = evaluation_rates(session, period, conditions, ref)
    return DashboardSnapshot(
        filters=filters,
        today=today,
        data_as_of=data_as_of or datetime.now(UTC),
        totals=counts.totals,
        by_form=counts.by_form,
        by_category=counts.by_category,
        by_town=counts.by_town,
        group_visits=counts.group_visits,
        first_time=counts.first_time,
        repeats=counts.repeats,
        timely_acceptance=timely,
        on_time_closure=on_time,
        evaluation_rate=evaluated,
        satisfaction_rate=satisfied,
        overdue_by_unit=overdue_by_unit(session, today, conditions, ref),
        top_repeat_petitioners=top_repeat_petitioners(session, period, conditions),
        hot_words=hot_words(session, period, conditions, ref),
        surges=surges(session, period, today, conditions, ref),
        trend_daily=trend_daily(session, period, conditions, ref),
        trend_monthly=trend_monthly(session, period, conditions, ref),
    )
