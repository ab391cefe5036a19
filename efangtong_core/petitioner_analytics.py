"""Analytics of petitioners (信访人分析) over the last 12 months, each figure one grouped query in the database.

A person counts for a petition as its first petitioner or a representative (`petitioner_tags.involvements`).
- Top repeat petitioners: the people with the most petitions registered in the window, at least
  `REPEATED_MIN_PETITIONS` (the 多次信访 threshold), most first; with their tags.
- By town and by (first-level) category: distinct people and petitions registered in the window per town of the
  matter and per category; "未填写" for petitions without one.
- Monthly trend: distinct people and petitions per local (China) month, the last 12 months including this one.
Like the records, these read the database as it is: a counter's replica already holds only what the user may see.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Subquery, func, select, union
from sqlalchemy.orm import Session

from efangtong_core.analytics.periods import local_date, local_midnight_utc, month_starts
from efangtong_core.analytics.query import NO_KEY_LABEL, local_month
from efangtong_core.models import ContentCategory, OrgUnit, Petition, Petitioner, PetitionRepresentative
from efangtong_core.petitioner_tags import REPEATED_MIN_PETITIONS, Tag, tags_of, year_before

TOP_LIMIT = 20
TREND_MONTHS = 12


@dataclass(frozen=True)
class RepeatPetitioner:
    """One of the top repeat petitioners."""

    id: str
    name: str
    id_number: str | None
    petitions: int
    last_petition_at: datetime
    tags: tuple[Tag, ...]


@dataclass(frozen=True)
class GroupCount:
    """People and petitions of one town, category or month."""

    label: str
    people: int
    petitions: int


@dataclass(frozen=True)
class PetitionerAnalytics:
    """Every figure of the analytics tab."""

    since: datetime
    until: datetime
    top: tuple[RepeatPetitioner, ...]
    by_town: tuple[GroupCount, ...]
    by_category: tuple[GroupCount, ...]
    trend: tuple[GroupCount, ...]


def _window(now: datetime) -> datetime:
    return year_before(now)


def window_pairs(since: datetime, until: datetime) -> Subquery:
    """SQL: distinct (person, petition, town, category, registered_at) of petitions registered in [since, until].

    Each half starts from the registered_at index (and the representatives' petition_id), so only the window is read.
    """
    live = (Petition.deleted_at.is_(None), Petition.registered_at >= since, Petition.registered_at <= until)
    facts = (Petition.id.label("petition_id"), Petition.town_id, Petition.category_id, Petition.registered_at)
    first = select(Petition.petitioner_id.label("person_id"), *facts).where(Petition.petitioner_id.is_not(None), *live)
    representatives = (
        select(PetitionRepresentative.petitioner_id.label("person_id"), *facts)
        .join(Petition, Petition.id == PetitionRepresentative.petition_id)
        .where(PetitionRepresentative.deleted_at.is_(None), *live)
    )
    return union(first, representatives).subquery("pairs")


def top_repeat_petitioners(session: Session, now: datetime, *, limit: int = TOP_LIMIT) -> tuple[RepeatPetitioner, ...]:
    """The people with the most petitions in the last 12 months (at least the 多次信访 threshold)."""
    pairs = window_pairs(_window(now), now)
    ranked = (
        select(pairs.c.person_id, func.count().label("petitions"), func.max(pairs.c.registered_at).label("last_at"))
        .group_by(pairs.c.person_id)
        .having(func.count() >= REPEATED_MIN_PETITIONS)
        .subquery("ranked")
    )
    rows = session.execute(
        select(Petitioner.id, Petitioner.name, Petitioner.id_number, ranked.c.petitions, ranked.c.last_at)
        .join(ranked, ranked.c.person_id == Petitioner.id)
        .where(Petitioner.deleted_at.is_(None))
        .order_by(ranked.c.petitions.desc(), ranked.c.last_at.desc(), Petitioner.id)
        .limit(limit)
    ).all()
    tags = tags_of(session, [row.id for row in rows], now)
    return tuple(
        RepeatPetitioner(row.id, row.name, row.id_number, int(row.petitions), row.last_at, tags[row.id]) for row in rows
    )


def _people_and_petitions(pairs: Subquery) -> tuple[ColumnElement[int], ColumnElement[int]]:
    return func.count(func.distinct(pairs.c.person_id)), func.count(func.distinct(pairs.c.petition_id))


def by_town(session: Session, now: datetime) -> tuple[GroupCount, ...]:
    """People and petitions per town of the matter in the last 12 months, most people first."""
    pairs = window_pairs(_window(now), now)
    rows = session.execute(select(pairs.c.town_id, *_people_and_petitions(pairs)).group_by(pairs.c.town_id)).all()
    names = {row.id: row.name for row in session.execute(select(OrgUnit.id, OrgUnit.name))}
    return _ranked([(names.get(town or ""), people, petitions) for town, people, petitions in rows])


def by_category(session: Session, now: datetime) -> tuple[GroupCount, ...]:
    """People and petitions per first-level content category in the last 12 months, most people first."""
    pairs = window_pairs(_window(now), now)
    second = ContentCategory.__table__.alias("second")
    first_level = func.coalesce(second.c.parent_id, second.c.id)
    rows = session.execute(
        select(first_level, *_people_and_petitions(pairs))
        .select_from(pairs)
        .outerjoin(second, second.c.id == pairs.c.category_id)
        .group_by(first_level)
    ).all()
    names = {row.id: row.name for row in session.execute(select(ContentCategory.id, ContentCategory.name))}
    return _ranked([(names.get(key or ""), people, petitions) for key, people, petitions in rows])


def monthly_trend(session: Session, now: datetime, *, months: int = TREND_MONTHS) -> tuple[GroupCount, ...]:
    """People and petitions per local month, the last `months` months including this one, oldest first."""
    starts = month_starts(local_date(now), months)
    pairs = window_pairs(local_midnight_utc(starts[0]), now)
    month = local_month(pairs.c.registered_at, session.get_bind().dialect.name)
    rows = session.execute(select(month, *_people_and_petitions(pairs)).group_by(month)).all()
    found = {str(key): (int(people), int(petitions)) for key, people, petitions in rows}
    result = []
    for start in starts:
        key = start.strftime("%Y-%m")
        people, petitions = found.get(key, (0, 0))
        result.append(GroupCount(key, people, petitions))
    return tuple(result)


def _ranked(rows: Sequence[Any]) -> tuple[GroupCount, ...]:
    items = [GroupCount(row[0] or NO_KEY_LABEL, int(row[1]), int(row[2])) for row in rows]
    return tuple(sorted(items, key=lambda item: (-item.people, -item.petitions, item.label)))


def petitioner_analytics(session: Session, now: datetime) -> PetitionerAnalytics:
    """Every figure of the analytics tab, as of `now`."""
    return PetitionerAnalytics(
        since=_window(now),
        until=now,
        top=top_repeat_petitioners(session, now),
        by_town=by_town(session, now),
        by_category=by_category(session, now),
        trend=monthly_trend(session, now),
    )
