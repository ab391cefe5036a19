"""Drill-down (下钻): the cases behind a figure of the dashboard, a page at a time, personal data masked.

A figure's case list uses the very conditions the figure counts with (the same cohort, period, filters and scope),
so the list's total equals the figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session, aliased

from efangtong_core.analytics.people import is_overdue
from efangtong_core.analytics.query import NO_KEY, Reference, load_reference, petition_conditions, registered_in
from efangtong_core.analytics.rates import accepted_in, accepted_late, replied_in, replied_late
from efangtong_core.analytics.snapshot import FIGURES_WITH_KEY, AnalyticsScope, DashboardFilters, Figure
from efangtong_core.analytics.volume import is_group_visit
from efangtong_core.case_states import PetitionState
from efangtong_core.masking import mask_name
from efangtong_core.models import ContentCategory, OrgUnit, Petition, Petitioner
from efangtong_core.vocabulary import PetitionForm, Satisfaction


@dataclass(frozen=True)
class CaseRow:
    """One case of a drill-down list, as lists show it (the petitioner's name masked, no ID number)."""

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


@dataclass(frozen=True)
class CasePage:
    """A page of a figure's cases and how many there are in all."""

    total: int
    rows: tuple[CaseRow, ...]


def figure_condition(
    session: Session,
    figure: Figure,
    key: str | None,
    filters: DashboardFilters,
    *,
    scope: AnalyticsScope,
    today: date,
    ref: Reference,
) -> ColumnElement[bool]:
    """The SQL condition on `petition` selecting exactly the cases counted by `figure` (with `key`)."""
    if figure in FIGURES_WITH_KEY and key is None:
        raise ValueError(f"指标「{figure.label}」须指定分组")
    period = filters.period
    base = petition_conditions(filters, scope, ref)
    registered = [*base, *registered_in(period)]
    simple: dict[Figure, list[ColumnElement[bool]]] = {
        Figure.TOTAL: registered,
        Figure.GROUP_VISIT: [*registered, is_group_visit()],
        Figure.FIRST_TIME: [*registered, Petition.repeat_of_id.is_(None)],
        Figure.REPEAT: [*registered, Petition.repeat_of_id.is_not(None)],
    }
    if figure in simple:
        return _all(simple[figure])
    if figure is Figure.FORM:
        return _all([*registered, Petition.form == key])
    if figure is Figure.CATEGORY:
        category = Petition.category_id.is_(None) if key == NO_KEY else Petition.category_id.in_(
            ref.categories_under(frozenset({key or ""})))  # fmt: skip
        return _all([*registered, category])
    if figure is Figure.TOWN:
        town = Petition.town_id.is_(None) if key == NO_KEY else Petition.town_id == key
        return _all([*registered, town])
    if figure is Figure.REPEAT_PETITIONER:
        return _all([*registered, Petition.petitioner_id == key])
    if figure is Figure.OVERDUE:
        unit = (
            [] if key is None else [Petition.lead_unit_id.is_(None) if key == NO_KEY else Petition.lead_unit_id == key]
        )
        return _all([*base, is_overdue(today), *unit])
    if figure is Figure.ACCEPTED:
        return _all([*base, *accepted_in(period)])
    if figure is Figure.ACCEPTED_LATE:
        return _all([*base, *accepted_in(period), accepted_late()])
    replies = [*base, *replied_in(period)]
    if figure is Figure.CLOSED_LATE:
        replies.append(replied_late())
    elif figure is Figure.EVALUATED:
        replies.append(Petition.satisfaction.is_not(None))
    elif figure is Figure.UNEVALUATED:
        replies.append(Petition.satisfaction.is_(None))
    elif figure is Figure.DISSATISFIED:
        replies.append(Petition.satisfaction == Satisfaction.DISSATISFIED.value)
    return _all(replies)


def _all(conditions: list[ColumnElement[bool]]) -> ColumnElement[bool]:
    return and_(*conditions)


def figure_cases(
    session: Session,
    figure: Figure,
    key: str | None,
    filters: DashboardFilters,
    *,
    scope: AnalyticsScope,
    today: date,
    offset: int = 0,
    limit: int = 50,
) -> CasePage:
    """A page of the cases behind `figure`, newest first, with the total count.

    Newest by the day that puts a case in the figure: the reply for the reply figures, the acceptance for the
    acceptance figures (so the page is read along that index, stopping after `limit`), else the registration."""
    ref = load_reference(session)
    condition = figure_condition(session, figure, key, filters, scope=scope, today=today, ref=ref)
    total = session.scalar(select(func.count()).select_from(Petition).where(condition)) or 0
    category, town, unit = aliased(ContentCategory), aliased(OrgUnit), aliased(OrgUnit)
    rows = session.execute(
        select(Petition, category.name, town.name, unit.name, Petitioner.name)
        .outerjoin(category, category.id == Petition.category_id)
        .outerjoin(town, town.id == Petition.town_id)
        .outerjoin(unit, unit.id == Petition.lead_unit_id)
        .outerjoin(Petitioner, Petitioner.id == Petition.petitioner_id)
        .where(condition)
        .order_by(*_newest_first(figure), Petition.id)
        .offset(offset)
        .limit(limit)
    ).all()
    return CasePage(total, tuple(_row(*row) for row in rows))


REPLY_FIGURES = frozenset(
    {Figure.CLOSED, Figure.CLOSED_LATE, Figure.REPLIED, Figure.UNEVALUATED, Figure.EVALUATED, Figure.DISSATISFIED}
)


def _newest_first(figure: Figure) -> tuple[ColumnElement[Any], ...]:
    if figure in REPLY_FIGURES:
        return (Petition.replied_on.desc(),)
    if figure in (Figure.ACCEPTED, Figure.ACCEPTED_LATE):
        return (Petition.accepted_on.desc(),)
    return (Petition.registered_at.desc(),)


def _row(p: Petition, category: str | None, town: str | None, unit: str | None, person: str | None) -> CaseRow:
    form = PetitionForm.from_code(p.form).label if PetitionForm.has_code(p.form) else p.form
    state = PetitionState.from_code(p.state).label if PetitionState.has_code(p.state) else p.state
    return CaseRow(
        id=p.id,
        case_number=p.case_number,
        registered_at=p.registered_at,
        form=form,
        category=category or "",
        town=town or "",
        head_count=p.head_count,
        state=state,
        lead_unit=unit or "",
        deadline=p.deadline,
        petitioner=mask_name(person) if person else "",
        title=p.title or "",
    )
