"""Response bodies of the analytics routes, read from the core's snapshot dataclasses."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class PeriodOut(_Out):
    """统计周期（本地日期，含起止日）"""

    kind: str
    start: date
    end: date


class FiltersOut(_Out):
    """所用筛选条件"""

    period: PeriodOut
    town_ids: list[str]
    category_ids: list[str]
    unit_ids: list[str]


class CountOut(_Out):
    """批次与人次"""

    key: str
    label: str
    batches: int
    persons: int


class RateOut(_Out):
    """比率 = 分子 / 分母；分母为 0 时 value 为空"""

    numerator: int
    denominator: int
    value: float | None


class UnitOverdueOut(_Out):
    """单位当前超期件数"""

    unit_id: str
    label: str
    overdue: int
    open: int


class RepeatPetitionerOut(_Out):
    """重复信访人（已脱敏）"""

    petitioner_id: str
    masked_name: str
    masked_id_number: str | None
    petitions: int
    repeats: int


class HotWordOut(_Out):
    """热词"""

    word: str
    weight: float
    documents: int


class SurgeOut(_Out):
    """异常增长"""

    dimension: str
    key: str
    label: str
    count: int
    baseline: float
    p_value: float


class TrendPointOut(_Out):
    """趋势点"""

    start: date
    batches: int
    persons: int


class DashboardOut(_Out):
    """综合研判：一组筛选条件下的全部指标"""

    filters: FiltersOut
    today: date
    data_as_of: datetime
    totals: CountOut
    by_form: list[CountOut]
    by_category: list[CountOut]
    by_town: list[CountOut]
    group_visits: CountOut
    first_time: CountOut
    repeats: CountOut
    timely_acceptance: RateOut
    on_time_closure: RateOut
    evaluation_rate: RateOut
    satisfaction_rate: RateOut
    overdue_by_unit: list[UnitOverdueOut]
    top_repeat_petitioners: list[RepeatPetitionerOut]
    hot_words: list[HotWordOut]
    surges: list[SurgeOut]
    trend_daily: list[TrendPointOut]
    trend_monthly: list[TrendPointOut]
    open_warnings: int | None


class CaseRowOut(_Out):
    """下钻列表中的一件（信访人姓名已脱敏）"""

    id: str
    case_number: str | None
    registered_at: datetime
    form: str
    category: str
    town: str
    head_count: int
    state: str
    lead_unit: str
    deadline: date | None
    petitioner: str
    title: str


class CasePageOut(_Out):
    """指标下钻：一页案件及总数"""

    total: int
    rows: list[CaseRowOut]
