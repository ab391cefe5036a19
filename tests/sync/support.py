"""Helpers of the sync tests: counter replicas, transports, and the rows a counter writes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from efangtong_core.db import open_database, session_factory, writing_engine
from efangtong_core.models import ORIGIN_KEY, CaseEvent, Petition, Petitioner, PetitionerPhone
from sync.client import ClientTooOld, ServerUnreachable, SyncClient, SyncError
from sync.outbox import enable_outbox


class InProcessTransport:
    """A sync transport over FastAPI's TestClient (in-process server)."""

    def __init__(self, client: TestClient, token: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}

    def _check(self, response: Any) -> Any:
        if response.status_code == 426:
            raise ClientTooOld(response.json()["detail"], 426)
        if response.status_code >= 400:
            raise SyncError(str(response.json().get("detail")), response.status_code)
        return response.json()

    def get(self, path: str, params: dict[str, Any]) -> Any:
        """GET below /api/v1."""
        return self._check(self.client.get(f"/api/v1{path}", params=params, headers=self.headers))

    def post(self, path: str, body: Any) -> Any:
        """POST below /api/v1."""
        return self._check(self.client.post(f"/api/v1{path}", json=body, headers=self.headers))


@dataclass
class Replica:
    """A counter's local SQLite replica with its outbox-capturing sessions."""

    engine: Engine
    sessions: sessionmaker[Session]
    device: str

    def session(self) -> Session:
        """A session whose writes go to the outbox; it takes the write lock up front."""
        session = self.sessions()
        session.info[ORIGIN_KEY] = self.device
        return session

    def client(self, transport: Any, **options: Any) -> SyncClient:
        """A sync engine for this replica."""
        return SyncClient(self.engine, transport, **options)


def open_replica(path: Path, device: str | None = None) -> Replica:
    """A fresh (or existing) replica database at `path`."""
    engine = open_database(f"sqlite:///{path}")
    factory = session_factory(writing_engine(engine))
    enable_outbox(factory)
    return Replica(engine=engine, sessions=factory, device=device or f"pc-{uuid.uuid4().hex[:8]}")


def register_petition(
    replica: Replica,
    *,
    unit_id: str,
    town_id: str | None,
    user_id: str | None = None,
    name: str = "王建军",
    at: datetime | None = None,
) -> tuple[str, str]:
    """Register a petitioner and a petition with its first event as the counter does: (petitioner, petition)."""
    when = at or datetime.now(UTC) - timedelta(minutes=5)
    with replica.session() as session:
        person = Petitioner(name=name, sex="male")
        session.add(person)
        session.add(PetitionerPhone(petitioner_id=person.id, phone="13904770001"))
        petition = Petition(
            query_code=uuid.uuid4().hex[:12].upper(),
            form="visit",
            purpose="request",
            town_id=town_id,
            registering_unit_id=unit_id,
            registered_by_id=user_id,
            petitioner_id=person.id,
            content="反映征地补偿款未到位。",
            state="registered",
            registered_at=when,
        )
        session.add(petition)
        session.flush()
        session.add(
            CaseEvent(petition_id=petition.id, type="registered", at=when, role="clerk", seq=1, actor_id=user_id)
        )
        session.commit()
        return person.id, petition.id


def add_event(
    replica: Replica,
    petition_id: str,
    kind: str,
    role: str,
    *,
    at: datetime | None = None,
    payload: dict[str, Any] | None = None,
) -> str:
    """Record a case event on the replica; returns its id."""
    with replica.session() as session:
        event = CaseEvent(
            petition_id=petition_id, type=kind, role=role, at=at or datetime.now(UTC), seq=99, payload=payload or {}
        )
        session.add(event)
        session.commit()
        return event.id


def set_phone(replica: Replica, petitioner_id: str, phone: str) -> None:
    """Change a petitioner's first phone on the replica (a plain-record update)."""
    with replica.session() as session:
        row = session.scalars(select(PetitionerPhone).where(PetitionerPhone.petitioner_id == petitioner_id)).first()
        assert row is not None
        row.phone = phone
        session.commit()


def rows(engine: Engine, model: Any) -> dict[str, Any]:
    """id → row of `model` in a database."""
    with session_factory(engine)() as session:
        return {row.id: row for row in session.scalars(select(model))}


__all__ = ["ServerUnreachable"]
