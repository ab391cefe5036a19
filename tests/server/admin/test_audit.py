"""The audit query route, and hostile input on the administration routes answered in Chinese, never with a 500."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from efangtong_core.models import AuditLog
from efangtong_core.vocabulary import Role
from tests.server.admin.conftest import AdminApi

PATH = "/api/v1/audit"


def test_audit_query_by_person_user_action_and_time(api: AdminApi) -> None:
    clerk, clerk_id = api.user(Role.CLERK)
    api.login(clerk)
    now = datetime.now(UTC)
    with api.sessions() as session:
        for index, at in enumerate((now - timedelta(days=2), now - timedelta(hours=1))):
            session.add(
                AuditLog(
                    at=at,
                    user_id=clerk_id,
                    username=clerk,
                    action="read",
                    entity="petitioner",
                    entity_id="person-1",
                    details={"n": index},
                )
            )
        session.commit()
    api.ok("POST", "/api/v1/admin/org-units", 201, json={"name": "苏布尔嘎镇", "kind": "town"})

    person = api.ok("GET", PATH, params={"entity": "petitioner", "entity_id": "person-1"})
    assert [row["details"]["n"] for row in person] == [1, 0]  # newest first
    since = (now - timedelta(days=1)).isoformat()
    assert [row["details"]["n"] for row in api.ok("GET", PATH, params={"entity_id": "person-1", "since": since})] == [1]
    until = (now - timedelta(days=1)).isoformat()
    assert [row["details"]["n"] for row in api.ok("GET", PATH, params={"entity_id": "person-1", "until": until})] == [0]
    by_user = api.ok("GET", PATH, params={"user_id": clerk_id})
    assert {row["action"] for row in by_user} == {"login", "read"}
    created = api.ok("GET", PATH, params={"user_id": api.admin_id, "action": "create"})
    assert [(row["entity"], row["username"]) for row in created] == [("org_unit", "root")]
    assert created[0]["ip"] == "testclient" and created[0]["device_id"] == api.device_id
    assert len(api.ok("GET", PATH, params={"limit": 1})) == 1

    assert "limit" in api.refused("GET", PATH, 422, params={"limit": 501})
    assert "offset" in api.refused("GET", PATH, 422, params={"offset": -1})
    assert "since" in api.refused("GET", PATH, 422, params={"since": "yesterday"})
    assert api.refused("GET", PATH, 400, params={"since": until, "until": since}) == "起始时间应早于截止时间"
    assert api.call("GET", PATH, token=api.login(clerk)).status_code == 403


def test_hostile_input_gets_a_chinese_4xx(api: AdminApi) -> None:
    nul = "名\u0000称"
    cases: list[tuple[str, str, dict[str, Any]]] = [
        ("POST", "/api/v1/admin/org-units", {"json": {"name": nul, "kind": "town"}}),
        ("POST", "/api/v1/admin/org-units", {"json": {"name": "x", "kind": "town", "sort_order": 2**63}}),
        ("POST", "/api/v1/admin/org-units", {"json": {"name": "x", "kind": "town", "parent_id": "a\u0000"}}),
        ("POST", "/api/v1/admin/org-units", {"content": b"{not json", "headers": {"Content-Type": "application/json"}}),
        ("POST", "/api/v1/admin/org-units", {"json": ["a", "list"]}),
        ("GET", "/api/v1/admin/org-units/%00", {}),
        ("GET", "/api/v1/admin/users", {"params": {"q": "\u0000"}}),
        ("GET", "/api/v1/admin/users", {"params": {"offset": 10**30}}),
        (
            "POST",
            "/api/v1/admin/users",
            {"json": {"username": "ab", "display_name": "x", "org_unit_id": "x", "password": 5}},
        ),
        ("GET", "/api/v1/audit", {"params": {"since": "9999-12-31T23:59:59-05:00"}}),
        ("GET", "/api/v1/audit", {"params": {"until": "0001-01-01T00:00:00+05:00"}}),
        ("GET", "/api/v1/audit", {"params": {"entity_id": "\u0000"}}),
        ("POST", "/api/v1/admin/deadlines/holidays", {"json": {"day": "9999-12-31", "kind": "holiday"}}),
        ("PUT", "/api/v1/admin/deadlines/holidays/years/99999", {"json": {"days": []}}),
        ("PATCH", "/api/v1/admin/deadlines/rules/handling", {"json": {"days": 10**20}}),
        ("POST", "/api/v1/admin/sms-templates", {"json": {"code": "x", "name": "x", "text": "a\u0000"}}),
        ("PUT", "/api/v1/admin/parameters/offline_login_days", {"json": {"value": 10**40}}),
        ("PUT", "/api/v1/admin/parameters/offline_login_days", {"json": {"value": 1.5}}),
        ("PUT", "/api/v1/admin/parameters/bureau_phone", {"json": {"value": "x" * 201}}),
        ("POST", "/api/v1/admin/routing-rules", {"json": {"unit_id": None}}),
    ]
    for method, path, kwargs in cases:
        answer = api.call(method, path, **kwargs)
        assert 400 <= answer.status_code < 500, (method, path, kwargs, answer.status_code, answer.text)
        assert not answer.json()["detail"].isascii(), answer.text
