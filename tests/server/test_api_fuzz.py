"""Schemathesis against the live server's OpenAPI, signed in as a user holding every role: no input may give a 5xx,
every answer must match the documented status codes and schemas. Runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation.case import Case
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from efangtong_core.db import open_database, session_factory
from efangtong_core.models import RoleGrant
from efangtong_core.vocabulary import Role
from efangtong_server.auth.admin_account import create_admin
from tests.support.server import RunningServer, running_server

EXAMPLES_PER_MODE = 25
"""Examples per operation and generation mode (valid and invalid input)."""

# Operations that end the caller's own session are fuzzed with a fresh sign-in per example.
SESSION_ENDING = {"POST /api/v1/auth/logout", "POST /api/v1/auth/password"}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
ADMIN, ADMIN_PASSWORD = "fuzz-admin", "Fuzz#Admin2026"


def _sign_in(server: RunningServer) -> dict[str, str]:
    answer = httpx.post(
        f"{server.base_url}/api/v1/auth/login",
        json={"username": ADMIN, "password": ADMIN_PASSWORD, "device_id": str(uuid.uuid4())},
    )
    answer.raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def _fuzz(strategy: object, call: Callable[[Case], None], examples: int) -> None:
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: Case) -> None:
        call(case)

    run()


def test_no_input_gives_a_server_error_or_breaks_the_schema(db_url: str, tmp_path: Path) -> None:
    engine = open_database(db_url)
    with session_factory(engine)() as session:
        admin = create_admin(session, username=ADMIN, password=ADMIN_PASSWORD)
        # Every role on the bureau, so that every route answers past its permission check.
        other_roles = [role for role in Role if role != Role.ADMIN]
        session.add_all(RoleGrant(user_id=admin.id, role=role, scope_unit_id=admin.org_unit_id) for role in other_roles)
        session.commit()
    engine.dispose()
    with running_server(db_url, tmp_path) as server:
        schema = schemathesis.openapi.from_url(f"{server.base_url}/openapi.json")
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 5
        failures: list[str] = []
        for operation in operations:
            label = f"{operation.method.upper()} {operation.path}"
            fresh = label in SESSION_ENDING
            headers = _sign_in(server)  # a new access token per operation: a long run outlives one (15 minutes)

            def call(case: Case, fresh: bool = fresh, headers: dict[str, str] = headers) -> None:
                case.call_and_validate(
                    base_url=server.base_url, headers=_sign_in(server) if fresh else headers, checks=CHECKS
                )

            for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
                try:
                    _fuzz(operation.as_strategy(mode), call, 10 if fresh else EXAMPLES_PER_MODE)
                except Unsatisfiable:
                    assert mode == schemathesis.GenerationMode.NEGATIVE, label  # no input of it can be invalid
                except Exception as failure:  # collect every operation's failure, then report them all
                    failures.append(f"{label} [{mode}]: {failure}")
        log = server.log_path.read_text(errors="replace")
    assert failures == []
    assert "Traceback" not in log
