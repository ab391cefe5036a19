"""Response bodies of the audit query route."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel


class AuditEntryOut(BaseModel):
    """One audited action: who, what, on which record, when, from which device and address."""

    id: int
    at: datetime
    user_id: str | None
    username: str | None
    action: str
    entity: str | None
    entity_id: str | None
    device_id: str | None
    ip: str | None
    details: dict[str, Any]
