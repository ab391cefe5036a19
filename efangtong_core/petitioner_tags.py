"""Computed tags of petitioners (信访人标签), with their written definitions, for many people in one grouped query.

A person takes part in a petition as its first petitioner (`petition.petitioner_id`) or as one of its representatives
(`petition_representative`); a petition counts once per person even when they are both. Tombstoned petitions and
representatives do not count. `now` is the moment the tags are computed for (UTC).

- 多次信访 (REPEATED): at least `REPEATED_MIN_PETITIONS` (3) petitions registered in the last 12 months: since the
  same moment of the same day a year before `now` (`year_before`; 29 February counts from 28 February), i.e. 365 days
  back, or 366 when a 29 February lies in between.
- 长期信访 (LONG_TERM): a matter open or repeated for over a year: a petition of theirs still open (not 办结, 不予受理,
  不再受理, 已合并, 复核终结) that was registered before `year_before(now)`; or a petition of theirs registered as
  a repeat (重复信访) more than `YEAR_DAYS` (365) days after the original it repeats. The original is the start of the
  repeat chain: the petition it repeats, or that one's own original when the link goes through an intermediate repeat.
- 集体访组织者 (GROUP_ORGANISER): the first petitioner (the one the visit is registered under, who brought it) of a
  group visit (集体访: a visit of 5 or more persons, as in the analytics), or a representative of at least
  `ORGANISER_MIN_VISITS` (2) group visits. Why 2 for representatives: they are chosen by the group (《信访工作条例》:
  at most 5); being chosen once says little, while speaking for a second group visit shows the person organises
  collective petitioning, which the bureau watches. The figure is a constant here so that it is reviewed in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, select, union
from sqlalchemy.orm import Session, aliased

from efangtong_core.analytics.people import OPEN_STATES
from efangtong_core.analytics.volume import is_group_visit
from efangtong_core.models import Petition, PetitionRepresentative

REPEATED_MIN_PETITIONS = 3
YEAR_DAYS = 365
ORGANISER_MIN_VISITS = 2
_CHUNK = 500


class Tag(Enum):
    """A computed tag: its code and the label shown on the chip."""

    REPEATED = "多次信访"
    LONG_TERM = "长期信访"
    GROUP_ORGANISER = "集体访组织者"

    @property
    def label(self) -> str:
        """The Chinese label."""
        return self.value


TAG_DEFINITIONS: dict[Tag, str] = {
    Tag.REPEATED: f"近 12 个月内作为信访人或代表信访 {REPEATED_MIN_PETITIONS} 次及以上",
    Tag.LONG_TERM: f"有登记超过一年仍未办结的信访件，或同一事项的重复信访距原件超过 {YEAR_DAYS} 天",
    Tag.GROUP_ORGANISER: (
        f"作为第一信访人带领集体访（5 人及以上来访），或作为代表参加集体访 {ORGANISER_MIN_VISITS} 次及以上"
    ),
}
"""The written definition of each tag, shown as the chip's tooltip."""


@dataclass(frozen=True)
class TagCounts:
    """The figures behind a person's tags."""

    recent_petitions: int = 0
    long_open: int = 0
    late_repeats: int = 0
    group_visits_led: int = 0
    """Group visits as first petitioner or representative."""
    group_visits_first: int = 0
    """Group visits as first petitioner."""

    @property
    def tags(self) -> tuple[Tag, ...]:
        """The tags these figures earn, in a fixed order."""
        found: list[Tag] = []
        if self.recent_petitions >= REPEATED_MIN_PETITIONS:
            found.append(Tag.REPEATED)
        if self.long_open or self.late_repeats:
            found.append(Tag.LONG_TERM)
        if self.group_visits_first or self.group_visits_led >= ORGANISER_MIN_VISITS:
            found.append(Tag.GROUP_ORGANISER)
        return tuple(found)


def year_before(now: datetime) -> datetime:
    """The same moment a year before `now` (from 29 February: 28 February): where "the last 12 months" start."""
    try:
        return now.replace(year=now.year - 1)
    except ValueError:
        return now.replace(year=now.year - 1, day=28)


def involvements(person_ids: Iterable[str] | None = None) -> Select[tuple[Any, Any]]:
    """SQL: distinct (person_id, petition_id) pairs of first petitioners and representatives (of some people)."""
    first = select(Petition.petitioner_id.label("person_id"), Petition.id.label("petition_id")).where(
        Petition.petitioner_id.is_not(None), Petition.deleted_at.is_(None)
    )
    representatives = select(
        PetitionRepresentative.petitioner_id.label("person_id"), PetitionRepresentative.petition_id.label("petition_id")
    ).where(PetitionRepresentative.deleted_at.is_(None))
    if person_ids is not None:
        wanted = list(person_ids)
        first = first.where(Petition.petitioner_id.in_(wanted))
        representatives = representatives.where(PetitionRepresentative.petitioner_id.in_(wanted))
    pairs = union(first, representatives).subquery("involvement")
    return select(pairs.c.person_id, pairs.c.petition_id)


def _days_after(later: Any, earlier: Any, dialect: str) -> ColumnElement[Any]:
    """SQL: how many days `later` is after `earlier` (fractional)."""
    if dialect == "postgresql":
        return func.extract("epoch", later - earlier) / 86400
    return func.julianday(later) - func.julianday(earlier)


def tag_counts_query(now: datetime, dialect: str, person_ids: Iterable[str] | None = None) -> Select[Any]:
    """SQL: one row per person (person_id, recent, long_open, late_repeats, group_led, group_first), grouped in the
    database."""
    pairs = involvements(person_ids).subquery("pairs")
    year_ago = year_before(now)
    original = aliased(Petition, name="original")
    root = aliased(Petition, name="root")
    chain_start = func.coalesce(root.registered_at, original.registered_at)
    late_repeat = and_(
        Petition.repeat_of_id.is_not(None), _days_after(Petition.registered_at, chain_start, dialect) > YEAR_DAYS
    )
    one, zero = literal(1), literal(0)
    return (
        select(
            pairs.c.person_id,
            func.sum(case((Petition.registered_at >= year_ago, one), else_=zero)).label("recent"),
            func.sum(
                case((and_(Petition.state.in_(OPEN_STATES), Petition.registered_at < year_ago), one), else_=zero)
            ).label("long_open"),
            func.sum(case((late_repeat, one), else_=zero)).label("late_repeats"),
            func.sum(case((is_group_visit(), one), else_=zero)).label("group_led"),
            func.sum(
                case((and_(is_group_visit(), Petition.petitioner_id == pairs.c.person_id), one), else_=zero)
            ).label("group_first"),
        )
        .join(Petition, and_(Petition.id == pairs.c.petition_id, Petition.deleted_at.is_(None)))
        .outerjoin(original, original.id == Petition.repeat_of_id)
        .outerjoin(root, root.id == original.repeat_of_id)
        .group_by(pairs.c.person_id)
    )


def tag_counts(session: Session, person_ids: Iterable[str], now: datetime) -> dict[str, TagCounts]:
    """The tag figures of each given person (absent people have none), in one grouped query per 500 people."""
    wanted = list(dict.fromkeys(person_ids))
    dialect = session.get_bind().dialect.name
    found: dict[str, TagCounts] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        for row in session.execute(tag_counts_query(now, dialect, chunk)):
            found[row.person_id] = TagCounts(
                recent_petitions=int(row.recent or 0),
                long_open=int(row.long_open or 0),
                late_repeats=int(row.late_repeats or 0),
                group_visits_led=int(row.group_led or 0),
                group_visits_first=int(row.group_first or 0),
            )
    return found


def tags_of(session: Session, person_ids: Iterable[str], now: datetime) -> dict[str, tuple[Tag, ...]]:
    """The tags of each given person; a person without tags maps to an empty tuple."""
    wanted = list(dict.fromkeys(person_ids))
    counts = tag_counts(session, wanted, now)
    return {person: counts.get(person, TagCounts()).tags for person in wanted}
