"""Analytics (综合研判): the figures petition work reports, computed in the database, on the server or a replica."""

from efangtong_core.analytics.dashboard import compute_dashboard
from efangtong_core.analytics.snapshot import (
    COUNTY_SCOPE,
    AnalyticsScope,
    Count,
    DashboardFilters,
    DashboardSnapshot,
    Figure,
    HotWord,
    Period,
    PeriodKind,
    Rate,
    RepeatPetitioner,
    Surge,
    TrendPoint,
    UnitOverdue,
)

__all__ = [
    "COUNTY_SCOPE",
    "AnalyticsScope",
    "Count",
    "DashboardFilters",
    "DashboardSnapshot",
    "Figure",
    "HotWord",
    "Period",
    "PeriodKind",
    "Rate",
    "RepeatPetitioner",
    "Surge",
    "TrendPoint",
    "UnitOverdue",
    "compute_dashboard",
]
