"""Request and response bodies of the deadline-rule and holiday routes."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from efangtong_core.case_states import EventType
from efangtong_core.workdays import DayKind, HolidayKind
from efangtong_server.admin.fields import line, paragraph

FIRST_YEAR, LAST_YEAR = 2000, 2100


def _calendar_day(value: date) -> date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"日期应在 {FIRST_YEAR} 至 {LAST_YEAR} 年之间")
    return value


CalendarDay = Annotated[date, AfterValidator(_calendar_day)]


class DeadlineRuleUpdate(BaseModel):
    """Changes to a deadline rule; only the fields sent are changed."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, line(100)] | None = None
    article: Annotated[str, line(100, min_length=0)] | None = Field(default=None, description="依据条款")
    days: Annotated[int, Field(ge=1, le=365)] | None = Field(default=None, description="天数（1–365）")
    day_kind: DayKind | None = Field(default=None, description="calendar 自然日 / working 工作日")
    starts_at: EventType | None = Field(default=None, description="起算事件（案件事件类型代码）")
    note: Annotated[str, paragraph(1000)] | None = Field(default=None, description="说明")
    active: bool | None = Field(default=None, description="是否启用")


class DeadlineRuleOut(BaseModel):
    """A deadline rule; `stored` is false for a built-in default not yet saved in the database."""

    code: str
    name: str
    article: str
    days: int
    day_kind: str
    day_kind_label: str
    starts_at: str
    starts_at_label: str
    note: str | None
    active: bool
    stored: bool


class HolidayIn(BaseModel):
    """A day of the holiday calendar: a holiday (放假) or a weekend day worked (调休上班)."""

    model_config = ConfigDict(extra="forbid")

    day: CalendarDay = Field(description="日期（YYYY-MM-DD）")
    kind: HolidayKind = Field(description="holiday 放假 / workday 调休上班")
    name: Annotated[str, line(50)] | None = Field(default=None, description="名称（如 春节）")


class HolidayYear(BaseModel):
    """The whole holiday arrangement of one year, replacing what the table held for that year."""

    model_config = ConfigDict(extra="forbid")

    days: list[HolidayIn] = Field(max_length=366, description="该年全部放假日与调休上班日")


class HolidayOut(BaseModel):
    """A day of the holiday calendar."""

    id: str
    day: date
    kind: str
    kind_label: str
    name: str | None


class HolidayImportResult(BaseModel):
    """What importing a year changed, and the year's calendar afterwards."""

    year: int
    added: int
    changed: int
    removed: int
    unchanged: int
    days: list[HolidayOut]
