"""Figures about cases now and people: overdue open cases by lead unit, and the top repeat petitioners (masked).

Definitions:
- Overdue by unit (当前超期): open cases (not 办结, 不予受理, 不再受理, 已合并, 复核终结) whose current duty deadline
  (`petition.deadline`: the earliest open deadline of the office — route, acceptance, handling incl. an approved
  extension, 交办 and 督办 deadlines; the petitioner's 复查/复核 windows are not duties) ended before today, grouped by
  lead unit; "open" is the unit's open cases. This is a figure of today: the period does not apply, the other
  filters and the scope do. A case not yet routed has no lead unit (key "").
- Top repeat petitioners (重复信访人): petitioners (the first petitioner of a petition) with at least one repeat
  petition registered in the period, ranked by their petitions registered in the period; name and ID number masked.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from efangtong_core.analytics.query import NO_KEY, Reference, registered_in
from efangtong_core.analytics.rollup import repeater_conditions, usable_rollup
from efangtong_core.analytics.snapshot import Period, RepeatPetitioner, UnitOverdue
from efangtong_core.case_states import PetitionState
from efangtong_core.case_transitions import TERMINAL_STATES
from efangtong_core.masking import mask_id_number, mask_name
from efangtong_core.models import Petition, Petitioner, RepeaterDayCount

CLOSED_STATES = frozenset(TERMINAL_STATES) | {PetitionState.CLOSED, PetitionState.RE_REVIEWED}
OPEN_STATES = tuple(sorted(state.value for state in PetitionState if state not in CLOSED_STATES))
TOP_REPEATERS = 10


def is_overdue(today: date) -> ColumnElement[bool]:
    """SQL: the case is open and its current duty deadline ended before `today`."""
    return Petition.state.in_(OPEN_STATES) & (Petition.deadline < today)


def overdue_by_unit(
    session: Session, today: date, conditions: list[ColumnElement[bool]], ref: Reference
) -> tuple[UnitOverdue, ...]:
    """Open and overdue cases per lead unit, units with overdue cases only, most overdue first."""
    overdue = func.sum(case((Petition.deadline < today, 1), else_=0))
    rows = session.execute(
        select(Petition.lead_unit_id, overdue, func.count())
        .where(*conditions, Petition.state.in_(OPEN_STATES))
        .group_by(Petition.lead_unit_id)
    ).all()
    items = [
        UnitOverdue(unit or NO_KEY, ref.unit_label(unit or NO_KEY) if unit else "未分办", int(late or 0), count)
        for unit, late, count in rows
        if late
    ]
    return tuple(sorted(items, key=lambda item: (-item.overdue, item.label)))


def top_repeat_petitioners(
    session: Session, period: Period, conditions: list[ColumnElement[bool]], *, limit: int = TOP_REPEATERS
) -> tuple[RepeatPetitioner, ...]:
    """The petitioners with repeat petitions in `period`, most petitions first (from the repeaters' daily rollup
    when no category is chosen, else from the petition rows)."""
    rollup = usable_rollup(session, conditions)
    if rollup is not None and rollup.repeaters_apply:
        r = RepeaterDayCount
        petitions, repeats = func.sum(r.petitions), func.sum(r.repeats)
        ranked = (
            select(r.petitioner_id, petitions.label("petitions"), repeats.label("repeats"))
            .where(*repeater_conditions(period, rollup))
            .group_by(r.petitioner_id)
            .having(repeats > 0)
            .order_by(petitions.desc(), repeats.desc(), r.petitioner_id)
            .limit(limit)
            .subquery()
        )
    else:
        repeats = func.sum(case((Petition.repeat_of_id.is_not(None), 1), else_=0))
        ranked = (
            select(Petition.petitioner_id, func.count().label("petitions"), repeats.label("repeats"))
            .where(*conditions, *registered_in(period), Petition.petitioner_id.is_not(None))
            .group_by(Petition.petitioner_id)
            .having(repeats > 0)
            .order_by(func.count().desc(), repeats.desc(), Petition.petitioner_id)
            .limit(limit)
            .subquery()
        )
    rows = session.execute(
        select(ranked.c.petitioner_id, ranked.c.petitions, ranked.c.repeats, Petitioner.name, Petitioner.id_number)
        .join(Petitioner, Petitioner.id == ranked.c.petitioner_id)
        .order_by(ranked.c.petitions.desc(), ranked.c.repeats.desc(), ranked.c.petitioner_id)
    ).all()
    return tuple(
        RepeatPetitioner(pid, mask_name(name), mask_id_number(number) or None, int(petitions), int(repeats))
        for pid, petitions, repeats, name, number in rows
    )
