"""Fixtures of the administration tests: the application with a signed-in administrator, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from efangtong_core.db import open_database, session_factory
from efangtong_core.models import AuditLog, OrgUnit, RoleGrant, User
from efangtong_core.vocabulary import OrgUnitKind, Role
from efangtong_server.app import create_app
from efangtong_server.auth.admin_account import bureau_unit, create_admin
from efangtong_server.auth.passwords import hash_password
from efangtong_server.settings import Settings

SECRET = "admin-tests-secret-of-at-least-32-characters"
ADMIN_PASSWORD = "Admin#2026pass"
USER_PASSWORD = "Counter#2026"


@dataclass
class AdminApi:
    """The running application, a session factory on its database and a signed-in administrator."""

    client: TestClient
    sessions: sessionmaker[Session]
    admin_id: str
    bureau_id: str
    device_id: str
    token: str
    _counter: list[int] = field(default_factory=lambda: [0])

    @property
    def headers(self) -> dict[str, str]:
        """The administrator's authorization header."""
        return {"Authorization": f"Bearer {self.token}"}

    def call(self, method: str, path: str, *, token: str | None = None, **kwargs: Any) -> httpx.Response:
        """Call the API as the administrator (or with `token`)."""
        headers = {"Authorization": f"Bearer {token or self.token}", **kwargs.pop("headers", {})}
        return self.client.request(method, path, headers=headers, **kwargs)

    def ok(self, method: str, path: str, status: int = 200, **kwargs: Any) -> Any:
        """Call as the administrator, assert `status`, return the JSON answer."""
        answer = self.call(method, path, **kwargs)
        assert answer.status_code == status, answer.text
        return answer.json()

    def refused(self, method: str, path: str, status: int, **kwargs: Any) -> str:
        """Call as the administrator, assert the refusal `status`, return its Chinese detail."""
        answer = self.call(method, path, **kwargs)
        assert answer.status_code == status, answer.text
        detail: str = answer.json()["detail"]
        assert not detail.isascii(), detail
        return detail

    def town(self, name: str) -> str:
        """Create a town under the bureau; its id."""
        with self.sessions() as session:
            unit = OrgUnit(name=name, kind=OrgUnitKind.TOWN, parent_id=self.bureau_id)
            session.add(unit)
            session.commit()
            return unit.id

    def user(self, role: Role = Role.CLERK, unit_id: str | None = None) -> tuple[str, str]:
        """A user holding `role` in `unit_id` (default: the bureau); (username, id)."""
        self._counter[0] += 1
        username = f"{role.value}{self._counter[0]}"
        unit_id = unit_id or self.bureau_id
        with self.sessions() as session:
            user = User(
                username=username,
                display_name=f"测试{role.label}",
                password_hash=hash_password(USER_PASSWORD),
                must_change_password=False,
                org_unit_id=unit_id,
            )
            session.add(user)
            session.flush()
            session.add(RoleGrant(user_id=user.id, role=role, scope_unit_id=unit_id))
            session.commit()
            return username, user.id

    def login(self, username: str, password: str = USER_PASSWORD, device_id: str | None = None) -> str:
        """Sign in through the login route; the access token."""
        answer = self.client.post(
            "/api/v1/auth/login",
            json={"username": username, "password": password, "device_id": device_id or str(uuid.uuid4())},
        )
        assert answer.status_code == 200, answer.text
        token: str = answer.json()["access_token"]
        return token

    def audit_rows(self, entity: str, entity_id: str) -> list[AuditLog]:
        """The audit rows of one record, oldest first."""
        with self.sessions() as session:
            query = select(AuditLog).where(AuditLog.entity == entity, AuditLog.entity_id == entity_id)
            return list(session.scalars(query.order_by(AuditLog.id)))


@pytest.fixture
def api(db_url: str, tmp_path: Path) -> Iterator[AdminApi]:
    """The application on `db_url` (SQLite and PostgreSQL) with an administrator signed in."""
    settings = Settings(database_url=db_url, data_dir=tmp_path / "server-data", secret_key=SECRET)
    with TestClient(create_app(settings)) as client:
        engine = open_database(db_url)
        sessions = session_factory(engine)
        with sessions() as session:
            admin = create_admin(session, username="root", password=ADMIN_PASSWORD)
            bureau_id = bureau_unit(session).id
        device_id = str(uuid.uuid4())
        answer = client.post(
            "/api/v1/auth/login", json={"username": "root", "password": ADMIN_PASSWORD, "device_id": device_id}
        )
        assert answer.status_code == 200, answer.text
        try:
            yield AdminApi(
                client=client,
                sessions=sessions,
                admin_id=admin.id,
                bureau_id=bureau_id,
                device_id=device_id,
                token=answer.json()["access_token"],
            )
        finally:
            engine.dispose()
