"""Response bodies of the device routes."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class DeviceOut(BaseModel):
    """A registered device with who registered it, when it was last seen and whether it is revoked."""

    id: str
    name: str
    org_unit_id: str | None
    org_unit_name: str | None
    registered_by_id: str | None
    registered_by_name: str | None
    client_version: str | None
    schema_revision: str | None
    created_at: datetime
    last_seen_at: datetime | None
    last_seen_ip: str | None
    revoked_at: datetime | None
    open_sessions: int
