"""Reading a petitioner's personal record: only within the reader's scope, and never without an audit row.

The ID number and phones come masked (`efangtong_core.masking`) to a reader none of whose roles needs them (督查员:
deadlines and handling quality need the case facts, not whom to call), as on the counter's pages.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from efangtong_core.masking import mask_id_number, mask_phone, sees_personal_data
from efangtong_core.models import Petition, Petitioner
from efangtong_server.access.principal import Access
from efangtong_server.audit.service import Actor, record_audit
from efangtong_server.petitioners.schemas import PetitionerOut, PhoneOut
from efangtong_server.sync.service import visibility_of
from sync.scope import visible_filter


def read_petitioner(session: Session, *, access: Access, actor: Actor, petitioner_id: str) -> PetitionerOut | None:
    """The record of a petitioner the reader may see (None otherwise); the read is audited and committed."""
    petitioner = session.scalar(
        select(Petitioner)
        .where(Petitioner.id == petitioner_id, Petitioner.deleted_at.is_(None))
        .where(visible_filter("petitioner", visibility_of(access)))
    )
    if petitioner is None:
        return None
    petitions = session.scalar(
        select(func.count())
        .select_from(Petition)
        .where(Petition.petitioner_id == petitioner.id, Petition.deleted_at.is_(None))
    )
    unmasked = sees_personal_data(access.principal.roles)
    record = PetitionerOut(
        id=petitioner.id,
        id_type=petitioner.id_type,
        id_number=petitioner.id_number
        if unmasked or not petitioner.id_number
        else mask_id_number(petitioner.id_number),
        name=petitioner.name,
        sex=petitioner.sex,
        nation=petitioner.nation,
        birth_date=petitioner.birth_date,
        address=petitioner.address,
        anonymous=petitioner.anonymous,
        verification_status=petitioner.verification_status,
        phones=[
            PhoneOut(phone=p.phone if unmasked else mask_phone(p.phone), label=p.label)
            for p in petitioner.phones
            if p.deleted_at is None
        ],
        masked=not unmasked,
        petition_count=int(petitions or 0),
    )
    details = None if unmasked else {"masked": True}
    record_audit(session, actor=actor, action="read", entity="petitioner", entity_id=petitioner.id, details=details)
    session.commit()
    return record
