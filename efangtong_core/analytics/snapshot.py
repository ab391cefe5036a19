"""The dashboard snapshot: the filters a user chose and every figure computed for them, as frozen dataclasses.

This is the contract between the analytics library (`efangtong_core.analytics`) and its consumers — the server's
analytics routes, the counter's big screen and analysis workspace (which compute the same snapshot on the local
replica when offline). Definitions of the figures are in the docstrings of `efangtong_core.analytics.figures`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from efangtong_core.vocabulary import LabelledEnum


class PeriodKind(LabelledEnum):
    """统计周期"""

    DAY = "day", "日"
    WEEK = "week", "周"
    MONTH = "month", "月"
    YEAR = "year", "年"
    CUSTOM = "custom", "自定义"


@dataclass(frozen=True)
class Period:
    """A statistics period: local (China Standard Time) calendar days `start`..`end`, both inclusive."""

    kind: PeriodKind
    start: date
    end: date

    @property
    def days(self) -> int:
        """Number of calendar days in the period."""
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class AnalyticsScope:
    """Which petitions a user may count: the whole county, or those whose town or lead unit is in `unit_ids`."""

    county: bool
    unit_ids: frozenset[str] = frozenset()


COUNTY_SCOPE = AnalyticsScope(county=True)
"""The scope of the bureau's roles (and of a replica that holds only what its user may see anyway)."""


@dataclass(frozen=True)
class DashboardFilters:
    """What the user narrowed the figures to; an empty id set means no narrowing on that dimension."""

    period: Period
    town_ids: frozenset[str] = frozenset()
    category_ids: frozenset[str] = frozenset()
    """First- or second-level category ids; a first-level id stands for all its second-level categories."""
    unit_ids: frozenset[str] = frozenset()
    """Lead (主办) units; a unit stands for itself and its sub-units."""


@dataclass(frozen=True)
class Count:
    """批次 (petitions) and 人次 (sum of head counts) of one group of petitions."""

    key: str
    label: str
    batches: int
    persons: int


@dataclass(frozen=True)
class Rate:
    """A rate as numerator / denominator; `value` is None when the denominator is zero."""

    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        """The rate in 0..1, or None when nothing was counted."""
        return self.numerator / self.denominator if self.denominator else None


@dataclass(frozen=True)
class UnitOverdue:
    """A lead unit's open cases past their deadline today, out of its open cases."""

    unit_id: str
    label: str
    overdue: int
    open: int


@dataclass(frozen=True)
class RepeatPetitioner:
    """A petitioner with repeated petitions in the period; personal data masked."""

    petitioner_id: str
    masked_name: str
    masked_id_number: str | None
    petitions: int
    repeats: int


@dataclass(frozen=True)
class HotWord:
    """A keyword of the period's petition texts with its weight (relative, the first word is 1.0)."""

    word: str
    weight: float
    documents: int


@dataclass(frozen=True)
class Surge:
    """A town or first-level category whose count in the period is far above its own trailing baseline."""

    dimension: str
    """"town" or "category"."""
    key: str
    label: str
    count: int
    baseline: float
    """Mean count over the trailing baseline periods."""
    p_value: float


@dataclass(frozen=True)
class TrendPoint:
    """One point of a trend series: the period starting on `start` (a day or the first of a month)."""

    start: date
    batches: int
    persons: int


@dataclass(frozen=True)
class DashboardSnapshot:
    """Every dashboard figure for one set of filters and one scope, as of `data_as_of`."""

    filters: DashboardFilters
    today: date
    data_as_of: datetime
    totals: Count
    by_form: tuple[Count, ...]
    by_category: tuple[Count, ...]
    """By first-level category, largest first; petitions without a category under key ""."""
    by_town: tuple[Count, ...]
    """By town of the matter, largest first; petitions without a town under key ""."""
    group_visits: Count
    first_time: Count
    repeats: Count
    timely_acceptance: Rate
    on_time_closure: Rate
    evaluation_rate: Rate
    satisfaction_rate: Rate
    overdue_by_unit: tuple[UnitOverdue, ...]
    top_repeat_petitioners: tuple[RepeatPetitioner, ...]
    hot_words: tuple[HotWord, ...]
    surges: tuple[Surge, ...]
    trend_daily: tuple[TrendPoint, ...]
    trend_monthly: tuple[TrendPoint, ...]
    open_warnings: int | None = field(default=None)
    """Current open warnings in scope; None until the warnings rules exist."""


class Figure(LabelledEnum):
    """可下钻的指标"""

    TOTAL = "total", "信访总量"
    FORM = "form", "按信访形式"
    CATEGORY = "category", "按内容分类"
    TOWN = "town", "按属地"
    GROUP_VISIT = "group_visit", "集体访"
    FIRST_TIME = "first_time", "初信初访"
    REPEAT = "repeat", "重复信访"
    ACCEPTED = "accepted", "已受理"
    ACCEPTED_LATE = "accepted_late", "超期受理"
    CLOSED = "closed", "已办结"
    CLOSED_LATE = "closed_late", "超期办结"
    REPLIED = "replied", "已答复"
    UNEVALUATED = "unevaluated", "未参评"
    EVALUATED = "evaluated", "已参评"
    DISSATISFIED = "dissatisfied", "不满意"
    OVERDUE = "overdue", "当前超期"
    REPEAT_PETITIONER = "repeat_petitioner", "重复信访人"


FIGURES_WITH_KEY = frozenset({Figure.FORM, Figure.CATEGORY, Figure.TOWN, Figure.REPEAT_PETITIONER})
"""Figures whose drill-down needs a key (form code, first-level category id, town id, petitioner id)."""
