"""Editing a petitioner's contact details (phones, address, note) and recording who viewed personal data.

Both write through the caller's session; on a counter that is an outbox-capturing replica session, so contact edits
sync as last-writer-wins (the server keeps the losing value in record_history and audits the change) and access-log
rows become audit_log entries on the server, also when the view happened offline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from efangtong_core.idnumber import normalise_text
from efangtong_core.models import ACCESS_VIEW, Petitioner, PetitionerAccess, PetitionerPhone
from efangtong_core.petitioner_records import RecordsError

MAX_PHONES = 5
MAX_ADDRESS = 200
MAX_NOTE = 2000
_PHONE_SEPARATORS = re.compile(r"[\s\-－()（）]+")


@dataclass(frozen=True)
class ContactDetails:
    """The editable contact details: phones in order of preference, address, note."""

    phones: tuple[str, ...]
    address: str | None
    note: str | None


def normalise_phone(text: str) -> str:
    """A phone as stored (digits only); RecordsError unless 7–20 digits (a mobile number starting with 1: 11)."""
    digits = _PHONE_SEPARATORS.sub("", normalise_text(text))
    if not re.fullmatch(r"\d{7,20}", digits):
        raise RecordsError(f"电话号码「{text.strip()}」无效：应为 7 至 20 位数字（可含空格或连字符）")
    if digits.startswith("1") and len(digits) != 11:
        raise RecordsError(f"电话号码「{text.strip()}」无效：手机号应为 11 位")
    return digits


def validated_contacts(phones: list[str], address: str, note: str) -> ContactDetails:
    """Contact details as typed, checked and normalised; RecordsError says what is wrong."""
    numbers = [normalise_phone(text) for text in phones if text.strip()]
    if len(numbers) > MAX_PHONES:
        raise RecordsError(f"最多登记 {MAX_PHONES} 个联系电话")
    if len(set(numbers)) != len(numbers):
        raise RecordsError("联系电话有重复")
    if len(address.strip()) > MAX_ADDRESS:
        raise RecordsError(f"住址过长（最多 {MAX_ADDRESS} 个字）")
    if len(note.strip()) > MAX_NOTE:
        raise RecordsError(f"备注过长（最多 {MAX_NOTE} 个字）")
    return ContactDetails(phones=tuple(numbers), address=address.strip() or None, note=note.strip() or None)


def save_contacts(session: Session, petitioner_id: str, contacts: ContactDetails) -> bool:
    """Apply `contacts` to the person in `session` (not committed); True when anything changed.

    Kept phones stay the same rows (their edits sync field by field); a removed phone is tombstoned, never deleted.
    """
    person = session.get(Petitioner, petitioner_id)
    if person is None or person.deleted_at is not None:
        raise RecordsError("该信访人不存在或已删除")
    changed = False
    if person.address != contacts.address:
        person.address, changed = contacts.address, True
    if person.note != contacts.note:
        person.note, changed = contacts.note, True
    live = list(
        session.scalars(
            select(PetitionerPhone)
            .where(PetitionerPhone.petitioner_id == person.id, PetitionerPhone.deleted_at.is_(None))
            .order_by(PetitionerPhone.position, PetitionerPhone.created_at)
        )
    )
    by_number = {row.phone: row for row in live}
    for position, number in enumerate(contacts.phones):
        row = by_number.pop(number, None)
        if row is None:
            session.add(PetitionerPhone(petitioner_id=person.id, phone=number, position=position))
            changed = True
        elif row.position != position:
            row.position, changed = position, True
    for row in by_number.values():
        row.mark_deleted()
        changed = True
    return changed


def record_access(
    session: Session,
    *,
    petitioner_id: str | None,
    user_id: str | None,
    username: str | None,
    online: bool,
    action: str = ACCESS_VIEW,
    details: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> PetitionerAccess:
    """Add one access-log row (a profile view or an export) to `session`; it commits with the caller's transaction."""
    row = PetitionerAccess(
        petitioner_id=petitioner_id,
        action=action,
        user_id=user_id,
        username=username,
        online=online,
        details=details or {},
    )
    if at is not None:
        row.at = at
    session.add(row)
    return row
