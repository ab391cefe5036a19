"""Schemas of the health route."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class Health(BaseModel):
    """What a counter client or a load balancer learns about the server."""

    status: str
    version: str
    database: str
    schema_revision: str | None
    server_time: datetime
