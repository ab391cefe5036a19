"""What the case window shows (UI-free): the header, the timeline of events in words, attachments, allowed actions.

Read from the replica in one session (`load_details`, run off the GUI thread by the view). Personal data is masked for
roles that do not need it (`efangtong_core.masking`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from efangtong_core.case_states import ReviewOutcome, member_of
from efangtong_core.lifecycle import EventType, PetitionState
from efangtong_core.masking import mask_id_number, mask_phones, sees_personal_data
from efangtong_core.models import (
    Agent,
    Attachment,
    ContentCategory,
    OrgUnit,
    Petition,
    Petitioner,
    PetitionerPhone,
    User,
)
from efangtong_core.models.petitions import UNIT_ROLE_CO, PetitionUnit
from efangtong_core.models.sync import SyncOutbox
from efangtong_core.vocabulary import PetitionForm, PetitionPurpose, ReplyOutcome, Role, Satisfaction
from efangtong_desktop.services import case_texts as texts
from efangtong_desktop.services.case_events import (
    Actor,
    CaseSnapshot,
    available_actions,
    load_case,
    ordered_events,
    role_for,
)
from efangtong_desktop.services.correction_words import describe_corrections
from sync.attachments import LocalAttachmentStore
from sync.outbox import REJECTED

CHINA = timezone(timedelta(hours=8))


@dataclass(frozen=True)
class CaseHeader:
    """The case at a glance."""

    number: str
    provisional: bool
    query_code: str
    state: str
    deadline: date | None
    days_left: int | None
    petitioner: str
    id_number: str
    phones: str
    category: str
    town: str
    lead_unit: str
    co_units: str
    form: str
    purpose: str
    registered_at: datetime
    content: str


@dataclass(frozen=True)
class AttachmentInfo:
    """An attachment of the case (of the registration or of an event)."""

    id: str
    name: str
    kind: str
    mime: str
    sha256: str
    size: int
    present: bool
    """True when the bytes are in this PC's store (they may arrive after the row)."""
    event_id: str | None


@dataclass(frozen=True)
class TimelineEntry:
    """One event in words: when, who (and unit, role), what, with which details."""

    event_id: str
    kind: str
    """The event type's code."""
    at: datetime
    what: str
    actor: str
    unit: str
    role: str
    details: str
    pending: bool
    """Recorded on this PC and not yet accepted by the server."""
    refused_reason: str | None
    """The server's reason when it refused the event (被服务器退回)."""
    attachment_ids: tuple[str, ...]


@dataclass(frozen=True)
class CaseDetails:
    """Everything the case window shows."""

    petition_id: str
    header: CaseHeader
    timeline: tuple[TimelineEntry, ...]
    attachments: tuple[AttachmentInfo, ...]
    actions: tuple[EventType, ...]
    snapshot: CaseSnapshot
    can_correct: bool = False
    """True when the user may correct the registration (更正登记, on the registration page)."""


def local(at: datetime) -> datetime:
    """A stored time as China time (naive stored times are UTC)."""
    aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return aware.astimezone(CHINA)


def load_details(
    factory: sessionmaker[Session], actor: Actor, petition_id: str, *, store: LocalAttachmentStore, today: date
) -> CaseDetails:
    """Read the case for the window; `ActionRefused` when the replica does not have it."""
    with factory() as session:
        snapshot = load_case(session, petition_id)
        petition = session.get(Petition, petition_id)
        assert petition is not None
        names = _Names(session)
        header = _header(session, petition, snapshot, actor, names, today)
        attachments = _attachments(session, petition_id, store)
        timeline = _timeline(session, petition_id, snapshot, attachments, names, sees_personal_data(actor.roles))
        actions = tuple(available_actions(snapshot, actor))
        can_correct = role_for(snapshot, actor, EventType.REGISTRATION_CORRECTED) is not None
        return CaseDetails(petition_id, header, timeline, attachments, actions, snapshot, can_correct)


class _Names:
    """Names of units, users and cases, read once each."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.units: dict[str, str] = {}
        self.users: dict[str, str] = {}

    def unit(self, unit_id: object) -> str:
        if not isinstance(unit_id, str):
            return ""
        if unit_id not in self.units:
            unit = self.session.get(OrgUnit, unit_id)
            self.units[unit_id] = unit.name if unit else unit_id[:8]
        return self.units[unit_id]

    def user(self, user_id: str | None) -> str:
        if user_id is None:
            return ""
        if user_id not in self.users:
            user = self.session.get(User, user_id)
            self.users[user_id] = user.display_name if user else user_id[:8]
        return self.users[user_id]

    def category(self, category_id: object) -> str:
        category = self.session.get(ContentCategory, category_id) if isinstance(category_id, str) else None
        return category.name if category else str(category_id)

    def agent(self, agent_id: object) -> str:
        agent = self.session.get(Agent, agent_id) if isinstance(agent_id, str) else None
        return agent.name if agent else str(agent_id)

    def person(self, petitioner_id: object) -> str:
        person = self.session.get(Petitioner, petitioner_id) if isinstance(petitioner_id, str) else None
        return person.name if person else str(petitioner_id)

    def case(self, petition_id: object) -> str:
        petition = self.session.get(Petition, petition_id) if isinstance(petition_id, str) else None
        if petition is None:
            return str(petition_id)
        return petition.case_number or petition.provisional_number or petition.query_code


def _header(
    session: Session, petition: Petition, snapshot: CaseSnapshot, actor: Actor, names: _Names, today: date
) -> CaseHeader:
    person = session.get(Petitioner, petition.petitioner_id) if petition.petitioner_id else None
    phones = session.scalars(
        select(PetitionerPhone.phone)
        .where(PetitionerPhone.petitioner_id == petition.petitioner_id, PetitionerPhone.deleted_at.is_(None))
        .order_by(PetitionerPhone.position)
    ).all()
    unmasked = sees_personal_data(actor.roles)
    id_number = (person.id_number or "") if person else ""
    phone_text = "，".join(phones)
    units = session.scalars(
        select(PetitionUnit).where(PetitionUnit.petition_id == petition.id, PetitionUnit.deleted_at.is_(None))
    ).all()
    status = snapshot.status
    state = status.state if status is not None else PetitionState.from_code(petition.state)
    deadline = status.next_due if status is not None else petition.deadline
    return CaseHeader(
        number=petition.case_number or petition.provisional_number or texts.NO_NUMBER,
        provisional=petition.case_number is None,
        query_code=petition.query_code,
        state=state.label,
        deadline=deadline,
        days_left=(deadline - today).days if deadline is not None else None,
        petitioner=person.name if person else texts.ANONYMOUS,
        id_number=id_number if unmasked else mask_id_number(id_number),
        phones=phone_text if unmasked else mask_phones(phone_text),
        category=_category(session, petition.category_id),
        town=names.unit(petition.town_id),
        lead_unit=names.unit(petition.lead_unit_id),
        co_units="、".join(names.unit(u.unit_id) for u in units if u.role == UNIT_ROLE_CO),
        form=PetitionForm.from_code(petition.form).label if PetitionForm.has_code(petition.form) else petition.form,
        purpose=(
            PetitionPurpose.from_code(petition.purpose).label
            if PetitionPurpose.has_code(petition.purpose)
            else petition.purpose
        ),
        registered_at=local(petition.registered_at),
        content=petition.content,
    )


def _category(session: Session, category_id: str | None) -> str:
    category = session.get(ContentCategory, category_id) if category_id else None
    if category is None:
        return ""
    parent = session.get(ContentCategory, category.parent_id) if category.parent_id else None
    return f"{parent.name}／{category.name}" if parent else category.name


def _attachments(session: Session, petition_id: str, store: LocalAttachmentStore) -> tuple[AttachmentInfo, ...]:
    rows = session.scalars(
        select(Attachment)
        .where(Attachment.petition_id == petition_id, Attachment.deleted_at.is_(None))
        .order_by(Attachment.created_at)
    )
    return tuple(
        AttachmentInfo(
            row.id,
            row.original_name or row.sha256[:12],
            row.kind,
            row.mime,
            row.sha256,
            row.size,
            store.has(row.sha256),
            row.case_event_id,
        )
        for row in rows
    )


def _timeline(
    session: Session,
    petition_id: str,
    snapshot: CaseSnapshot,
    attachments: tuple[AttachmentInfo, ...],
    names: _Names,
    unmasked: bool,
) -> tuple[TimelineEntry, ...]:
    refused_query = select(SyncOutbox.row_id, SyncOutbox.reason).where(
        SyncOutbox.table_name == "case_event", SyncOutbox.state == REJECTED
    )
    reasons = {row.row_id: row.reason for row in session.execute(refused_query)}
    entries = []
    for row in ordered_events(session, petition_id):
        kind = EventType.from_code(row.type) if EventType.has_code(row.type) else None
        refused = row.id in snapshot.rejected_event_ids
        entries.append(
            TimelineEntry(
                event_id=row.id,
                kind=row.type,
                at=local(row.at),
                what=kind.label if kind else row.type,
                actor=names.user(row.actor_id),
                unit=names.unit(row.actor_unit_id),
                role=Role.from_code(row.role).label if row.role and Role.has_code(row.role) else "",
                details=describe_payload(row.payload or {}, names, unmasked=unmasked),
                pending=row.server_seq is None and not refused,
                refused_reason=(reasons.get(row.id) or texts.REFUSED_NO_REASON) if refused else None,
                attachment_ids=tuple(a.id for a in attachments if a.event_id == row.id),
            )
        )
    return tuple(entries)


def describe_payload(payload: dict[str, object], names: _Names, *, unmasked: bool = False) -> str:
    """An event's details in words, e.g. 承办单位：札萨克镇；期限：2026-01-25; a correction lists before → after."""
    parts = []
    for key, value in payload.items():
        if value in (None, "", [], {}):
            continue
        if key == "changes" and isinstance(value, dict):
            parts.append(describe_corrections(value, names, unmasked=unmasked))
            continue
        label = texts.FIELD_NAMES.get(key)
        if label is None:
            continue
        parts.append(f"{label}：{_value_in_words(key, value, names)}")
    return "；".join(parts)


def _value_in_words(key: str, value: object, names: _Names) -> str:
    if key == "unit":
        return names.unit(value)
    if key == "co_units" and isinstance(value, list):
        return "、".join(names.unit(unit) for unit in value)
    if key == "into":
        return names.case(value)
    if key == "days":
        return texts.DAYS_VALUE.format(days=value)
    if key in ("outcome", "satisfaction"):
        for kind in (ReplyOutcome, ReviewOutcome, Satisfaction):
            try:
                return str(member_of(kind, value).label)
            except ValueError:
                continue
    return str(value)
