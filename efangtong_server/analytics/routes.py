"""GET /api/v1/analytics/dashboard and /cases: the figures for a period and filters, and the cases behind a figure."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, status

from efangtong_core.analytics import DashboardFilters, Figure, PeriodKind
from efangtong_core.analytics.snapshot import FIGURES_WITH_KEY
from efangtong_server.access.dependencies import Authorize
from efangtong_server.access.permissions import Permission
from efangtong_server.access.principal import Access
from efangtong_server.admin.fields import ID_PATTERN
from efangtong_server.analytics import service
from efangtong_server.analytics.schemas import CasePageOut, DashboardOut
from efangtong_server.database import DbSession

router = APIRouter(prefix="/api/v1/analytics", tags=["综合研判"])

AnalyticsAccess = Annotated[Access, Depends(Authorize(Permission.READ_ANALYTICS))]
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)
MAX_IDS = 50
KEY_PATTERN = r"^[A-Za-z0-9_-]{0,36}$"
KEY_HELP = "分组：信访形式代码、一级分类、属地、主办单位或信访人标识；空值表示未填写的一组"

Day = Annotated[date | None, Query(ge=EARLIEST, le=LATEST)]
Ids = Annotated[list[str], Query(max_length=MAX_IDS)]


class FilterParams:
    """The filters every analytics route takes: period and town, category and unit ids."""

    def __init__(
        self,
        period: Annotated[PeriodKind, Query(description="统计周期：day 日/week 周/month 月/year 年/custom 自定义")] = (
            PeriodKind.MONTH
        ),
        day: Annotated[Day, Query(description="周期所含的某一天，默认今天")] = None,
        start: Annotated[Day, Query(description="自定义周期开始日期（含）")] = None,
        end: Annotated[Day, Query(description="自定义周期结束日期（含）")] = None,
        town: Annotated[Ids, Query(description="属地（镇）标识，可多个")] = [],  # noqa: B006 — FastAPI copies defaults
        category: Annotated[Ids, Query(description="内容分类标识（一级或二级），可多个")] = [],  # noqa: B006
        unit: Annotated[Ids, Query(description="主办单位标识（含下级单位），可多个")] = [],  # noqa: B006
    ) -> None:
        for value in (*town, *category, *unit):
            if not _is_id(value):
                raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, "标识格式无效")
        self.today = service.today_in_china()
        try:
            chosen = service.make_period(kind=period, day=day, start=start, end=end, today=self.today)
        except ValueError as error:
            raise HTTPException(status.HTTP_400_BAD_REQUEST, str(error)) from error
        self.filters: DashboardFilters = service.make_filters(chosen, towns=town, categories=category, units=unit)


def _is_id(value: str) -> bool:
    return re.fullmatch(ID_PATTERN, value) is not None


Filters = Annotated[FilterParams, Depends()]


@router.get("/dashboard", summary="综合研判指标", response_model=DashboardOut)
def get_dashboard(access: AnalyticsAccess, session: DbSession, params: Filters) -> DashboardOut:
    """Every dashboard figure for the filters, within the caller's scope."""
    snapshot = service.dashboard(session, filters=params.filters, scope=access.scope, today=params.today)
    return DashboardOut.model_validate(snapshot)


@router.get("/cases", summary="指标下钻：指标背后的案件", response_model=CasePageOut)
def get_cases(
    access: AnalyticsAccess,
    session: DbSession,
    params: Filters,
    figure: Annotated[Figure, Query(description="指标")],
    key: Annotated[
        str | None, Query(pattern=KEY_PATTERN, description="分组：信访形式代码、分类、属地、单位或信访人标识")
    ] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> CasePageOut:
    """A page of the cases counted by `figure` (and `key`), newest first, personal data masked."""
    if figure in FIGURES_WITH_KEY and key is None:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, f"指标「{figure.label}」须指定分组（key）")
    page = service.cases(
        session,
        figure=figure,
        key=key,
        filters=params.filters,
        scope=access.scope,
        today=params.today,
        offset=offset,
        limit=limit,
    )
    return CasePageOut.model_validate(page)
