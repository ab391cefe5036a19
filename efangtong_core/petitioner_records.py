"""Petitioner records (信访人员管理): search with pages and the profile with its history timeline.

Everything reads the database it is given: on a counter that is the local replica, which the server's sync already
limits to what the user may see, so no scope is applied here. Contact edits and the access log of views are in
`efangtong_core.petitioner_contacts`, the tags in `petitioner_tags`, the figures in `petitioner_analytics`.

Search terms (separated by spaces, every term must match):
- 18 characters (17 digits and a digit or X) or 15 digits: the full ID number;
- 4 digits (or 3 digits and X): the last four characters of the ID number, or the last four digits of a phone;
- 5 to 14 digits: the start of a phone number or of an ID number;
- Latin letters: the start of the name's pinyin initials (zjj → 张建军);
- anything else: part of the name or of the address.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from efangtong_core.case_states import EventType, PetitionState
from efangtong_core.idnumber import normalise_text
from efangtong_core.models import (
    CaseEvent,
    ContentCategory,
    OrgUnit,
    Petition,
    Petitioner,
    PetitionerPhone,
    PetitionRepresentative,
)
from efangtong_core.petitioner_tags import Tag, TagCounts, involvements, tag_counts
from efangtong_core.vocabulary import Sex

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
MAX_QUERY_LENGTH = 100
_DETAIL_KEYS = ("text", "note", "reason", "comment", "summary")


class RecordsError(ValueError):
    """Bad input for a search or an edit: the message says what is wrong, in Chinese."""


@dataclass(frozen=True)
class PetitionerSummary:
    """One row of the search results."""

    id: str
    name: str
    sex: str
    id_number: str | None
    phone: str | None
    address: str | None
    petition_count: int
    last_petition_at: datetime | None
    tags: tuple[Tag, ...]


@dataclass(frozen=True)
class SearchPage:
    """One page of search results and how many there are in all."""

    items: tuple[PetitionerSummary, ...]
    total: int
    page: int
    page_size: int

    @property
    def page_count(self) -> int:
        """How many pages the results fill (at least one)."""
        return max(1, -(-self.total // self.page_size))


def _starts(column: Any, prefix: str, dialect: str) -> ColumnElement[bool]:
    """SQL: `column` starts with the ASCII `prefix`; on SQLite a range on the column's index (bytewise order)."""
    if dialect == "sqlite":
        return and_(column >= prefix, column < prefix + "~")
    return column.startswith(prefix, autoescape=True)


def _has_phone(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """SQL: the petitioner has a live phone matching `condition` (one pass over the phones, not one per person)."""
    owners = select(PetitionerPhone.petitioner_id).where(PetitionerPhone.deleted_at.is_(None), condition)
    return Petitioner.id.in_(owners)


def term_condition(term: str, dialect: str = "sqlite") -> ColumnElement[bool]:
    """SQL: the petitioner matches one search term (see the module docstring)."""
    text = normalise_text(term)
    if re.fullmatch(r"[\d\-－]{5,}", text):  # a phone typed with hyphens (0477-8123456)
        text = re.sub(r"[\-－]", "", text)
    if re.fullmatch(r"\d{17}[\dX]|\d{15}", text):
        return Petitioner.id_number == text
    if re.fullmatch(r"\d{3}[\dX]", text):
        phone_end = _has_phone(PetitionerPhone.phone.endswith(text, autoescape=True))
        return or_(Petitioner.id_number.endswith(text, autoescape=True), phone_end)
    if re.fullmatch(r"\d{5,14}", text):
        phone_start = _has_phone(_starts(PetitionerPhone.phone, text, dialect))
        return or_(_starts(Petitioner.id_number, text, dialect), phone_start)
    if re.fullmatch(r"[A-Za-z]+", text):
        return _starts(Petitioner.name_initials, text.lower(), dialect)
    return or_(Petitioner.name.contains(text, autoescape=True), Petitioner.address.contains(text, autoescape=True))


def search_conditions(text: str, dialect: str = "sqlite") -> list[ColumnElement[bool]]:
    """SQL conditions of a whole query; RecordsError when it is too long."""
    if len(text) > MAX_QUERY_LENGTH:
        raise RecordsError(f"查询内容过长（最多 {MAX_QUERY_LENGTH} 个字符）")
    return [Petitioner.deleted_at.is_(None), *(term_condition(term, dialect) for term in text.split())]


def search_petitioners(
    session: Session, text: str, *, now: datetime, page: int = 0, page_size: int = PAGE_SIZE
) -> SearchPage:
    """Page `page` (from 0) of the petitioners matching `text`, by name; an empty text lists everyone."""
    if page < 0 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise RecordsError("页码或每页条数无效")
    conditions = search_conditions(text, session.get_bind().dialect.name)
    total = int(session.scalar(select(func.count()).select_from(Petitioner).where(*conditions)) or 0)
    people = session.scalars(
        select(Petitioner)
        .where(*conditions)
        .order_by(Petitioner.name, Petitioner.id)
        .offset(page * page_size)
        .limit(page_size)
    ).all()
    return SearchPage(items=summaries(session, people, now=now), total=total, page=page, page_size=page_size)


def summaries(session: Session, people: Sequence[Petitioner], *, now: datetime) -> tuple[PetitionerSummary, ...]:
    """Result rows for `people`: first phone, petition count and last petition, tags — three queries in all."""
    ids = [person.id for person in people]
    if not ids:
        return ()
    first_phone: dict[str, str] = {}
    phone_rows = session.execute(
        select(PetitionerPhone.petitioner_id, PetitionerPhone.phone)
        .where(PetitionerPhone.petitioner_id.in_(ids), PetitionerPhone.deleted_at.is_(None))
        .order_by(PetitionerPhone.position, PetitionerPhone.created_at)
    )
    for person_id, phone in phone_rows:
        first_phone.setdefault(person_id, phone)
    stats = _petition_stats(session, ids)
    counts = tag_counts(session, ids, now)
    return tuple(
        PetitionerSummary(
            id=person.id,
            name=person.name,
            sex=Sex.from_code(person.sex).label if Sex.has_code(person.sex) else person.sex,
            id_number=person.id_number,
            phone=first_phone.get(person.id),
            address=person.address,
            petition_count=stats.get(person.id, (0, None))[0],
            last_petition_at=stats.get(person.id, (0, None))[1],
            tags=counts.get(person.id, TagCounts()).tags,
        )
        for person in people
    )


def _petition_stats(session: Session, ids: list[str]) -> dict[str, tuple[int, datetime | None]]:
    pairs = involvements(ids).subquery()
    rows = session.execute(
        select(pairs.c.person_id, func.count(), func.max(Petition.registered_at))
        .join(Petition, and_(Petition.id == pairs.c.petition_id, Petition.deleted_at.is_(None)))
        .group_by(pairs.c.person_id)
    )
    return {person_id: (int(count), last) for person_id, count, last in rows}


# -- profile --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhoneEntry:
    """One phone number of the profile."""

    id: str
    phone: str
    label: str | None


@dataclass(frozen=True)
class PetitionEntry:
    """One petition the person took part in."""

    id: str
    case_label: str
    registered_at: datetime
    state: str
    category: str
    town: str
    role: str
    title: str


@dataclass(frozen=True)
class TimelineEntry:
    """One step of the person's history: a petition registered or an event of one of their cases."""

    at: datetime
    petition_id: str
    case_label: str
    title: str
    detail: str


@dataclass(frozen=True)
class Profile:
    """A petitioner's profile: identity, contacts, tags, petitions and the timeline of everything that happened."""

    id: str
    name: str
    sex: str
    nation: str | None
    birth_date: date | None
    id_type: str
    id_number: str | None
    address: str | None
    note: str | None
    verification_status: str
    phones: tuple[PhoneEntry, ...]
    tags: tuple[Tag, ...]
    tag_counts: TagCounts
    petitions: tuple[PetitionEntry, ...]
    timeline: tuple[TimelineEntry, ...] = field(default=())


def case_label(petition: Petition) -> str:
    """The case number, or the provisional number, or the query code."""
    return petition.case_number or petition.provisional_number or petition.query_code


def load_profile(session: Session, petitioner_id: str, *, now: datetime) -> Profile | None:
    """The profile of a petitioner on this database, or None when there is no such (live) person."""
    person = session.get(Petitioner, petitioner_id)
    if person is None or person.deleted_at is not None:
        return None
    phones = tuple(
        PhoneEntry(id=p.id, phone=p.phone, label=p.label)
        for p in session.scalars(
            select(PetitionerPhone)
            .where(PetitionerPhone.petitioner_id == person.id, PetitionerPhone.deleted_at.is_(None))
            .order_by(PetitionerPhone.position, PetitionerPhone.created_at)
        )
    )
    represented = select(PetitionRepresentative.petition_id).where(
        PetitionRepresentative.petitioner_id == person.id, PetitionRepresentative.deleted_at.is_(None)
    )
    petitions = session.scalars(
        select(Petition)
        .where(Petition.deleted_at.is_(None), or_(Petition.petitioner_id == person.id, Petition.id.in_(represented)))
        .order_by(Petition.registered_at, Petition.id)
    ).all()
    counts = tag_counts(session, [person.id], now).get(person.id, TagCounts())
    return Profile(
        id=person.id,
        name=person.name,
        sex=Sex.from_code(person.sex).label if Sex.has_code(person.sex) else person.sex,
        nation=person.nation,
        birth_date=person.birth_date,
        id_type=person.id_type,
        id_number=person.id_number,
        address=person.address,
        note=person.note,
        verification_status=person.verification_status,
        phones=phones,
        tags=counts.tags,
        tag_counts=counts,
        petitions=_petition_entries(session, person.id, list(petitions)),
        timeline=_timeline(session, list(petitions)),
    )


def _petition_entries(session: Session, person_id: str, petitions: list[Petition]) -> tuple[PetitionEntry, ...]:
    names = _names(session, petitions)
    return tuple(
        PetitionEntry(
            id=p.id,
            case_label=case_label(p),
            registered_at=p.registered_at,
            state=PetitionState.from_code(p.state).label if PetitionState.has_code(p.state) else p.state,
            category=names.get(p.category_id or "", ""),
            town=names.get(p.town_id or "", ""),
            role="第一信访人" if p.petitioner_id == person_id else "代表",
            title=p.title or _excerpt(p.content),
        )
        for p in petitions
    )


def _names(session: Session, petitions: list[Petition]) -> dict[str, str]:
    categories = {p.category_id for p in petitions if p.category_id}
    towns = {p.town_id for p in petitions if p.town_id}
    names: dict[str, str] = {}
    if categories:
        rows = session.execute(
            select(ContentCategory.id, ContentCategory.name).where(ContentCategory.id.in_(categories))
        )
        names.update({row.id: row.name for row in rows})
    if towns:
        names.update(
            {row.id: row.name for row in session.execute(select(OrgUnit.id, OrgUnit.name).where(OrgUnit.id.in_(towns)))}
        )
    return names


def _excerpt(text: str | None, length: int = 40) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"


def _timeline(session: Session, petitions: list[Petition]) -> tuple[TimelineEntry, ...]:
    by_id = {p.id: p for p in petitions}
    if not by_id:
        return ()
    events = session.scalars(
        select(CaseEvent)
        .where(CaseEvent.petition_id.in_(list(by_id)), CaseEvent.deleted_at.is_(None))
        .order_by(CaseEvent.at, CaseEvent.seq)
    ).all()
    entries: list[tuple[datetime, int, TimelineEntry]] = []
    registered = set()
    for event in events:
        petition = by_id[event.petition_id]
        title = EventType.from_code(event.type).label if EventType.has_code(event.type) else event.type
        if event.type == EventType.REGISTERED.value:
            registered.add(petition.id)
            detail = petition.title or _excerpt(petition.content)
        else:
            detail = _payload_detail(event.payload)
        entry = TimelineEntry(event.at, petition.id, case_label(petition), title, detail)
        entries.append((event.at, int(event.seq or 0), entry))
    for petition in petitions:
        if petition.id not in registered:  # a petition whose registration event has not arrived (yet)
            entry = TimelineEntry(
                petition.registered_at,
                petition.id,
                case_label(petition),
                EventType.REGISTERED.label,
                petition.title or _excerpt(petition.content),
            )
            entries.append((petition.registered_at, 0, entry))
    entries.sort(key=lambda item: (item[0], item[1]))
    return tuple(entry for _, _, entry in entries)


def _payload_detail(payload: dict[str, Any] | None) -> str:
    if not isinstance(payload, dict):
        return ""
    for key in _DETAIL_KEYS:
        value = payload.get(key)
        if isinstance(value, str) and value.strip():
            return _excerpt(value, 60)
    return ""
