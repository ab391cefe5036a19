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
    HotWord,
    Period,
    PeriodKind,
    Rate,
)
from efangtong_core.analytics.hotwords import hot_words
from efangtong_core.analytics.people import overdue_by_unit
from efangtong_core.analytics.query import load_reference, petition_conditions
from efangtong_core.analytics.rates import evaluation_rates, on_time_closure, timely_acceptance
from efangtong_core.analytics.volume import trend_daily, volume
from efangtong_core.case_states import EventType
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
    """The data's time on the replica: its newest registration or case event, in China Standard Time (naive).

    The newest event is the largest of each event type's newest, so every lookup is one step down the (type, at)
    index instead of a scan of the whole event log."""
    per_type = [
        select(func.max(CaseEvent.at).label("at")).where(CaseEvent.type == kind.value).scalar_subquery()
        for kind in EventType
    ]
    newest = [session.scalar(select(func.max(Petition.registered_at))), *session.execute(select(*per_type)).one()]
    moments = [moment for moment in newest if moment is not None]
    if not moments:
        return None
    latest = max(moment if moment.tzinfo else moment.replace(tzinfo=UTC) for moment in moments)
    return latest.astimezone(CHINA_TZ).replace(tzinfo=None)


def screen_data(
    snapshot: DashboardSnapshot, *, offline: bool, elapsed_ms: float = 0.0, with_hot_words: bool = True
) -> ScreenData:
    """The big screen's view of a dashboard snapshot (hot words None — still to come — unless `with_hot_words`)."""
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
        hot_words=screen_words(snapshot.hot_words) if with_hot_words else None,
        offline=offline,
        elapsed_ms=elapsed_ms,
        worker_thread=threading.current_thread().name,
    )


def screen_words(words: tuple[HotWord, ...]) -> tuple[tuple[str, float], ...]:
    """Hot words as the screen draws them: (word, weight)."""
    return tuple((word.word, word.weight) for word in words)


def screen_figures(
    session: Session,
    today: date,
    *,
    scope: AnalyticsScope = COUNTY_SCOPE,
    offline: bool = True,
    with_hot_words: bool = True,
) -> ScreenData:
    """The figures the screen shows, each from the analytics library, for the last 30 days up to `today`.

    Only what is drawn is computed (no monthly trend, repeaters or surges): a handful of indexed aggregates and the
    daily rollup. Without `with_hot_words` the hot words (Chinese word segmentation in Python, seconds when cold) are
    left out (None) for `screen_hot_words` to bring after."""
    started = time.perf_counter()
    filters = DashboardFilters(period=recent_period(today))
    ref = load_reference(session)
    conditions = petition_conditions(filters, scope, ref)
    period = filters.period
    counts = volume(session, period, conditions, ref)
    timely, _ = timely_acceptance(session, period, conditions, ref)
    on_time, _ = on_time_closure(session, period, conditions, ref)
    _, satisfied = evaluation_rates(session, period, conditions, ref)
    words = hot_words(session, period, conditions, ref) if with_hot_words else ()
    snapshot = DashboardSnapshot(
        filters=filters, today=today, data_as_of=replica_data_time(session) or datetime.now(UTC),
        totals=counts.totals, by_form=counts.by_form, by_category=counts.by_category, by_town=counts.by_town,
        group_visits=counts.group_visits, first_time=counts.first_time, repeats=counts.repeats,
        timely_acceptance=timely, on_time_closure=on_time, evaluation_rate=Rate(0, 0), satisfaction_rate=satisfied,
        overdue_by_unit=overdue_by_unit(session, today, conditions, ref), top_repeat_petitioners=(),
        hot_words=words, surges=(), trend_daily=trend_daily(session, period, conditions, ref), trend_monthly=(),
    )  # fmt: skip
    elapsed_ms = (time.perf_counter() - started) * 1000
    return screen_data(snapshot, offline=offline, elapsed_ms=elapsed_ms, with_hot_words=with_hot_words)


def screen_hot_words(
    session: Session, today: date, *, scope: AnalyticsScope = COUNTY_SCOPE
) -> tuple[tuple[str, float], ...]:
    """The hot words of the screen's period (the same as `screen_figures` computes with them)."""
    filters = DashboardFilters(period=recent_period(today))
    ref = load_reference(session)
    return screen_words(hot_words(session, filters.period, petition_conditions(filters, scope, ref), ref))


class ReplicaLoader:
    """The screen's data on the replica in two steps: the figures (called), then the hot words (`hot_words`).

    The screen draws the figures as soon as they are there; the hot words, whose first computation loads jieba's
    dictionary and segments a few hundred texts, follow in a task of their own."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        offline: Callable[[], bool],
        today: Callable[[], date] = china_today,
        scope: AnalyticsScope = COUNTY_SCOPE,
    ) -> None:
        self.sessions = sessions
        self.offline = offline
        self.today = today
        self.scope = scope

    def __call__(self) -> ScreenData:
        """The figures, hot words None (to come)."""
        with self.sessions() as session:
            return screen_figures(session, self.today(), scope=self.scope, offline=self.offline(), with_hot_words=False)

    def hot_words(self) -> tuple[tuple[str, float], ...]:
        """The hot words of the screen's period."""
        with self.sessions() as session:
            return screen_hot_words(session, self.today(), scope=self.scope)


def replica_loader(
    sessions: sessionmaker[Session],
    *,
    offline: Callable[[], bool],
    today: Callable[[], date] = china_today,
    scope: AnalyticsScope = COUNTY_SCOPE,
) -> ReplicaLoader:
    """A loader computing the screen's figures on the replica (it holds only what its user may see: county scope)."""
    return ReplicaLoader(sessions, offline=offline, today=today, scope=scope)
