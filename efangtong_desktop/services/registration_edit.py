"""Correcting a registration (更正登记) while the case is still 待分办, each correction an audited case event.

The changed fields are written as plain updates (they sync last-writer-wins; the server keeps a losing value in
`record_history`) and, in the same transaction, a `registration_corrected` event whose payload lists every field
with its old and new value — who changed what, when, and from where stays in the case's own log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from efangtong_core.lifecycle import EventType, PetitionState
from efangtong_core.models import CaseEvent, Petition, PetitionerPhone, utcnow
from efangtong_desktop.services import registration_texts as texts
from efangtong_desktop.services.blob_store import put_file
from efangtong_desktop.services.registration import (
    CHINA,
    Registrar,
    add_phones,
    case_event_row,
    is_correctable,
    name_initials,
    upsert_person,
)
from efangtong_desktop.services.registration_family import (
    add_attachments,
    correct_agent_case,
    correct_representatives,
    representatives_of,
)
from efangtong_desktop.services.registration_form import (
    PersonInput,
    RegistrationInput,
    RegistrationInvalid,
    normalised_id,
    validate_registration,
)
from efangtong_desktop.services.registration_writes import durable_session
from sync.attachments import LocalAttachmentStore
from sync.registration_lock import CORRECTED_PETITION_FIELDS

PERSON_FIELDS: tuple[str, ...] = ("name", "nation", "address")


@dataclass(frozen=True)
class StoredRegistration:
    """A saved registration read back as form input, with what the page shows about it."""

    petition_id: str
    data: RegistrationInput
    state: str
    query_code: str
    case_number: str | None
    provisional_number: str | None
    registered_at: datetime


def load_registration(session: Session, petition_id: str) -> StoredRegistration:
    """The petition as the form's input (ValueError when there is no such petition)."""
    petition = session.get(Petition, petition_id)
    if petition is None or petition.deleted_at is not None:
        raise ValueError(texts.PETITION_NOT_FOUND)
    person = petition.petitioner
    phones: tuple[str, ...] = ()
    if person is not None:
        phones = tuple(
            session.scalars(
                select(PetitionerPhone.phone)
                .where(PetitionerPhone.petitioner_id == person.id, PetitionerPhone.deleted_at.is_(None))
                .order_by(PetitionerPhone.position)
            )
        )
    typed = PersonInput(
        name=person.name if person else "",
        id_number=(person.id_number or "") if person else "",
        id_type=person.id_type if person else "resident",
        sex=person.sex if person else "unknown",
        nation=(person.nation or "") if person else "",
        birth_date=person.birth_date if person else None,
        address=(person.address or "") if person else "",
        phones=phones,
    )
    others = tuple(
        PersonInput(name=row.petitioner.name, id_number=row.petitioner.id_number or "", id_type=row.petitioner.id_type)
        for row in representatives_of(session, petition.id)
        if row.position > 1
    )
    data = RegistrationInput(
        petitioner=typed,
        representatives=others,
        form=petition.form,
        purpose=petition.purpose,
        category_id=petition.category_id,
        town_id=petition.town_id,
        content=petition.content,
        head_count=petition.head_count,
        title=petition.title or "",
        agent_id=petition.agent_id,
        repeat_of_id=petition.repeat_of_id,
    )
    return StoredRegistration(
        petition_id=petition.id,
        data=data,
        state=petition.state,
        query_code=petition.query_code,
        case_number=petition.case_number,
        provisional_number=petition.provisional_number,
        registered_at=petition.registered_at,
    )


def correct_registration(
    factory: sessionmaker[Session],
    petition_id: str,
    data: RegistrationInput,
    registrar: Registrar,
    *,
    store: LocalAttachmentStore,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Apply the changed fields and record one 更正登记 event listing them; returns {field: {old, new}}.

    Raises RegistrationInvalid for bad input, nothing changed, or a case no longer 待分办.
    """
    at = now or utcnow()
    problems = validate_registration(data, today=at.astimezone(CHINA).date())
    if problems:
        raise RegistrationInvalid(problems)
    blobs = [put_file(store, path) for path in data.attachments]
    with durable_session(factory) as session:
        petition = session.get(Petition, petition_id)
        if petition is None or petition.deleted_at is not None:
            raise RegistrationInvalid({"petition": texts.PETITION_NOT_FOUND})
        if not is_correctable(petition.state):
            label = (
                PetitionState.from_code(petition.state).label
                if PetitionState.has_code(petition.state)
                else petition.state
            )
            raise RegistrationInvalid({"petition": texts.CORRECTION_NOT_ALLOWED.format(state=label)})
        changes = _petition_changes(petition, data)
        changes.update(_person_changes(session, petition, data.petitioner, registrar))
        for field, change in changes.items():
            if field in CORRECTED_PETITION_FIELDS:
                setattr(petition, field, change["new"])
        family = {
            "representatives": correct_representatives(session, petition, data.representatives, registrar, at),
            "agent_case": correct_agent_case(session, petition, data.agent_id, registrar, at),
            "attachments": add_attachments(session, petition, blobs, registrar),
        }
        changes.update({key: change for key, change in family.items() if change is not None})
        if not changes:
            raise RegistrationInvalid({"petition": texts.CORRECTION_NOTHING_CHANGED})
        # The event's number in this case's log; event_count and state are the server's to derive (sent, they
        # would overwrite its count), so the replica's copy of them is left as it is until the next pull.
        last = session.scalar(select(func.max(CaseEvent.seq)).where(CaseEvent.petition_id == petition.id))
        seq = (last or 0) + 1
        session.flush()
        payload = {"changes": changes}
        session.add(
            case_event_row(petition.id, EventType.REGISTRATION_CORRECTED, at, registrar, seq=seq, payload=payload)
        )
        session.flush()
        return changes


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, date | datetime) else value


def _petition_changes(petition: Petition, data: RegistrationInput) -> dict[str, Any]:
    wanted = {
        "form": data.form,
        "purpose": data.purpose,
        "category_id": data.category_id,
        "town_id": data.town_id,
        "head_count": data.head_count,
        "title": data.title.strip() or None,
        "content": data.content.strip(),
        "agent_id": data.agent_id,
        "repeat_of_id": data.repeat_of_id,
    }
    return {
        field: {"old": _plain(getattr(petition, field)), "new": value}
        for field, value in wanted.items()
        if getattr(petition, field) != value
    }


def _person_changes(session: Session, petition: Petition, typed: PersonInput, registrar: Registrar) -> dict[str, Any]:
    person = petition.petitioner
    if person is None:
        return {}
    before = {field: getattr(person, field) for field in PERSON_FIELDS}
    phones_before = set(
        session.scalars(
            select(PetitionerPhone.phone).where(
                PetitionerPhone.petitioner_id == person.id, PetitionerPhone.deleted_at.is_(None)
            )
        )
    )
    changes: dict[str, Any] = {}
    if (normalised_id(typed) or None) != person.id_number:
        other = upsert_person(session, typed, origin=registrar.device_id, changed_by=registrar.user_id)
        petition.petitioner_id = other.id
        return {"petitioner_id": {"old": person.id, "new": other.id}}
    wanted = {
        "name": typed.name.strip(),
        "nation": typed.nation.strip() or None,
        "address": typed.address.strip() or None,
    }
    for field, value in wanted.items():
        if value is not None and getattr(person, field) != value:
            setattr(person, field, value)
    if person.name != before["name"]:
        person.name_initials = name_initials(person.name)
    add_phones(session, person, typed.phones, registrar.device_id)
    for field in PERSON_FIELDS:
        if getattr(person, field) != before[field]:
            changes[f"petitioner.{field}"] = {"old": before[field], "new": getattr(person, field)}
    added = sorted(
        phone.phone
        for phone in session.new
        if isinstance(phone, PetitionerPhone) and phone.petitioner_id == person.id and phone.phone not in phones_before
    )
    if added:
        changes["petitioner.phones"] = {"old": sorted(phones_before), "new": sorted(phones_before | set(added))}
    return changes
