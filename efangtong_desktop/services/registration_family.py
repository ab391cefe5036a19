"""What a correction (更正登记) changes besides the petition's own columns: representatives, agent case, attachments.

Each function writes plain rows (synced last-writer-wins like the petition's columns) and returns the audit entry for
the `registration_corrected` event, {"old": …, "new": …}, or None when nothing changed:

- representatives: one row per position (the table's (petition, position) key is unique, tombstones included), so a
  position's row is re-pointed to another person, tombstoned when the group shrinks, revived when it grows again;
- agent case (代办事项): the rows of agents no longer carrying the case are tombstoned (the registration named the
  wrong agent), the new agent's row is added (or its tombstone revived) from the correction's time;
- attachments: added files only (a saved attachment is evidence and stays); the entry lists the names before and after.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from efangtong_core.models import AgentCase, Attachment, Petition, Petitioner, PetitionRepresentative
from efangtong_desktop.services.blob_store import StoredBlob, attachment_row
from efangtong_desktop.services.registration import Registrar, upsert_person
from efangtong_desktop.services.registration_form import PersonInput

AGENT_CASE_OPEN = "open"


def _person_entry(person: Petitioner) -> dict[str, str]:
    return {"id": person.id, "name": person.name}


def representatives_of(session: Session, petition_id: str) -> list[PetitionRepresentative]:
    """The petition's live representative rows in position order (representative 1 is the first petitioner)."""
    query = (
        select(PetitionRepresentative)
        .where(PetitionRepresentative.petition_id == petition_id, PetitionRepresentative.deleted_at.is_(None))
        .order_by(PetitionRepresentative.position)
    )
    return list(session.scalars(query))


def correct_representatives(
    session: Session, petition: Petition, others: Sequence[PersonInput], registrar: Registrar, at: datetime
) -> dict[str, Any] | None:
    """Make the group's representatives the petitioner and `others` (none: not a group visit any more)."""
    session.flush()  # a petitioner the correction switched to is written before it is read back
    rows = list(
        session.scalars(select(PetitionRepresentative).where(PetitionRepresentative.petition_id == petition.id))
    )
    by_position = {row.position: row for row in rows}
    before = [row for row in sorted(rows, key=lambda row: row.position) if row.deleted_at is None]
    wanted: list[Petitioner] = []
    if others:
        first = session.get(Petitioner, petition.petitioner_id)
        assert first is not None
        people = [upsert_person(session, one, origin=registrar.device_id, changed_by=None) for one in others]
        wanted = [first, *people]
    wanted_ids = [person.id for person in wanted]
    if [row.petitioner_id for row in before] == wanted_ids:
        return None
    old = [_person_entry(row.petitioner) for row in before]
    session.flush()  # new people get their rows before a representative row points at them
    for position in range(1, max([len(wanted), *by_position]) + 1):
        row = by_position.get(position)
        person = wanted[position - 1] if position <= len(wanted) else None
        if person is None:
            if row is not None and row.deleted_at is None:
                row.deleted_at = at
        elif row is None:
            session.add(
                PetitionRepresentative(
                    petition_id=petition.id, petitioner_id=person.id, position=position, origin=registrar.device_id
                )
            )
        elif row.petitioner_id != person.id or row.deleted_at is not None:
            row.petitioner_id = person.id
            row.deleted_at = None
    return {"old": old, "new": [_person_entry(person) for person in wanted]}


def correct_agent_case(
    session: Session, petition: Petition, agent_id: str | None, registrar: Registrar, at: datetime
) -> dict[str, Any] | None:
    """Make `agent_id` (None: no agent) the one agent carrying the case."""
    rows = list(session.scalars(select(AgentCase).where(AgentCase.petition_id == petition.id)))
    before = sorted(row.agent_id for row in rows if row.deleted_at is None)
    after = [agent_id] if agent_id is not None else []
    if before == after:
        return None
    for row in rows:
        if row.deleted_at is None and row.agent_id != agent_id:
            row.deleted_at = at
    if agent_id is not None and agent_id not in before:
        revived = next((row for row in rows if row.agent_id == agent_id), None)
        if revived is None:
            session.add(AgentCase(agent_id=agent_id, petition_id=petition.id, taken_at=at, origin=registrar.device_id))
        else:
            revived.deleted_at, revived.state, revived.taken_at, revived.finished_at = None, AGENT_CASE_OPEN, at, None
    return {"old": before, "new": after}


def add_attachments(
    session: Session, petition: Petition, blobs: Sequence[StoredBlob], registrar: Registrar
) -> dict[str, Any] | None:
    """Attach the added files to the petition; the entry lists the attachment names before and after."""
    if not blobs:
        return None
    query = (
        select(Attachment.original_name)
        .where(Attachment.petition_id == petition.id, Attachment.deleted_at.is_(None))
        .order_by(Attachment.created_at)
    )
    old = [name or "" for name in session.scalars(query)]
    for blob in blobs:
        session.add(attachment_row(blob, registrar.device_id, petition_id=petition.id))
    return {"old": old, "new": old + [blob.original_name or "" for blob in blobs]}
