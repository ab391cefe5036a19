"""Analytics service: turn query parameters and the caller's access into core filters and scope, and compute."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from efangtong_core.analytics import AnalyticsScope, DashboardFilters, DashboardSnapshot, Figure, PeriodKind
from efangtong_core.analytics import compute_dashboard as compute
from efangtong_core.analytics.drilldown import CasePage, figure_cases
from efangtong_core.analytics.periods import custom_period, local_date, period_containing
from efangtong_core.analytics.snapshot import Period
from efangtong_server.access.scope import Scope


def analytics_scope(scope: Scope) -> AnalyticsScope:
    """The core's scope for an access scope."""
    return AnalyticsScope(county=scope.county, unit_ids=scope.unit_ids)


def today_in_china() -> date:
    """Today's local date in China."""
    return local_date(datetime.now(UTC))


def make_period(*, kind: PeriodKind, day: date | None, start: date | None, end: date | None, today: date) -> Period:
    """The period the parameters ask for; ValueError with a Chinese reason when they do not make one."""
    if kind is PeriodKind.CUSTOM:
        if start is None or end is None:
            raise ValueError("自定义统计周期须同时给出开始日期和结束日期")
        return custom_period(start, end)
    if start is not None or end is not None:
        raise ValueError("开始日期和结束日期仅用于自定义统计周期")
    return period_containing(kind, day or today)


def make_filters(period: Period, *, towns: list[str], categories: list[str], units: list[str]) -> DashboardFilters:
    """Core filters from the query's id lists."""
    return DashboardFilters(period, frozenset(towns), frozenset(categories), frozenset(units))


def dashboard(session: Session, *, filters: DashboardFilters, scope: Scope, today: date) -> DashboardSnapshot:
    """The dashboard snapshot within the caller's scope."""
    return compute(session, filters, scope=analytics_scope(scope), today=today)


def cases(
    session: Session,
    *,
    figure: Figure,
    key: str | None,
    filters: DashboardFilters,
    scope: Scope,
    today: date,
    offset: int,
    limit: int,
) -> CasePage:
    """A page of the cases behind a figure, within the caller's scope."""
    return figure_cases(
        session, figure, key, filters, scope=analytics_scope(scope), today=today, offset=offset, limit=limit
    )
