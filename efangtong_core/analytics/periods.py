"""Statistics periods: the day, week (Monday–Sunday), month, year or custom range around a day, in China time.

Petition times are stored in UTC; a period is a range of local (UTC+8) calendar days, so its bounds in the
database are local midnights converted to UTC. The trailing periods that serve as a surge baseline have the same
kind: the 12 months before a month, the 12 weeks before a week, the 12 equal-length ranges before a custom range.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

from efangtong_core.analytics.snapshot import Period, PeriodKind

CHINA_TZ = timezone(timedelta(hours=8), "CST")
MAX_CUSTOM_DAYS = 3 * 366
"""Longest custom period accepted (three years)."""


def period_containing(kind: PeriodKind, day: date) -> Period:
    """The day, week, month or year containing `day` (a custom period needs `custom_period`)."""
    if kind is PeriodKind.DAY:
        return Period(kind, day, day)
    if kind is PeriodKind.WEEK:
        start = day - timedelta(days=day.weekday())
        return Period(kind, start, start + timedelta(days=6))
    if kind is PeriodKind.MONTH:
        start = day.replace(day=1)
        return Period(kind, start, _add_months(start, 1) - timedelta(days=1))
    if kind is PeriodKind.YEAR:
        return Period(kind, date(day.year, 1, 1), date(day.year, 12, 31))
    raise ValueError("自定义统计周期须给出起止日期")


def custom_period(start: date, end: date) -> Period:
    """A custom period `start`..`end` (inclusive); ValueError with a Chinese reason if it is reversed or too long."""
    if end < start:
        raise ValueError("统计周期的结束日期不能早于开始日期")
    if (end - start).days + 1 > MAX_CUSTOM_DAYS:
        raise ValueError(f"自定义统计周期不能超过 {MAX_CUSTOM_DAYS} 天")
    return Period(PeriodKind.CUSTOM, start, end)


def previous_period(period: Period) -> Period:
    """The period of the same kind just before `period`."""
    if period.kind is PeriodKind.MONTH:
        start = _add_months(period.start, -1)
        return Period(period.kind, start, period.start - timedelta(days=1))
    if period.kind is PeriodKind.YEAR:
        return Period(period.kind, date(period.start.year - 1, 1, 1), date(period.start.year - 1, 12, 31))
    length = timedelta(days=period.days)
    return Period(period.kind, period.start - length, period.end - length)


def trailing_periods(period: Period, count: int) -> list[Period]:
    """The `count` periods of the same kind before `period`, oldest first."""
    found: list[Period] = []
    current = period
    for _ in range(count):
        current = previous_period(current)
        found.append(current)
    return found[::-1]


def local_midnight_utc(day: date) -> datetime:
    """The UTC instant at which local day `day` begins."""
    return datetime.combine(day, time(0), tzinfo=CHINA_TZ).astimezone(UTC)


def utc_bounds(period: Period) -> tuple[datetime, datetime]:
    """The period as a half-open UTC range [start, end)."""
    return local_midnight_utc(period.start), local_midnight_utc(period.end + timedelta(days=1))


def local_date(at: datetime) -> date:
    """The local (China) calendar day of instant `at` (a naive value is taken as UTC)."""
    aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return aware.astimezone(CHINA_TZ).date()


def month_starts(last: date, count: int) -> list[date]:
    """The first days of the `count` months ending with the month of `last`, oldest first."""
    first = last.replace(day=1)
    return [_add_months(first, -n) for n in range(count - 1, -1, -1)]


def _add_months(first_of_month: date, months: int) -> date:
    index = first_of_month.year * 12 + first_of_month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)
