"""The holiday calendar: which days are working days, and date arithmetic over them.

A day is a working day when it is an adjusted working day (调休上班, a weekend day worked), otherwise when it is
neither a public holiday nor a Saturday or Sunday. The calendar is data — the State Council publishes each
year's arrangement in autumn, and the administrator adds it: `data/holidays.tsv` ships 2024–2026, and
`HolidayCalendar.from_rows` accepts rows from any source (the server's `holiday` table: day, kind, name).
Outside the years the data covers, only weekends are days off (`HolidayCalendar.covers` tells).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from importlib import resources
from typing import Protocol, TypeVar

from efangtong_core.vocabulary import LabelledEnum


class HolidayKind(LabelledEnum):
    """节假日类别"""

    HOLIDAY = "holiday", "放假"
    WORKDAY = "workday", "调休上班"


class DayKind(LabelledEnum):
    """期限计算方式"""

    CALENDAR = "calendar", "自然日"
    WORKING = "working", "工作日"


class Period(Protocol):
    """Anything with a length in days and how the days count (a `DeadlineRule` is one)."""

    @property
    def days(self) -> int: ...

    @property
    def day_kind(self) -> str: ...


_K = TypeVar("_K", HolidayKind, DayKind)


def _member(kind: type[_K], code: str) -> _K:
    for member in kind:
        if member.value == code:
            return member
    raise ValueError(f"{code!r} 不是有效的{kind.__doc__}")


def _as_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"节假日表中的日期无法识别：{value!r}（应为 YYYY-MM-DD）")


def _tombstoned(row: object) -> bool:
    return getattr(row, "deleted_at", None) is not None or (isinstance(row, Mapping) and bool(row.get("deleted_at")))


def _row_fields(row: object) -> tuple[object, object, object]:
    """(day, kind, name) of a row that is a mapping, an object with those attributes, or a sequence."""
    if isinstance(row, Mapping):
        return row.get("day"), row.get("kind"), row.get("name", "")
    if hasattr(row, "day") and hasattr(row, "kind"):
        return row.day, row.kind, getattr(row, "name", "")
    if isinstance(row, tuple | list) and len(row) in (2, 3):
        return row[0], row[1], row[2] if len(row) == 3 else ""
    raise ValueError(f"节假日表的行格式无法识别：{row!r}")


@dataclass(frozen=True)
class HolidayCalendar:
    """Public holidays and adjusted working days (调休), with working-day arithmetic."""

    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    names: Mapping[date, str] = field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def from_rows(cls, rows: Iterable[object]) -> HolidayCalendar:
        """A calendar from rows (day, kind, name): mappings, objects with those attributes, or tuples."""
        holidays: set[date] = set()
        workdays: set[date] = set()
        names: dict[date, str] = {}
        for row in rows:
            if _tombstoned(row):
                continue  # a tombstoned database row
            raw_day, raw_kind, raw_name = _row_fields(row)
            day = _as_date(raw_day)
            try:
                kind = _member(HolidayKind, str(raw_kind).strip())
            except ValueError:
                raise ValueError(f"节假日表中 {day} 的类别「{raw_kind}」无效（应为 holiday 或 workday）") from None
            if day in (workdays if kind is HolidayKind.HOLIDAY else holidays):
                raise ValueError(f"节假日表中 {day} 同时被标为放假和调休上班")
            (holidays if kind is HolidayKind.HOLIDAY else workdays).add(day)
            names[day] = str(raw_name or "").strip()
        return cls(frozenset(holidays), frozenset(workdays), names)

    def overlaid(self, rows: Iterable[object]) -> HolidayCalendar:
        """This calendar with the administrator's table (rows as for `from_rows`) laid over it day by day.

        A live row sets its day's kind; a tombstoned row (a holiday the administrator removed) clears its day unless a
        live row of the same day exists. Days the table does not mention keep this calendar's kind, so adding one local
        holiday does not drop the national ones.
        """
        days: dict[date, tuple[object, object]] = {day: ("holiday", self.names.get(day, "")) for day in self.holidays}
        days |= {day: ("workday", self.names.get(day, "")) for day in self.workdays}
        live = []
        for row in rows:
            day, kind, name = _row_fields(row)
            if _tombstoned(row):
                days.pop(_as_date(day), None)
            else:
                live.append((_as_date(day), kind, name))
        for day, kind, name in live:
            days[day] = (kind, name)
        return HolidayCalendar.from_rows([(day, kind, name) for day, (kind, name) in days.items()])

    @classmethod
    def from_tsv(cls, text: str) -> HolidayCalendar:
        """A calendar from TSV text (day<TAB>kind<TAB>name); '#' comments and a `day` header line are skipped."""
        rows = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip() or line.startswith("#") or line.startswith("day\t"):
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) not in (2, 3):
                raise ValueError(f"节假日表第 {number} 行应有 2 或 3 列（日期、类别、名称）")
            rows.append(tuple(parts))
        return cls.from_rows(rows)

    def is_working_day(self, day: date) -> bool:
        """True if `day` is a working day: a 调休 workday, or a Monday–Friday that is not a holiday."""
        if day in self.workdays:
            return True
        return day not in self.holidays and day.weekday() < 5

    def name_of(self, day: date) -> str | None:
        """The holiday (or 调休) name of `day`, None for an ordinary day."""
        return self.names.get(day)

    def covers(self, day: date) -> bool:
        """True if the data includes the year of `day` (otherwise only weekends count as days off)."""
        return any(d.year == day.year for d in self.holidays)

    def next_working_day(self, day: date) -> date:
        """`day` itself if it is a working day, otherwise the first working day after it."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start` (`start` itself is not counted); `start` for n = 0."""
        if n < 0:
            raise ValueError("工作日天数不能为负数")
        day = start
        while n > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                n -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days lie after `start` up to and including `end` (0 if `end` ≤ `start`)."""
        count = 0
        day = start + timedelta(days=1)
        while day <= end:
            count += self.is_working_day(day)
            day += timedelta(days=1)
        return count

    def add_days(self, start: date, period: Period) -> date:
        """The last day of `period` counted from the day after `start` (see `efangtong_core.deadlines.due_date`)."""
        if period.days < 0:
            raise ValueError("期限天数不能为负数")
        if _member(DayKind, period.day_kind) is DayKind.WORKING:
            return self.add_working_days(start, period.days)
        # A calendar-day period whose last day is a day off ends on the next working day.
        return self.next_working_day(start + timedelta(days=period.days))


@functools.cache
def default_calendar() -> HolidayCalendar:
    """The shipped calendar (`data/holidays.tsv`, State Council arrangements 2024–2026), loaded once."""
    text = resources.files("efangtong_core").joinpath("data/holidays.tsv").read_text(encoding="utf-8")
    return HolidayCalendar.from_tsv(text)
