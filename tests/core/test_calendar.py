"""The holiday calendar: shipped data, loading from rows, working-day arithmetic across holidays and 调休."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from efangtong_core.workdays import DayKind, HolidayCalendar, HolidayKind, default_calendar

CAL = default_calendar()


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 1, 27), True),  # Monday before the Spring Festival
        (date(2025, 1, 28), False),  # 除夕, holiday since 2025
        (date(2025, 2, 4), False),  # 正月初七, last day off
        (date(2025, 2, 5), True),
        (date(2025, 1, 26), True),  # Sunday worked (调休)
        (date(2025, 2, 8), True),  # Saturday worked (调休)
        (date(2025, 2, 9), False),  # ordinary Sunday
        (date(2024, 2, 18), True),  # Sunday worked after the 2024 Spring Festival
        (date(2024, 2, 9), True),  # 2024 除夕 was a working day (only encouraged off)
        (date(2025, 10, 8), False),  # 国庆节、中秋节 merged into eight days
        (date(2026, 1, 4), True),  # Sunday worked after 元旦 2026
        (date(2026, 2, 23), False),
        (date(2026, 2, 28), True),
    ],
)
def test_shipped_calendar_knows_holidays_and_adjusted_workdays(day: date, working: bool) -> None:
    assert CAL.is_working_day(day) is working


def test_shipped_calendar_covers_three_years_with_names() -> None:
    assert all(CAL.covers(date(year, 6, 1)) for year in (2024, 2025, 2026))
    assert not CAL.covers(date(2027, 6, 1))
    assert CAL.name_of(date(2025, 1, 29)) == "春节"
    assert CAL.name_of(date(2025, 2, 8)) == "春节调休上班"
    assert CAL.name_of(date(2025, 3, 3)) is None
    # Every 调休 day is a weekend day, every holiday a day off.
    assert all(day.weekday() >= 5 for day in CAL.workdays)
    assert not any(CAL.is_working_day(day) for day in CAL.holidays)


def test_working_days_across_the_2025_spring_festival() -> None:
    # Friday 24 January 2025: Sun 26 (调休) and Mon 27 count, 28 Jan – 4 Feb are off, then 5, 6, 7 February.
    assert CAL.add_working_days(date(2025, 1, 24), 1) == date(2025, 1, 26)
    assert CAL.add_working_days(date(2025, 1, 24), 2) == date(2025, 1, 27)
    assert CAL.add_working_days(date(2025, 1, 24), 5) == date(2025, 2, 7)
    # Thursday 6 February + 2 working days: Friday 7, Saturday 8 (调休).
    assert CAL.add_working_days(date(2025, 2, 6), 2) == date(2025, 2, 8)
    assert CAL.add_working_days(date(2025, 2, 6), 0) == date(2025, 2, 6)


def test_working_days_across_the_2026_spring_festival() -> None:
    # Friday 13 Feb 2026: Sat 14 worked, 15–23 off, then 24, 25, 26, 27.
    assert CAL.add_working_days(date(2026, 2, 13), 5) == date(2026, 2, 27)
    assert CAL.working_days_between(date(2026, 2, 13), date(2026, 2, 27)) == 5


def test_calendar_periods_roll_over_days_off() -> None:
    class Days:
        def __init__(self, days: int, kind: DayKind) -> None:
            self.days, self.day_kind = days, kind

    # 15 calendar days from 14 Jan 2025 ends on 29 Jan (Spring Festival) → next working day, 5 Feb.
    assert CAL.add_days(date(2025, 1, 14), Days(15, DayKind.CALENDAR)) == date(2025, 2, 5)
    # Ending on a Saturday that is 调休 workday: stays.
    assert CAL.add_days(date(2025, 1, 24), Days(15, DayKind.CALENDAR)) == date(2025, 2, 8)
    # Ending on an ordinary Sunday: Monday.
    assert CAL.add_days(date(2025, 3, 1), Days(15, DayKind.CALENDAR)) == date(2025, 3, 17)
    assert CAL.add_days(date(2025, 1, 24), Days(5, DayKind.WORKING)) == date(2025, 2, 7)


def test_negative_periods_are_refused() -> None:
    with pytest.raises(ValueError, match="负数"):
        CAL.add_working_days(date(2025, 1, 1), -1)


def test_from_rows_accepts_mappings_objects_and_tuples() -> None:
    class Row:
        def __init__(self, day: date, kind: str, name: str) -> None:
            self.day, self.kind, self.name = day, kind, name

    calendar = HolidayCalendar.from_rows(
        [
            {"day": "2030-01-01", "kind": "holiday", "name": "元旦"},
            Row(date(2030, 1, 5), HolidayKind.WORKDAY, "调休"),
            ("2030-01-02", "holiday"),
            {"day": "2030-01-07", "kind": "holiday", "name": "已删除", "deleted_at": "2029-12-01"},
        ]
    )
    assert calendar.is_working_day(date(2030, 1, 7))
    assert not calendar.is_working_day(date(2030, 1, 1))
    assert not calendar.is_working_day(date(2030, 1, 2))
    assert calendar.is_working_day(date(2030, 1, 5))  # a Saturday
    assert calendar.name_of(date(2030, 1, 5)) == "调休"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("2030-13-01", "holiday", "x")], "日期无法识别"),
        ([("2030-01-01", "vacation", "x")], "类别「vacation」无效"),
        ([("2030-01-01", "holiday", ""), ("2030-01-01", "workday", "")], "同时被标为放假和调休上班"),
        ([42], "行格式无法识别"),
    ],
)
def test_from_rows_rejects_bad_rows_in_chinese(rows: list[object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        HolidayCalendar.from_rows(rows)


def test_from_tsv_skips_comments_and_header_and_checks_columns() -> None:
    calendar = HolidayCalendar.from_tsv("# comment\nday\tkind\tname\n2030-01-01\tholiday\t元旦\n")
    assert calendar.holidays == frozenset({date(2030, 1, 1)})
    with pytest.raises(ValueError, match="第 1 行"):
        HolidayCalendar.from_tsv("2030-01-01\n")


def test_without_data_only_weekends_are_off() -> None:
    plain = HolidayCalendar()
    assert plain.add_working_days(date(2025, 1, 24), 5) == date(2025, 1, 31)


@given(st.dates(date(2023, 12, 1), date(2027, 1, 31)), st.integers(0, 40))
def test_add_working_days_lands_on_a_working_day_n_working_days_later(start: date, n: int) -> None:
    end = CAL.add_working_days(start, n)
    assert CAL.working_days_between(start, end) == n
    assert n == 0 or CAL.is_working_day(end)
    assert CAL.next_working_day(end) == end or n == 0


@given(st.dates(date(2023, 12, 1), date(2027, 1, 31)))
def test_next_working_day_is_the_first_working_day_on_or_after(day: date) -> None:
    nxt = CAL.next_working_day(day)
    assert CAL.is_working_day(nxt)
    assert all(not CAL.is_working_day(day + timedelta(days=i)) for i in range((nxt - day).days))


def test_the_administrators_table_is_laid_over_the_shipped_calendar_day_by_day() -> None:
    shipped = default_calendar()
    assert date(2026, 10, 1) in shipped.holidays
    local = shipped.overlaid([{"day": "2026-06-15", "kind": "holiday", "name": "那达慕"}])
    assert date(2026, 6, 15) in local.holidays and date(2026, 10, 1) in local.holidays  # one local day drops nothing
    removed = shipped.overlaid(
        [
            {"day": date(2026, 10, 1), "kind": "holiday", "deleted_at": "2026-09-01T00:00:00"},
            {"day": date(2026, 10, 2), "kind": "holiday", "deleted_at": "2026-09-01T00:00:00"},
            {"day": date(2026, 10, 2), "kind": "holiday", "name": "国庆节"},
        ]
    )
    assert date(2026, 10, 1) not in removed.holidays and date(2026, 10, 2) in removed.holidays
