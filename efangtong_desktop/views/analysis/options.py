"""What the workspace's filters offer and how its choices become analytics filters (Qt-free)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from efangtong_core.analytics import DashboardFilters, Period, PeriodKind
from efangtong_core.analytics.periods import custom_period, period_containing, previous_period
from efangtong_core.models import ContentCategory, OrgUnit
from efangtong_core.vocabulary import OrgUnitKind


@dataclass(frozen=True)
class FilterOptions:
    """The towns, first-level categories and units to choose from, as (id, name) in display order."""

    towns: tuple[tuple[str, str], ...]
    categories: tuple[tuple[str, str], ...]
    units: tuple[tuple[str, str], ...]


def load_options(session: Session) -> FilterOptions:
    """Read the choices from the replica's reference tables."""
    units = session.execute(
        select(OrgUnit.id, OrgUnit.name, OrgUnit.kind).where(OrgUnit.deleted_at.is_(None)).order_by(OrgUnit.name)
    ).all()
    categories = session.execute(
        select(ContentCategory.id, ContentCategory.name)
        .where(ContentCategory.deleted_at.is_(None), ContentCategory.parent_id.is_(None))
        .order_by(ContentCategory.sort_order, ContentCategory.code)
    ).all()
    return FilterOptions(
        towns=tuple((row.id, row.name) for row in units if row.kind == OrgUnitKind.TOWN),
        categories=tuple((row.id, row.name) for row in categories),
        units=tuple((row.id, row.name) for row in units),
    )


@dataclass(frozen=True)
class Choice:
    """What the user picked: period kind and day(s), and at most one town, category and unit (None: all)."""

    kind: PeriodKind
    day: date
    end: date | None = None
    town: str | None = None
    category: str | None = None
    unit: str | None = None


def period_of(choice: Choice) -> Period:
    """The period chosen; ValueError with a Chinese reason for a bad custom range."""
    if choice.kind is PeriodKind.CUSTOM:
        return custom_period(choice.day, choice.end or choice.day)
    return period_containing(choice.kind, choice.day)


def filters_of(choice: Choice, *, town: str | None = None, period: Period | None = None) -> DashboardFilters:
    """The analytics filters of `choice`, optionally with another town or period (for a comparison)."""
    chosen_town = town if town is not None else choice.town
    return DashboardFilters(
        period=period or period_of(choice),
        town_ids=frozenset({chosen_town}) if chosen_town else frozenset(),
        category_ids=frozenset({choice.category}) if choice.category else frozenset(),
        unit_ids=frozenset({choice.unit}) if choice.unit else frozenset(),
    )


def previous_filters(filters: DashboardFilters) -> DashboardFilters:
    """The same filters one period earlier."""
    return DashboardFilters(previous_period(filters.period), filters.town_ids, filters.category_ids, filters.unit_ids)
