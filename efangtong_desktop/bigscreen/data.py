"""Where the big screen's figures come from: the analytics library's snapshot, computed on the local replica."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from efangtong_core.analytics import (
    COUNTY_SCOPE,
    AnalyticsScope,
    DashboardFilters,
    DashboardSnapshot,
    Period,
    PeriodKind,
    compute_dashboard,
)
from efangtong_core.models import CaseEvent, Petition
from efangtong_desktop.bigscreen.figures import ScreenData

CHINA_TZ = timezone(timedelta(hours=8), "CST")
SCREEN_DAYS = 30
UNCATEGORISED = "未分类"
NO_TOWN = "未定属地"


def china_today() -> date:
    """Today's date in China Standard Time (the county's calendar)."""
    return datetime.now(UTC).astimezone(CHINA_TZ).date()


def recent_period(today: date, days: int = SCREEN_DAYS) -> Period:
    """The big screen's period: the last `days` calendar days up to and including today."""
    return Period(PeriodKind.CUSTOM, today - timedelta(days=days - 1), today)


def replica_data_time(session: Session) -> datetime | None:
    """The data's time on the replica: its newest registration or case event, in China Standard Time (naive)."""
    newest = [
        session.scalar(select(func.max(Petition.registered_at))),
        session.scalar(select(func.max(CaseEvent.at))),
    ]
    moments = [moment for moment in newest if moment is not None]
    if not moments:
        return None
    latest = max(moment if moment.tzinfo else moment.replace(tzinfo=UTC) for moment in moments)
    return latest.astimezone(CHINA_TZ).replace(tzinfo=None)


def screen_data(snapshot: DashboardSnapshot, *, offline: bool, elapsed_ms: float = 0.0) -> ScreenData:
    """The big screen's view of a dashboard snapshot."""
    as_of = snapshot.data_as_of
    if as_of.tzinfo is not None:
        as_of = as_of.astimezone(CHINA_TZ).replace(tzinfo=None)
    return ScreenData(
        as_of=as_of,
        period_start=snapshot.filters.period.start,
        period_end=snapshot.filters.period.end,
        batches=snapshot.totals.batches,
        persons=snapshot.totals.persons,
        timely_acceptance=snapshot.timely_acceptance.value,
        on_time_closure=snapshot.on_time_closure.value,
        satisfaction=snapshot.satisfaction_rate.value,
        overdue=sum(unit.overdue for unit in snapshot.overdue_by_unit),
        warnings=snapshot.open_warnings,
        trend=tuple((point.start, point.batches) for point in snapshot.trend_daily),
        categories=tuple((count.label or UNCATEGORISED, count.batches) for count in snapshot.by_category),
        towns=tuple((count.label or NO_TOWN, count.batches) for count in snapshot.by_town if count.key),
        hot_words=tuple((word.word, word.weight) for word in snapshot.hot_words),
        offline=offline,
        elapsed_ms=elapsed_ms,
        worker_thread=threading.current_thread().name,
    )


def replica_loader(
    sessions: sessionmaker[Session],
    *,
    offline: Callable[[], bool],
    today: Callable[[], date] = china_today,
    scope: AnalyticsScope = COUNTY_SCOPE,
) -> Callable[[], ScreenData]:
    """A loader computing the screen's snapshot on the replica (it holds only what its user may see: county scope)."""

    def load() -> ScreenData:
        started = time.perf_counter()
        day = today()
        with sessions() as session:
            filters = DashboardFilters(period=recent_period(day))
            as_of = replica_data_time(session)
            snapshot = compute_dashboard(session, filters, scope=scope, today=day, data_as_of=as_of)
        return screen_data(snapshot, offline=offline(), elapsed_ms=(time.perf_counter() - started) * 1000)

    return load
