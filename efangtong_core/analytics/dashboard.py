"""The dashboard: every figure of `snapshot.DashboardSnapshot` computed for one set of filters and one scope."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from efangtong_core.analytics.snapshot import AnalyticsScope, DashboardFilters, DashboardSnapshot


def compute_dashboard(
    session: Session,
    filters: DashboardFilters,
    *,
    scope: AnalyticsScope,
    today: date,
    data_as_of: datetime | None = None,
) -> DashboardSnapshot:
    """Every dashboard figure for `filters` within `scope`; `today` fixes "overdue" and the default period."""
    raise NotImplementedError("统计功能尚未实现")
