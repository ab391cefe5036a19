"""Registering a petition on the counter's replica, and correcting it while the case is still 待分办.

`register_petition` writes the petitioner (found by ID number or created), phones, the petition with its query code,
provisional number and derived state, group representatives, the first case event and the attachments' rows — all in
one transaction, whose sessions also write the outbox entries (`sync.outbox.enable_outbox`), so either everything is
saved and will sync or nothing is. The attachment bytes go to the blob store first (content-addressed, so a crash
leaves at most an unreferenced file). The petition id may be given by the caller (the form's registration token):
saving the same token twice finds the first registration instead of making a second one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import bindparam, func, select, union_all
from sqlalchemy.orm import Session, sessionmaker

from efangtong_core import deadlines as dl
from efangtong_core import lifecycle
from efangtong_core.case_transitions import TRANSITION_INDEX
from efangtong_core.idnumber import parse_id_number
from efangtong_core.lifecycle import CaseStatus, EventType, PetitionState
from efangtong_core.models import (
    AgentCase,
    CaseEvent,
    Holiday,
    OrgUnit,
    Petition,
    Petitioner,
    PetitionerPhone,
    PetitionRepresentative,
)
from efangtong_core.models import DeadlineRule as DeadlineRuleRow
from efangtong_core.models.base import utcnow
from efangtong_core.query_codes import new_query_code
from efangtong_core.vocabulary import Role
from efangtong_core.workdays import HolidayCalendar, default_calendar
from efangtong_desktop.services import registration_texts as texts
from efangtong_desktop.services.blob_store import attachment_row, put_bytes, put_file
from efangtong_desktop.services.registration_form import (
    PersonInput,
    RegistrationInput,
    RegistrationInvalid,
    normalised_id,
    phone_digits,
    validate_registration,
)
from efangtong_desktop.services.registration_writes import durable_session
from sync.attachments import LocalAttachmentStore

CHINA = timezone(timedelta(hours=8))
CARD_PHOTO_NAME = "证件照.png"


@dataclass(frozen=True)
class Registrar:
    """Who registers: the signed-in user, their unit, this PC, and the role the event is recorded in."""

    user_id: str | None
    unit_id: str
    device_id: str
    role: Role = Role.CLERK


@dataclass(frozen=True)
class RegistrationResult:
    """What the clerk and the receipt need after a save."""

    petition_id: str
    query_code: str
    provisional_number: str | None
    registered_at: datetime
    created: bool
    """False when the token had been saved before (a double click): nothing new was written."""


def name_initials(name: str) -> str:
    """Lower-case pinyin initials of a name (张三 → zs); characters without pinyin are kept as typed, lower-cased."""
    from pypinyin import Style, lazy_pinyin  # its phrase table takes ~0.4 s to load: only when a name is saved

    letters = lazy_pinyin(name.strip(), style=Style.FIRST_LETTER, errors="default")
    return "".join(letter[:1] for letter in letters if letter.strip()).lower()[:50]


# Statements built once: each save only binds its values (no statement building, no cache key to compute).
_RULES_STATE = union_all(
    select(func.count(), func.max(DeadlineRuleRow.updated_at)).select_from(DeadlineRuleRow),
    select(func.count(), func.max(Holiday.updated_at)).select_from(Holiday),
)
_SAVE_FACTS = select(
    select(func.count()).where(Petition.id == bindparam("petition_id")).scalar_subquery(),
    select(func.count()).where(OrgUnit.id == bindparam("unit_id")).scalar_subquery(),
    select(func.count()).where(Petition.query_code == bindparam("query_code")).scalar_subquery(),
    select(func.count())
    .where(
        Petition.registered_at >= bindparam("day_start"),
        Petition.registered_at < bindparam("day_end"),
        Petition.provisional_number.like(bindparam("prefix_pattern"), escape="/"),
    )
    .scalar_subquery(),
)
_PERSON_BY_ID_NUMBER = (
    select(Petitioner)
    .where(Petitioner.id_number == bindparam("number"), Petitioner.deleted_at.is_(None))
    .order_by(Petitioner.created_at)
    .limit(1)
)
_PHONES_OF_PERSON = select(PetitionerPhone).where(
    PetitionerPhone.petitioner_id == bindparam("petitioner_id"), PetitionerPhone.deleted_at.is_(None)
)

_RulesKey = tuple[object, ...]
_rules_cache: dict[str, tuple[_RulesKey, tuple[dl.DeadlineRule, ...], HolidayCalendar]] = {}


def case_rules(session: Session) -> tuple[tuple[dl.DeadlineRule, ...], HolidayCalendar]:
    """The deadline rules and holiday calendar the replica holds (the regulation's defaults when it has none).

    Both tables change rarely (an administrator's edit, pulled by sync): they are read again only when their row
    counts or latest change differ from the last read of the same database.
    """
    key: _RulesKey = tuple(session.connection().execute(_RULES_STATE).all())
    bind = session.get_bind()
    database = str(bind.engine.url)
    cached = _rules_cache.get(database)
    if cached is not None and cached[0] == key:
        return cached[1], cached[2]
    rows = session.scalars(select(DeadlineRuleRow)).all()
    found = {rule.code: rule for rule in (dl.rules_from_rows(rows) or dl.DEFAULT_DEADLINE_RULES)}
    for rule in dl.DEFAULT_DEADLINE_RULES:
        found.setdefault(rule.code, rule)
    holidays = session.scalars(select(Holiday).where(Holiday.deleted_at.is_(None))).all()
    calendar = default_calendar().overlaid(holidays)
    rules = tuple(found.values())
    _rules_cache[database] = (key, rules, calendar)
    return rules, calendar


def registered_status(session: Session, at: datetime, role: Role) -> CaseStatus:
    """The case status right after registration: 待分办 with the 15-day routing deadline (第二十二条)."""
    rules, calendar = case_rules(session)
    event = lifecycle.CaseEvent(EventType.REGISTERED, at, role)
    return lifecycle.apply(None, event, rules=rules, calendar=calendar)


def register_petition(
    factory: sessionmaker[Session],
    data: RegistrationInput,
    registrar: Registrar,
    *,
    store: LocalAttachmentStore,
    petition_id: str | None = None,
    now: datetime | None = None,
) -> RegistrationResult:
    """Save a registration in one transaction with its outbox entries; raises RegistrationInvalid for bad input."""
    at = now or utcnow()
    problems = validate_registration(data, today=at.astimezone(CHINA).date())
    if problems:
        raise RegistrationInvalid(problems)
    blobs = [put_file(store, path) for path in data.attachments]  # content-addressed: harmless if not used
    photo = None
    if data.card_photo:
        photo = put_bytes(store, data.card_photo, name=CARD_PHOTO_NAME, kind="card_photo")
    local = at.astimezone(CHINA)
    day_start = datetime.combine(local.date(), datetime.min.time(), CHINA)
    prefix = f"{texts.PROVISIONAL_PREFIX}{local:%Y%m%d}-{registrar.device_id.replace('-', '')[:4].upper()}-"
    with durable_session(factory) as session:
        origin = registrar.device_id
        # Read everything first and add the rows in the order they depend on one another: one flush at the end
        # writes them, and the outbox lists them in that order (people, petition, its children).
        with session.no_autoflush:
            query_code = new_query_code()
            facts = _save_facts(session, petition_id, registrar.unit_id, query_code, prefix, day_start)
            saved_before, unit_known, code_taken, same_day = facts
            if saved_before:
                earlier = session.get(Petition, petition_id)
                assert earlier is not None
                return _result(earlier, created=False)
            if not unit_known:
                raise RegistrationInvalid({"unit": texts.UNKNOWN_UNIT})
            if code_taken:
                query_code = _unused_query_code(session)
            provisional = f"{prefix}{same_day + 1:03d}"
            status = registered_status(session, at, registrar.role)
            petitioner = upsert_person(session, data.petitioner, origin=origin, changed_by=registrar.user_id)
            if photo is not None:
                petitioner.card_photo_sha256 = photo.sha256
            others = [upsert_person(session, one, origin=origin, changed_by=None) for one in data.representatives]
        petition = Petition(
            id=petition_id,
            query_code=query_code,
            provisional_number=provisional,
            form=data.form,
            purpose=data.purpose,
            category_id=data.category_id,
            town_id=data.town_id,
            head_count=data.head_count,
            title=data.title.strip() or None,
            content=data.content.strip(),
            registering_unit_id=registrar.unit_id,
            registered_at=at,
            registered_by_id=registrar.user_id,
            petitioner_id=petitioner.id,
            agent_id=data.agent_id,
            repeat_of_id=data.repeat_of_id,
            state=status.state.value,
            deadline=status.next_due,
            event_count=1,
            origin=origin,
        )
        session.add(petition)
        if data.representatives:
            for position, person in enumerate([petitioner, *others], start=1):
                session.add(PetitionRepresentative(petition_id=petition.id, petitioner_id=person.id, position=position))
        session.add(case_event_row(petition.id, EventType.REGISTERED, at, registrar, seq=1, payload={}))
        if data.agent_id is not None:  # 代办: the agent carries the case from today (代办事项)
            session.add(AgentCase(agent_id=data.agent_id, petition_id=petition.id, taken_at=at, origin=origin))
        for blob in blobs:
            session.add(attachment_row(blob, origin, petition_id=petition.id))
        if photo is not None:
            session.add(attachment_row(photo, origin, petitioner_id=petitioner.id))
        session.flush()
        return _result(petition, created=True)


def upsert_person(session: Session, person: PersonInput, *, origin: str, changed_by: str | None) -> Petitioner:
    """The petitioner with this ID number, updated with what was typed or read; a new one when there is none."""
    number = normalised_id(person)
    found = None
    if number:
        found = session.scalars(_PERSON_BY_ID_NUMBER, {"number": number}).first()
    fields = _person_fields(person, number)
    if found is None:
        found = Petitioner(origin=origin, **fields)
        session.add(found)
    else:
        for name, value in fields.items():
            if value not in (None, "", "unknown") and getattr(found, name) != value:
                setattr(found, name, value)
    add_phones(session, found, person.phones, origin)
    return found


def _person_fields(person: PersonInput, number: str) -> dict[str, object]:
    name = person.name.strip()
    fields: dict[str, object] = {
        "id_type": person.id_type,
        "id_number": number or None,
        "name": name,
        "name_initials": name_initials(name),
        "sex": person.sex or "unknown",
        "nation": person.nation.strip() or None,
        "birth_date": person.birth_date,
        "address": person.address.strip() or None,
    }
    if number and person.id_type in ("resident", "hmt"):
        parsed = parse_id_number(number)
        fields.update(sex=parsed.sex.value, birth_date=parsed.birth_date, home_division_code=parsed.region_code)
    return fields


def add_phones(session: Session, petitioner: Petitioner, phones: Sequence[str], origin: str) -> None:
    existing: list[PetitionerPhone] = []
    if petitioner not in session.new:
        existing = list(session.scalars(_PHONES_OF_PERSON, {"petitioner_id": petitioner.id}))
    known = {phone.phone for phone in existing}
    position = max((phone.position for phone in existing), default=-1) + 1
    for typed in phones:
        digits = phone_digits(typed)
        if digits and digits not in known:
            session.add(PetitionerPhone(petitioner_id=petitioner.id, phone=digits, position=position, origin=origin))
            known.add(digits)
            position += 1


def _unused_query_code(session: Session) -> str:
    while True:
        code = new_query_code()
        if session.scalar(select(func.count()).where(Petition.query_code == code)) == 0:
            return code


def _save_facts(
    session: Session, petition_id: str | None, unit_id: str, query_code: str, prefix: str, day_start: datetime
) -> tuple[bool, bool, bool, int]:
    """In one statement: whether the token was saved before, whether the unit exists, whether the query code is
    taken, and how many petitions this PC registered that day (临20260125-AB12-003: the day, this PC, the count)."""
    pattern = prefix.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"
    values = {
        "petition_id": petition_id,
        "unit_id": unit_id,
        "query_code": query_code,
        "day_start": day_start,
        "day_end": day_start + timedelta(days=1),
        "prefix_pattern": pattern,
    }
    row = session.connection().execute(_SAVE_FACTS, values).one()
    return bool(row[0]), bool(row[1]), bool(row[2]), int(row[3] or 0)


def case_event_row(
    petition_id: str, kind: EventType, at: datetime, registrar: Registrar, *, seq: int, payload: dict[str, Any]
) -> CaseEvent:
    return CaseEvent(
        petition_id=petition_id,
        type=kind.value,
        at=at,
        actor_id=registrar.user_id,
        actor_unit_id=registrar.unit_id,
        role=registrar.role.value,
        payload=payload,
        seq=seq,
        origin=registrar.device_id,
    )


def _result(petition: Petition, *, created: bool) -> RegistrationResult:
    return RegistrationResult(
        petition_id=petition.id,
        query_code=petition.query_code,
        provisional_number=petition.provisional_number,
        registered_at=petition.registered_at,
        created=created,
    )


def local_day(at: datetime) -> date:
    """The China-time date of a UTC instant."""
    return at.astimezone(CHINA).date()


def is_correctable(state: str) -> bool:
    """True while the clerk may still correct the registration (the lifecycle allows 更正登记 in this state)."""
    return (
        PetitionState.has_code(state)
        and (PetitionState.from_code(state), EventType.REGISTRATION_CORRECTED) in TRANSITION_INDEX
    )
