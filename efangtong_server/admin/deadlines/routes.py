"""Deadline-rule and holiday routes under /api/v1/admin/deadlines, reference reads under /api/v1/reference."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, status

from efangtong_core.case_states import EventType
from efangtong_core.models import DeadlineRule, Holiday
from efangtong_core.workdays import DayKind, HolidayKind
from efangtong_server.access.dependencies import AdminAccess, ReferenceAccess
from efangtong_server.admin.common import AdminRoute, actor_of
from efangtong_server.admin.deadlines import service
from efangtong_server.admin.deadlines.schemas import (
    FIRST_YEAR,
    LAST_YEAR,
    DeadlineRuleOut,
    DeadlineRuleUpdate,
    HolidayImportResult,
    HolidayIn,
    HolidayOut,
    HolidayYear,
)
from efangtong_server.admin.fields import IdPath
from efangtong_server.database import DbSession

router = APIRouter(prefix="/api/v1/admin/deadlines", tags=["系统设置：期限与节假日"], route_class=AdminRoute)
reference_router = APIRouter(prefix="/api/v1/reference", tags=["基础数据"], route_class=AdminRoute)

Year = Annotated[int, Query(ge=FIRST_YEAR, le=LAST_YEAR, description="年份")]
YearPath = Annotated[int, Path(ge=FIRST_YEAR, le=LAST_YEAR, description="年份")]
RuleCode = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]{0,31}$", description="规则代码")]


def _label(kind: type[DayKind] | type[EventType] | type[HolidayKind], code: str) -> str:
    return kind.from_code(code).label if kind.has_code(code) else code


def _rule_out(row: DeadlineRule, stored: bool) -> DeadlineRuleOut:
    return DeadlineRuleOut(
        code=row.code,
        name=row.name,
        article=row.article,
        days=row.days,
        day_kind=row.day_kind,
        day_kind_label=_label(DayKind, row.day_kind),
        starts_at=row.starts_at,
        starts_at_label=_label(EventType, row.starts_at),
        note=row.note,
        active=row.active,
        stored=stored,
    )


def _holiday_out(row: Holiday) -> HolidayOut:
    return HolidayOut(id=row.id, day=row.day, kind=row.kind, kind_label=_label(HolidayKind, row.kind), name=row.name)


@router.get("/rules", summary="期限规则列表")
def list_rules(access: AdminAccess, session: DbSession) -> list[DeadlineRuleOut]:
    """Every deadline rule: the stored ones, then built-in defaults not yet saved."""
    return [_rule_out(row, stored) for row, stored in service.list_rules(session)]


@router.patch("/rules/{code}", summary="修改期限规则")
def update_rule(
    code: RuleCode, body: DeadlineRuleUpdate, request: Request, access: AdminAccess, session: DbSession
) -> DeadlineRuleOut:
    """Change a rule's days, day kind, start event, article, note or whether it is in force."""
    values = body.model_dump(mode="json", exclude_unset=True)
    return _rule_out(service.update_rule(session, actor=actor_of(access, request), code=code, values=values), True)


@router.get("/holidays", summary="节假日列表（按年）")
def list_holidays(year: Year, access: AdminAccess, session: DbSession) -> list[HolidayOut]:
    """The holidays and 调休 workdays of a year."""
    return [_holiday_out(row) for row in service.list_holidays(session, year=year)]


@router.post("/holidays", status_code=status.HTTP_201_CREATED, summary="新增节假日")
def add_holiday(body: HolidayIn, request: Request, access: AdminAccess, session: DbSession) -> HolidayOut:
    """Add a holiday or a 调休 workday."""
    row = service.add_holiday(
        session, actor=actor_of(access, request), day=body.day, kind=body.kind.value, name=body.name
    )
    return _holiday_out(row)


@router.delete("/holidays/{holiday_id}", summary="删除节假日")
def remove_holiday(holiday_id: IdPath, request: Request, access: AdminAccess, session: DbSession) -> HolidayOut:
    """Take a day out of the holiday calendar."""
    return _holiday_out(service.remove_holiday(session, actor=actor_of(access, request), holiday_id=holiday_id))


@router.put("/holidays/years/{year}", summary="导入全年节假日安排")
def import_year(
    year: YearPath, body: HolidayYear, request: Request, access: AdminAccess, session: DbSession
) -> HolidayImportResult:
    """Replace a year's calendar with the State Council's arrangement for it."""
    days = [{"day": entry.day, "kind": entry.kind.value, "name": entry.name} for entry in body.days]
    counts = service.import_year(session, actor=actor_of(access, request), year=year, days=days)
    return HolidayImportResult(
        year=year,
        added=counts.added,
        changed=counts.changed,
        removed=counts.removed,
        unchanged=counts.unchanged,
        days=[_holiday_out(row) for row in service.list_holidays(session, year=year)],
    )


@reference_router.get("/deadline-rules", summary="期限规则（基础数据）")
def reference_rules(access: ReferenceAccess, session: DbSession) -> list[DeadlineRuleOut]:
    """The deadline rules in force, for every signed-in client."""
    return [_rule_out(row, stored) for row, stored in service.list_rules(session) if row.active]


@reference_router.get("/holidays", summary="节假日（基础数据）")
def reference_holidays(year: Year, access: ReferenceAccess, session: DbSession) -> list[HolidayOut]:
    """The holiday calendar of a year, for every signed-in client."""
    return [_holiday_out(row) for row in service.list_holidays(session, year=year)]
