"""What every analytics query shares: the small reference tables, the filter and scope conditions, local dates in SQL.

Filters and the role scope become SQL conditions on `petition`, so every figure is aggregated in the database over
exactly the petitions the user may see. Scope: a unit-scoped user counts a petition when its town of the matter
(属地) or its lead unit (主办) is one of their units — a town answers for the matters in its territory and for the
cases assigned to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, false, func, or_, select
from sqlalchemy.orm import QueryableAttribute, Session

from efangtong_core import deadlines as dl
from efangtong_core.analytics.periods import utc_bounds
from efangtong_core.analytics.rollup import Conditions, RollupFilter
from efangtong_core.analytics.snapshot import AnalyticsScope, DashboardFilters, Period
from efangtong_core.deadlines import DeadlineRule, rules_from_rows
from efangtong_core.models import ContentCategory, Holiday, OrgUnit, Petition
from efangtong_core.models import DeadlineRule as DeadlineRuleRow
from efangtong_core.vocabulary import OrgUnitKind
from efangtong_core.workdays import HolidayCalendar, default_calendar

CHINA_ZONE = "Asia/Shanghai"
NO_KEY = ""
"""Key of the group of petitions without a town, category or unit."""
NO_KEY_LABEL = "未填写"


@dataclass(frozen=True)
class Reference:
    """The small tables the figures need to label and group: categories, units, the calendar, the deadline rules."""

    dialect: str
    category_parent: dict[str, str | None]
    category_name: dict[str, str]
    category_order: dict[str, tuple[int, str]]
    unit_parent: dict[str, str | None]
    unit_name: dict[str, str]
    town_ids: frozenset[str]
    calendar: HolidayCalendar
    rules: dict[str, DeadlineRule]

    def first_level(self, category_id: str | None) -> str:
        """The first-level category of a (second-level) category id; "" for none."""
        if category_id is None or category_id not in self.category_parent:
            return NO_KEY
        parent = self.category_parent[category_id]
        return category_id if parent is None else parent

    def category_label(self, key: str) -> str:
        """A category's name, or 未填写."""
        return self.category_name.get(key, NO_KEY_LABEL)

    def unit_label(self, key: str) -> str:
        """A unit's name, or 未填写."""
        return self.unit_name.get(key, NO_KEY_LABEL)

    def categories_under(self, ids: frozenset[str]) -> list[str]:
        """The given category ids and all second-level categories under the first-level ones."""
        found = set(ids)
        found.update(child for child, parent in self.category_parent.items() if parent in ids)
        return sorted(found)

    def units_under(self, ids: frozenset[str]) -> list[str]:
        """The given units and all their sub-units."""
        found = set(ids)
        pending = list(ids)
        while pending:
            unit = pending.pop()
            for child, parent in self.unit_parent.items():
                if parent == unit and child not in found:
                    found.add(child)
                    pending.append(child)
        return sorted(found)


def load_reference(session: Session) -> Reference:
    """Read the categories, units, holiday calendar and deadline rules (small tables) once per computation."""
    categories = session.execute(
        select(ContentCategory.id, ContentCategory.parent_id, ContentCategory.name, ContentCategory.sort_order,
               ContentCategory.code).where(ContentCategory.deleted_at.is_(None))
    ).all()  # fmt: skip
    units = session.execute(
        select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.name, OrgUnit.kind).where(OrgUnit.deleted_at.is_(None))
    ).all()
    holidays = session.scalars(select(Holiday).where(Holiday.deleted_at.is_(None))).all()
    rule_rows = session.scalars(select(DeadlineRuleRow)).all()
    rules = {rule.code: rule for rule in (rules_from_rows(rule_rows) or dl.DEFAULT_DEADLINE_RULES)}
    for rule in dl.DEFAULT_DEADLINE_RULES:
        rules.setdefault(rule.code, rule)
    return Reference(
        dialect=session.get_bind().dialect.name,
        category_parent={row.id: row.parent_id for row in categories},
        category_name={row.id: row.name for row in categories},
        category_order={row.id: (row.sort_order, row.code) for row in categories},
        unit_parent={row.id: row.parent_id for row in units},
        unit_name={row.id: row.name for row in units},
        town_ids=frozenset(row.id for row in units if row.kind == OrgUnitKind.TOWN),
        calendar=default_calendar().overlaid(holidays),
        rules=rules,
    )


def petition_conditions(filters: DashboardFilters, scope: AnalyticsScope, ref: Reference) -> Conditions:
    """The filters (except the period) and the scope as conditions on `petition`; tombstoned rows never count.

    The rollups apply the same filters and scope (`Conditions.rollup`: their keys include town and lead unit)."""
    conditions = Conditions([Petition.deleted_at.is_(None)])
    categories = ref.categories_under(filters.category_ids) if filters.category_ids else []
    lead_units = ref.units_under(filters.unit_ids) if filters.unit_ids else []
    # Scope and filters are checked on the columns as read from the period's covering index (`_read`), never
    # looked up by their own indexes: a town's petitions of all years by town or lead unit are far more rows.
    if filters.town_ids:
        conditions.append(_read(Petition.town_id).in_(sorted(filters.town_ids)))
    if filters.category_ids:
        conditions.append(_read(Petition.category_id).in_(categories))
    if filters.unit_ids:
        conditions.append(_read(Petition.lead_unit_id).in_(lead_units))
    if not scope.county:
        if not scope.unit_ids:
            conditions.append(false())
        else:
            units = sorted(scope.unit_ids)
            conditions.append(or_(_read(Petition.town_id).in_(units), _read(Petition.lead_unit_id).in_(units)))
    scope_units = None if scope.county else tuple(sorted(scope.unit_ids))
    conditions.rollup = RollupFilter(tuple(sorted(filters.town_ids)), tuple(categories), tuple(lead_units), scope_units)
    return conditions


def _read(column: QueryableAttribute[str | None]) -> ColumnElement[str]:
    """`column` as a value to compare ("" for none: no unit or category id is ""), which no index is chosen for."""
    return func.coalesce(column, NO_KEY)


def registered_in(period: Period) -> list[ColumnElement[bool]]:
    """Petitions registered in `period` (local days), as a range on the registered_at index."""
    start, end = utc_bounds(period)
    return [Petition.registered_at >= start, Petition.registered_at < end]


def local_day(column: ColumnElement[Any] | QueryableAttribute[Any], dialect: str) -> ColumnElement[str]:
    """The local (China) calendar day of a UTC timestamp column, as 'YYYY-MM-DD' text."""
    if dialect == "postgresql":
        return func.to_char(func.timezone(CHINA_ZONE, column), "YYYY-MM-DD")
    return func.date(column, "+8 hours")


def local_month(column: ColumnElement[Any] | QueryableAttribute[Any], dialect: str) -> ColumnElement[str]:
    """The local (China) month of a UTC timestamp column, as 'YYYY-MM' text."""
    if dialect == "postgresql":
        return func.to_char(func.timezone(CHINA_ZONE, column), "YYYY-MM")
    return func.strftime("%Y-%m", column, "+8 hours")


def as_date(text: str | date) -> date:
    """A 'YYYY-MM-DD' value from SQL as a date."""
    return text if isinstance(text, date) else date.fromisoformat(text)
