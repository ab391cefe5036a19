"""The permission matrix: every route × every role, and no token / an expired token / a revoked token.

The expected access below is written out by hand, independently of the code's permission table. A route that the
server has but this matrix does not (or the other way round) fails the test: adding a route means deciding here who
may call it.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from efangtong_core.models import RefreshToken
from efangtong_core.vocabulary import Role
from efangtong_server.auth.tokens import AccessClaims, hash_refresh_token, issue_access_token
from tests.server.conftest import TEST_SECRET, ServerUnderTest

PUBLIC = "public"
SIGNED_IN = "signed-in"
ADMIN_ONLY = frozenset({Role.ADMIN})
EVERY_ROLE = frozenset(Role)
ANALYTICS = frozenset({Role.LEADER, Role.DISPATCHER, Role.INSPECTOR, Role.BIGSCREEN, Role.HANDLER, Role.UNIT_HEAD})
SYNCING = frozenset(
    {Role.LEADER, Role.CLERK, Role.DISPATCHER, Role.HANDLER, Role.UNIT_HEAD, Role.INSPECTOR, Role.AGENT}
)
COUNTER_ROLES = EVERY_ROLE - {Role.BIGSCREEN}

_ADMIN_RESOURCES = {
    "org-units": "unit_id",
    "users": "user_id",
    "categories": "category_id",
    "sms-templates": "template_id",
    "document-templates": "template_id",
    "routing-rules": "rule_id",
}


def _admin_routes() -> dict[tuple[str, str], object]:
    routes: dict[tuple[str, str], object] = {}
    for resource, key in _ADMIN_RESOURCES.items():
        base = f"/api/v1/admin/{resource}"
        for method, path in [
            ("GET", base),
            ("POST", base),
            ("GET", f"{base}/{{{key}}}"),
            ("PATCH", f"{base}/{{{key}}}"),
        ]:
            routes[(method, path)] = ADMIN_ONLY
    switchable = [("org-units", "unit_id"), ("categories", "category_id"), ("sms-templates", "template_id")]
    switchable.append(("document-templates", "template_id"))
    for resource, key in switchable:
        for action in ("deactivate", "reactivate"):
            routes[("POST", f"/api/v1/admin/{resource}/{{{key}}}/{action}")] = ADMIN_ONLY
    for action in ("disable", "enable", "password", "grants"):
        routes[("POST", f"/api/v1/admin/users/{{user_id}}/{action}")] = ADMIN_ONLY
    extra = [
        ("DELETE", "/api/v1/admin/users/{user_id}/grants/{grant_id}"),
        ("DELETE", "/api/v1/admin/routing-rules/{rule_id}"),
        ("GET", "/api/v1/admin/devices"),
        ("GET", "/api/v1/admin/devices/{device_id}"),
        ("POST", "/api/v1/admin/devices/{device_id}/revoke"),
        ("POST", "/api/v1/admin/devices/{device_id}/restore"),
        ("GET", "/api/v1/admin/deadlines/rules"),
        ("PATCH", "/api/v1/admin/deadlines/rules/{code}"),
        ("GET", "/api/v1/admin/deadlines/holidays"),
        ("POST", "/api/v1/admin/deadlines/holidays"),
        ("DELETE", "/api/v1/admin/deadlines/holidays/{holiday_id}"),
        ("PUT", "/api/v1/admin/deadlines/holidays/years/{year}"),
        ("GET", "/api/v1/admin/parameters"),
        ("GET", "/api/v1/admin/parameters/{key}"),
        ("PUT", "/api/v1/admin/parameters/{key}"),
        ("GET", "/api/v1/audit"),
    ]
    routes.update(dict.fromkeys(extra, ADMIN_ONLY))
    return routes


EXPECTED: dict[tuple[str, str], object] = {
    ("GET", "/api/v1/health"): PUBLIC,
    ("POST", "/api/v1/auth/login"): PUBLIC,
    ("POST", "/api/v1/auth/refresh"): PUBLIC,
    ("POST", "/api/v1/auth/logout"): SIGNED_IN,
    ("GET", "/api/v1/auth/me"): SIGNED_IN,
    ("POST", "/api/v1/auth/password"): SIGNED_IN,
    **{
        ("GET", f"/api/v1/reference/{name}"): EVERY_ROLE
        for name in ("org-units", "categories", "deadline-rules", "holidays", "routing-rules")
    },
    ("POST", "/api/v1/attachments/uploads"): COUNTER_ROLES,
    ("PUT", "/api/v1/attachments/uploads/{upload_id}"): COUNTER_ROLES,
    ("GET", "/api/v1/attachments/{sha256}"): COUNTER_ROLES,
    ("HEAD", "/api/v1/attachments/{sha256}"): COUNTER_ROLES,
    **_admin_routes(),
    ("GET", "/api/v1/analytics/dashboard"): ANALYTICS,
    ("GET", "/api/v1/analytics/cases"): ANALYTICS,
    ("GET", "/api/v1/sync/hello"): SIGNED_IN,
    ("POST", "/api/v1/sync/push"): SYNCING,
    ("GET", "/api/v1/sync/pull"): SYNCING,
    ("GET", "/api/v1/petitioners/{petitioner_id}"): SYNCING,
    ("POST", "/api/v1/verification"): SYNCING,
    ("GET", "/api/v1/routing/suggestions"): frozenset({Role.DISPATCHER, Role.LEADER}),
}

PATH_VALUES = {"code": "handling", "year": "2026", "key": "offline_login_days", "sha256": "0" * 64}
# Routes whose call ends the caller's own session get a fresh sign-in of their own.
SESSION_ENDING = {("POST", "/api/v1/auth/logout"), ("POST", "/api/v1/auth/password")}


def _concrete(path: str) -> str:
    for name, value in PATH_VALUES.items():
        path = path.replace(f"{{{name}}}", value)
    while "{" in path:
        start, end = path.index("{"), path.index("}")
        path = path[:start] + str(uuid.uuid4()) + path[end + 1 :]
    return path


def _call(server: ServerUnderTest, route: tuple[str, str], token: str | None) -> int:
    method, path = route
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = {} if method in ("POST", "PUT", "PATCH") else None
    return server.client.request(method, _concrete(path), headers=headers, json=body).status_code


def test_every_route_has_an_entry_in_the_matrix(server: ServerUnderTest) -> None:
    spec = server.client.get("/openapi.json").json()
    served = {(method.upper(), path) for path, operations in spec["paths"].items() for method in operations}
    assert served - EXPECTED.keys() == set(), "routes without a matrix entry"
    assert EXPECTED.keys() - served == set(), "matrix entries for routes that do not exist"


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_each_role_reaches_exactly_its_routes(server: ServerUnderTest, role: Role) -> None:
    username = server.user(role, unit="伊金霍洛旗信访局" if role != Role.HANDLER else "乌兰木伦镇")
    shared_token = str(server.login(username)["access_token"])
    wrong: list[str] = []
    for route in EXPECTED:
        token = str(server.login(username)["access_token"]) if route in SESSION_ENDING else shared_token
        status = _call(server, route, token)
        expected = EXPECTED[route]
        allowed = expected in (PUBLIC, SIGNED_IN) or (isinstance(expected, frozenset) and role in expected)
        if allowed and status in (401, 403):
            wrong.append(f"{route}: {role.value} should be let in, got {status}")
        if not allowed and status != 403:
            wrong.append(f"{route}: {role.value} should get 403, got {status}")
    assert wrong == []


def test_no_expired_or_revoked_token_gets_in(server: ServerUnderTest) -> None:
    username = server.user(Role.ADMIN)
    signed_in = server.login(username)
    user = signed_in["user"]
    assert isinstance(user, dict)
    revoked = server.login(username)
    assert (
        server.client.post(
            "/api/v1/auth/logout", headers={"Authorization": f"Bearer {revoked['access_token']}"}
        ).status_code
        == 204
    )
    me = server.client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {signed_in['access_token']}"})
    assert me.status_code == 200
    session_id = _session_of(server, str(signed_in["refresh_token"]))
    expired = issue_access_token(
        AccessClaims(
            user_id=user["id"], session_id=session_id, device_id="", expires_at=datetime.now(UTC) - timedelta(1)
        ),
        secret=TEST_SECRET,
    )
    wrong = []
    for route, expected in EXPECTED.items():
        if expected == PUBLIC:
            continue
        for label, token in (("none", None), ("expired", expired), ("revoked", str(revoked["access_token"]))):
            status = _call(server, route, token)
            if status != 401:
                wrong.append(f"{route} with {label} token: {status}")
    assert wrong == []


def _session_of(server: ServerUnderTest, refresh_token: str) -> str:
    with server.sessions() as session:
        found = session.scalar(
            select(RefreshToken.session_id).where(RefreshToken.token_hash == hash_refresh_token(refresh_token))
        )
    assert found is not None
    return found
