"""Verifying identities: the cache, recording results on petitioners, auditing, and the sweep of pending petitioners.

No database transaction stays open while the service is asked (it may take up to the configured timeout): on SQLite a
writing transaction holds the database's write lock, so the lock is released first and taken again for the answer.
A transient failure (error, timeout) is never cached; the petitioner is left (or put) 待核验 so the sweep asks again.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from efangtong_core.idnumber import InvalidIdNumber, parse_id_number
from efangtong_core.masking import mask_id_number
from efangtong_core.models import Petitioner
from efangtong_core.models.verification import VerificationCache
from efangtong_server.audit.service import Actor, record_audit
from efangtong_server.settings import Settings
from efangtong_server.verification import texts
from efangtong_server.verification.adapter import VerificationResult, Verifier, VerifierAnswer
from efangtong_server.verification.schemas import VerificationOut

PENDING = "pending"
"""petitioner.verification_status of a petitioner waiting for the sweep (待核验)."""
DEFINITIVE_STATUSES = frozenset(r.value for r in VerificationResult if r.definitive)
SYSTEM_ACTOR = Actor(user_id=None, username="system:verification", device_id=None, ip=None)
"""Who the background sweep acts as in the audit log."""
SWEEP_BATCH = 50


class InvalidSubject(ValueError):
    """The name or ID number cannot be verified as given; the message says why, in Chinese."""


def checked_subject(name: str, id_number: str) -> tuple[str, str]:
    """The trimmed name and the normalised 18-digit number; InvalidSubject when either is unusable."""
    name = name.strip()
    if not name:
        raise InvalidSubject(texts.NAME_MISSING)
    try:
        return name, parse_id_number(id_number).number
    except InvalidIdNumber as error:
        raise InvalidSubject(texts.INVALID_ID_NUMBER.format(reason=error)) from None


def subject_hash(settings: Settings, name: str, id_number: str) -> str:
    """The cache key of a name + ID number: HMAC-SHA256 under a key derived from the server secret (not guessable)."""
    key = hashlib.sha256(b"efangtong-verification\x00" + settings.token_secret().encode()).digest()
    return hmac.new(key, f"{id_number}\x1f{name}".encode(), hashlib.sha256).hexdigest()


def cached_answer(session: Session, *, subject: str, settings: Settings, now: datetime) -> VerificationResult | None:
    """The cached definitive result for `subject` if it is younger than the configured cache time."""
    if settings.verify_cache_hours <= 0:
        return None
    row = session.scalar(select(VerificationCache).where(VerificationCache.subject_hash == subject))
    if row is None or row.checked_at < now - timedelta(hours=settings.verify_cache_hours):
        return None
    return VerificationResult(row.result)


def remember(session: Session, *, subject: str, result: VerificationResult, at: datetime) -> None:
    """Store (or refresh) the cached definitive result of `subject`."""
    row = session.scalar(select(VerificationCache).where(VerificationCache.subject_hash == subject))
    if row is not None:
        row.result, row.checked_at = result.value, at
        return
    try:
        with session.begin_nested():
            session.add(VerificationCache(subject_hash=subject, result=result.value, checked_at=at))
    except IntegrityError:  # another request cached the same pair a moment ago; its answer is as good
        pass


def record_on_petitioners(
    session: Session, *, name: str, id_number: str, answer: VerifierAnswer, at: datetime
) -> list[str]:
    """Write the result on every live petitioner with this name and number; returns their ids.

    A definitive result replaces what was there; a failure leaves a definitive earlier result alone and otherwise
    marks the petitioner 待核验, so the sweep tries again (unless retrying cannot help: no service configured).
    Changed rows get a new server_seq and sync back.
    """
    petitioners = session.scalars(
        select(Petitioner).where(
            Petitioner.id_number == id_number, Petitioner.name == name, Petitioner.deleted_at.is_(None)
        )
    ).all()
    result = answer.result
    for petitioner in petitioners:
        if result.definitive:
            petitioner.verification_status = result.value
            petitioner.verified_at = at
        elif answer.retryable and petitioner.verification_status not in DEFINITIVE_STATUSES:
            petitioner.verification_status = PENDING
    return [p.id for p in petitioners]


def _audit(
    session: Session,
    *,
    actor: Actor,
    name: str,
    id_number: str,
    answer: VerifierAnswer,
    cached: bool,
    petitioner_ids: list[str],
) -> None:
    record_audit(
        session,
        actor=actor,
        action="verify",
        entity="petitioner",
        entity_id=petitioner_ids[0] if petitioner_ids else None,
        details={
            "id_number": mask_id_number(id_number),
            "result": answer.result.value,
            "cached": cached,
            "petitioners": len(petitioner_ids),
        },
    )


def verify_identity(
    session: Session, *, verifier: Verifier, settings: Settings, actor: Actor, name: str, id_number: str
) -> VerificationOut:
    """Verify `name` + `id_number` (from the cache when fresh), record it on the petitioners, audit, commit.

    InvalidSubject (nothing asked, nothing written) when the name is blank or the number is not a valid ID number.
    """
    name, id_number = checked_subject(name, id_number)
    subject = subject_hash(settings, name, id_number)
    now = datetime.now(UTC)
    cached = cached_answer(session, subject=subject, settings=settings, now=now)
    if cached is not None:
        answer = VerifierAnswer(cached)
    else:
        session.rollback()  # release the write lock while the service is asked
        answer = verifier.verify(name, id_number)
        now = datetime.now(UTC)
        if answer.result.definitive:
            remember(session, subject=subject, result=answer.result, at=now)
    updated = record_on_petitioners(session, name=name, id_number=id_number, answer=answer, at=now)
    _audit(
        session,
        actor=actor,
        name=name,
        id_number=id_number,
        answer=answer,
        cached=cached is not None,
        petitioner_ids=updated,
    )
    session.commit()
    return VerificationOut(
        result=answer.result.value,
        message=answer.message,
        cached=cached is not None,
        checked_at=now,
        will_retry=not answer.result.definitive and answer.retryable,
    )


@dataclass(frozen=True)
class SweepReport:
    """What one sweep over pending petitioners did."""

    checked: int = 0
    resolved: int = 0
    failed: bool = False
    """True when the service failed and the sweep stopped early (the rest waits for the next round)."""


def verify_pending_once(
    factory: sessionmaker[Session], *, verifier: Verifier, settings: Settings, batch: int = SWEEP_BATCH
) -> SweepReport:
    """Verify up to `batch` pending petitioners (待核验); stops at the first failure of the service."""
    with factory() as session:
        pending = session.execute(
            select(Petitioner.name, Petitioner.id_number)
            .where(
                Petitioner.verification_status == PENDING,
                Petitioner.id_number.is_not(None),
                Petitioner.deleted_at.is_(None),
            )
            .distinct()
            .limit(batch)
        ).all()
    checked = resolved = 0
    for name, id_number in pending:
        with factory() as session:
            outcome = verify_identity(
                session, verifier=verifier, settings=settings, actor=SYSTEM_ACTOR, name=name, id_number=id_number or ""
            )
        checked += 1
        if outcome.result not in DEFINITIVE_STATUSES:
            return SweepReport(checked=checked, resolved=resolved, failed=True)
        resolved += 1
    return SweepReport(checked=checked, resolved=resolved)
