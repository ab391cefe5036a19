"""What the big screen shows, as plain values: the screen's view of an analytics snapshot, and how figures read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from efangtong_desktop.bigscreen import texts


@dataclass(frozen=True)
class Kpi:
    """One KPI tile: its key, label and shown text."""

    key: str
    label: str
    text: str


@dataclass(frozen=True)
class ScreenData:
    """Everything one refresh of the big screen draws."""

    as_of: datetime | None
    """The data's time: the newest change in the database the figures were computed from."""
    period_start: date
    period_end: date
    batches: int
    persons: int
    timely_acceptance: float | None
    on_time_closure: float | None
    satisfaction: float | None
    overdue: int
    warnings: int | None
    trend: tuple[tuple[date, int], ...] = ()
    categories: tuple[tuple[str, int], ...] = ()
    towns: tuple[tuple[str, int], ...] = ()
    hot_words: tuple[tuple[str, float], ...] | None = ()
    """None while they are still being computed (they follow the figures: see data.ReplicaLoader)."""
    offline: bool = True
    elapsed_ms: float = 0.0
    worker_thread: str = field(default="", compare=False)

    def kpis(self) -> tuple[Kpi, ...]:
        """The tiles in screen order."""
        return (
            Kpi("batches", texts.KPI_BATCHES, format_count(self.batches)),
            Kpi("persons", texts.KPI_PERSONS, format_count(self.persons)),
            Kpi("timely", texts.KPI_TIMELY, format_rate(self.timely_acceptance)),
            Kpi("on_time", texts.KPI_ON_TIME, format_rate(self.on_time_closure)),
            Kpi("satisfaction", texts.KPI_SATISFACTION, format_rate(self.satisfaction)),
            Kpi("overdue", texts.KPI_OVERDUE, format_count(self.overdue)),
            Kpi("warnings", texts.KPI_WARNINGS, format_count(self.warnings)),
        )

    def towns_ranked(self) -> tuple[tuple[str, int], ...]:
        """Towns by count, highest first (ties by name)."""
        return tuple(sorted(self.towns, key=lambda item: (-item[1], item[0])))


def format_count(value: int | None) -> str:
    """A count with thousands separators, or a dash when unknown."""
    return texts.NO_VALUE if value is None else f"{value:,}"


def format_rate(value: float | None) -> str:
    """A 0..1 rate as a percentage with one decimal, or a dash when there is nothing to rate."""
    return texts.NO_VALUE if value is None else f"{value * 100:.1f}%"


def format_moment(moment: datetime | None) -> str:
    """The 数据截至 line for a moment (or the line for no data)."""
    if moment is None:
        return texts.AS_OF_UNKNOWN
    return texts.AS_OF.format(moment=texts.MOMENT_FORMAT.format(moment))
