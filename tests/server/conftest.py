"""Server fixtures: the application on both databases, and users of any role signed in through the real login route."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from efangtong_core.db import open_database, session_factory
from efangtong_core.models import OrgUnit, RoleGrant, User
from efangtong_core.vocabulary import OrgUnitKind, Role
from efangtong_server.app import create_app
from efangtong_server.auth.admin_account import bureau_unit
from efangtong_server.auth.passwords import hash_password
from efangtong_server.settings import Settings

PASSWORD = "Counter#2026"
TEST_SECRET = "test-secret-of-at-least-thirty-two-bytes"


@dataclass
class ServerUnderTest:
    """A running application, a session factory on its database, and helpers to make users."""

    client: TestClient
    sessions: sessionmaker[Session]

    def unit(self, name: str, kind: OrgUnitKind = OrgUnitKind.TOWN) -> str:
        """The id of the org unit `name`, created under the bureau when missing."""
        with self.sessions() as session:
            found = session.scalar(select(OrgUnit.id).where(OrgUnit.name == name))
            if found:
                return found
            bureau = bureau_unit(session)
            unit = bureau if kind == OrgUnitKind.BUREAU else OrgUnit(name=name, kind=kind, parent_id=bureau.id)
            session.add(unit)
            session.commit()
            return unit.id

    def user(
        self,
        role: Role,
        *,
        unit: str = "伊金霍洛旗信访局",
        must_change_password: bool = False,
        password: str = PASSWORD,
    ) -> str:
        """Create a user holding `role` scoped to `unit`; returns the username."""
        kind = OrgUnitKind.BUREAU if unit.endswith("信访局") else OrgUnitKind.TOWN
        unit_id = self.unit(unit, kind)
        username = f"{role.value}-{uuid.uuid4().hex[:8]}"
        with self.sessions() as session:
            user = User(
                username=username,
                display_name=f"测试{role.label}",
                password_hash=hash_password(password),
                must_change_password=must_change_password,
                org_unit_id=unit_id,
            )
            session.add(user)
            session.flush()
            session.add(RoleGrant(user_id=user.id, role=role, scope_unit_id=unit_id))
            session.commit()
        return username

    def login(self, username: str, password: str = PASSWORD, device_id: str | None = None) -> dict[str, object]:
        """Sign in through the login route; returns the JSON answer (asserting success)."""
        answer = self.client.post(
            "/api/v1/auth/login",
            json={"username": username, "password": password, "device_id": device_id or str(uuid.uuid4())},
        )
        assert answer.status_code == 200, answer.text
        body: dict[str, object] = answer.json()
        return body

    def headers(self, username: str, password: str = PASSWORD) -> dict[str, str]:
        """Authorization headers of a fresh sign-in of `username`."""
        return {"Authorization": f"Bearer {self.login(username, password)['access_token']}"}


@pytest.fixture
def server(db_url: str, tmp_path: Path) -> Iterator[ServerUnderTest]:
    """The application on `db_url` (SQLite and PostgreSQL), with its lifespan running."""
    settings = Settings(database_url=db_url, data_dir=tmp_path / "server-data", secret_key=TEST_SECRET)
    with TestClient(create_app(settings)) as client:
        engine = open_database(db_url)
        try:
            yield ServerUnderTest(client=client, sessions=session_factory(engine))
        finally:
            engine.dispose()
