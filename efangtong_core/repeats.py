"""Repeat-petition recognition (多次信访的自动识别): a person's history, same-matter candidates, same matter by others.

As soon as the clerk knows the ID number, `person_history` tells how often this person came, which cases are still
open and in which states; `repeat_candidates` ranks the person's earlier petitions by content similarity to what is
being registered (`efangtong_core.text_similarity`: weighted character bigrams, cosine, then a check of places and
amounts), so the clerk can link the new petition as 重复信访 to the original. `find_same_matter` finds the same
matter raised by *other* people (联名, 集体访 organised in several visits) for the warnings.

How it stays fast at 1,000,000 petitions without a signature column: every query first narrows by an index that
already exists, then compares texts exactly in Python.
- A person's petitions: `petitioner.id_number` index → `petition.petitioner_id` index (plus the representatives'
  `petitioner_id` index); one person has a handful of petitions, rarely more than a hundred.
- The same matter by others: `ix_petition_town_category_registered` (town, category, registered_at) restricted to
  ±90 days around the petition (people who band together about one matter come within weeks of each other); at
  1,000,000 petitions that is a few hundred texts (benchmarks/repeats.py), and `SAME_MATTER_POOL` caps the pool.
A MinHash/LSH band index would find cross-category matches too, but it needs a maintained column on the server and on
every replica (rows arrive through sync merge as well as the ORM) for little gain: a clerk files one matter under one
category, and the pool of one person's petitions ignores categories anyway.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from efangtong_core.case_states import PetitionState
from efangtong_core.idnumber import normalise_text
from efangtong_core.models import Petition, Petitioner, PetitionRepresentative
from efangtong_core.text_similarity import (
    CONFLICT_FACTOR,
    TextVector,
    conflicts,
    matter_facts,
    matter_similarity,
    vectorise,
)

FINISHED_STATES = frozenset(
    {
        PetitionState.CLOSED.value,
        PetitionState.NOT_ACCEPTED.value,
        PetitionState.NOT_REACCEPTED.value,
        PetitionState.MERGED.value,
        PetitionState.RE_REVIEWED.value,
    }
)
"""States in which a case is no longer open (办结, 不予受理, 不再受理, 已合并, 已复核终结)."""

LIKELY_REPEAT = 0.35
"""Similarity from which an earlier petition is shown as a likely repeat of the same matter."""
SAME_MATTER_THRESHOLD = 0.4
"""Similarity from which another person's petition counts as the same matter."""
SAME_MATTER_WINDOW_DAYS = 90
"""How far before and after a petition the same matter by others is looked for."""
SAME_MATTER_POOL = 2000
"""Most petitions compared for one same-matter search (the newest in the window)."""
PERSON_POOL = 500
"""Most of one person's petitions compared (the newest)."""


@dataclass(frozen=True, slots=True)
class PetitionBrief:
    """What a list of earlier petitions shows about one petition."""

    id: str
    number: str
    """The case number (案件编号), or the provisional number while only local, or empty."""
    registered_at: datetime
    state: str
    title: str
    content: str
    petitioner_id: str | None
    town_id: str | None
    category_id: str | None

    @property
    def is_open(self) -> bool:
        """True while the case is not finished."""
        return self.state not in FINISHED_STATES

    @property
    def state_label(self) -> str:
        """The state in Chinese."""
        try:
            return PetitionState.from_code(self.state).label
        except ValueError:
            return self.state


@dataclass(frozen=True, slots=True)
class PersonHistory:
    """A person's petition history, found by ID number across every petitioner record holding that number."""

    id_number: str
    petitioner_ids: tuple[str, ...]
    petition_count: int
    open_count: int
    states: dict[str, int]
    """How many of the person's petitions are in each state (state code → count)."""
    first_at: datetime | None
    last_at: datetime | None
    recent: tuple[PetitionBrief, ...]
    """The newest petitions first."""

    @property
    def known(self) -> bool:
        """True when the person has petitioned before."""
        return self.petition_count > 0


@dataclass(frozen=True, slots=True)
class Candidate:
    """An earlier petition and how similar its content is to the one being registered."""

    petition: PetitionBrief
    similarity: float

    @property
    def likely_repeat(self) -> bool:
        """True when similar enough to be offered as the original of a repeat."""
        return self.similarity >= LIKELY_REPEAT


@dataclass(frozen=True, slots=True)
class SameMatterGroup:
    """Other people's petitions on the same matter as one petition (联名 / 集体访 in several visits)."""

    petition_id: str
    hits: tuple[Candidate, ...] = field(default=())

    @property
    def petitioner_ids(self) -> frozenset[str]:
        """The distinct other petitioners who raised the matter."""
        return frozenset(hit.petition.petitioner_id for hit in self.hits if hit.petition.petitioner_id)


_BRIEF_COLUMNS = (
    Petition.id,
    Petition.case_number,
    Petition.provisional_number,
    Petition.registered_at,
    Petition.state,
    Petition.title,
    Petition.content,
    Petition.petitioner_id,
    Petition.town_id,
    Petition.category_id,
)


def _brief(row: Any) -> PetitionBrief:
    return PetitionBrief(
        id=row.id,
        number=row.case_number or row.provisional_number or "",
        registered_at=row.registered_at,
        state=row.state,
        title=row.title or "",
        content=row.content or "",
        petitioner_id=row.petitioner_id,
        town_id=row.town_id,
        category_id=row.category_id,
    )


def petitioner_ids_for(session: Session, id_number: str) -> tuple[str, ...]:
    """Every live petitioner record holding `id_number` (offline counters may each have created one)."""
    number = normalise_text(id_number)
    if not number:
        return ()
    rows = session.scalars(select(Petitioner.id).where(Petitioner.id_number == number, Petitioner.deleted_at.is_(None)))
    return tuple(rows)


def _petitions_of(session: Session, petitioner_ids: tuple[str, ...], limit: int) -> list[PetitionBrief]:
    if not petitioner_ids:
        return []
    represented = select(PetitionRepresentative.petition_id).where(
        PetitionRepresentative.petitioner_id.in_(petitioner_ids), PetitionRepresentative.deleted_at.is_(None)
    )
    rows = session.execute(
        select(*_BRIEF_COLUMNS)
        .where(
            or_(Petition.petitioner_id.in_(petitioner_ids), Petition.id.in_(represented)),
            Petition.deleted_at.is_(None),
        )
        .order_by(Petition.registered_at.desc(), Petition.id)
        .limit(limit)
    )
    return [_brief(row) for row in rows]


def person_history(session: Session, id_number: str, *, recent: int = 10) -> PersonHistory:
    """The petition history of the person with `id_number`: counts, open cases, states and the newest petitions."""
    ids = petitioner_ids_for(session, id_number)
    petitions = _petitions_of(session, ids, PERSON_POOL)
    states = Counter(p.state for p in petitions)
    return PersonHistory(
        id_number=normalise_text(id_number),
        petitioner_ids=ids,
        petition_count=len(petitions),
        open_count=sum(1 for p in petitions if p.is_open),
        states=dict(states),
        first_at=min((p.registered_at for p in petitions), default=None),
        last_at=max((p.registered_at for p in petitions), default=None),
        recent=tuple(petitions[:recent]),
    )


def _ranked(query: TextVector, pool: list[PetitionBrief]) -> list[Candidate]:
    scored = [
        Candidate(petition=p, similarity=matter_similarity(query, vectorise(f"{p.title}。{p.content}"))) for p in pool
    ]
    scored.sort(key=lambda c: (-c.similarity, -c.petition.registered_at.timestamp()))
    return scored


def repeat_candidates(
    session: Session,
    *,
    id_number: str,
    content: str,
    title: str = "",
    exclude_petition_id: str | None = None,
    limit: int = 10,
) -> list[Candidate]:
    """The person's earlier petitions, most similar to `title` + `content` first (newest first when no text yet)."""
    ids = petitioner_ids_for(session, id_number)
    pool = [p for p in _petitions_of(session, ids, PERSON_POOL) if p.id != exclude_petition_id]
    return _ranked(vectorise(f"{title}。{content}"), pool)[:limit]


def same_matter_candidates(
    session: Session,
    *,
    content: str,
    town_id: str | None,
    category_id: str | None,
    around: datetime,
    exclude_petitioner_ids: frozenset[str] = frozenset(),
    exclude_petition_id: str | None = None,
    threshold: float = SAME_MATTER_THRESHOLD,
    window_days: int = SAME_MATTER_WINDOW_DAYS,
    limit: int = 20,
) -> list[Candidate]:
    """Petitions of other people in the same town and category around `around` whose content is similar."""
    window = timedelta(days=window_days)
    query = select(*_BRIEF_COLUMNS).where(
        Petition.registered_at >= around - window,
        Petition.registered_at <= around + window,
        Petition.deleted_at.is_(None),
        Petition.town_id == town_id if town_id is not None else Petition.town_id.is_(None),
    )
    if category_id is not None:
        query = query.where(Petition.category_id == category_id)
    rows = session.execute(query.order_by(Petition.registered_at.desc()).limit(SAME_MATTER_POOL))
    query_vector = vectorise(content)
    pool = []
    for brief in map(_brief, rows):
        if brief.id == exclude_petition_id or brief.petitioner_id in exclude_petitioner_ids:
            continue
        # Each conflict of places or amounts caps the score below CONFLICT_FACTOR (the texts differ, so the cosine is
        # under 1): a text that cannot reach the threshold is told by a regular expression, without its bigram vector.
        clashes = conflicts(query_vector.facts, matter_facts(f"{brief.title}。{brief.content}"))
        if CONFLICT_FACTOR**clashes > threshold:
            pool.append(brief)
    return [c for c in _ranked(query_vector, pool) if c.similarity >= threshold][:limit]


def find_same_matter(
    session: Session,
    petition_id: str,
    *,
    threshold: float = SAME_MATTER_THRESHOLD,
    window_days: int = SAME_MATTER_WINDOW_DAYS,
) -> SameMatterGroup:
    """Other people's petitions on the same matter as petition `petition_id` (empty group if it does not exist)."""
    petition = session.get(Petition, petition_id)
    if petition is None or petition.deleted_at is not None:
        return SameMatterGroup(petition_id=petition_id)
    own: set[str] = {petition.petitioner_id} if petition.petitioner_id else set()
    if petition.petitioner_id:
        holder = session.get(Petitioner, petition.petitioner_id)
        if holder is not None and holder.id_number:
            own.update(petitioner_ids_for(session, holder.id_number))
    hits = same_matter_candidates(
        session,
        content=f"{petition.title or ''}。{petition.content}",
        town_id=petition.town_id,
        category_id=petition.category_id,
        around=petition.registered_at,
        exclude_petitioner_ids=frozenset(own),
        exclude_petition_id=petition.id,
        threshold=threshold,
        window_days=window_days,
    )
    return SameMatterGroup(petition_id=petition_id, hits=tuple(hits))
