"""Writing and querying the append-only audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from efangtong_core.models import AuditLog


@dataclass(frozen=True)
class Actor:
    """Who acts, on which device, from which address."""

    user_id: str | None
    username: str | None
    device_id: str | None
    ip: str | None


def record_audit(
    session: Session,
    *,
    actor: Actor,
    action: str,
    entity: str | None,
    entity_id: str | None,
    details: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> None:
    """Add one audit row to the session; it commits with the change it describes."""
    session.add(
        AuditLog(
            at=at or datetime.now(UTC),
            user_id=actor.user_id,
            username=actor.username,
            action=action,
            entity=entity,
            entity_id=entity_id,
            device_id=actor.device_id,
            ip=actor.ip,
            details=details or {},
        )
    )


def query_audit(
    session: Session,
    *,
    user_id: str | None = None,
    entity: str | None = None,
    entity_id: str | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    offset: int = 0,
    limit: int = 100,
) -> list[AuditLog]:
    """Audit rows matching every given filter, newest first."""
    query = select(AuditLog)
    if user_id is not None:
        query = query.where(AuditLog.user_id == user_id)
    if entity is not None:
        query = query.where(AuditLog.entity == entity)
    if entity_id is not None:
        query = query.where(AuditLog.entity_id == entity_id)
    if action is not None:
        query = query.where(AuditLog.action == action)
    if since is not None:
        query = query.where(AuditLog.at >= since)
    if until is not None:
        query = query.where(AuditLog.at < until)
    return list(session.scalars(query.order_by(AuditLog.at.desc(), AuditLog.id.desc()).offset(offset).limit(limit)))
