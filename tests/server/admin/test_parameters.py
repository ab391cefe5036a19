"""System parameters: the known registry, typed and ranged values, unknown keys refused, effect without restart."""

from __future__ import annotations

from efangtong_core.models import SystemParameter
from efangtong_server.admin.parameters import service
from efangtong_server.admin.parameters.registry import PARAMETERS
from tests.server.admin.conftest import AdminApi

PATH = "/api/v1/admin/parameters"


def test_parameter_routes(api: AdminApi) -> None:
    listed = api.ok("GET", PATH)
    assert [p["key"] for p in listed] == [spec.key for spec in PARAMETERS]
    offline = api.ok("GET", f"{PATH}/offline_login_days")
    assert (offline["value"], offline["is_default"], offline["minimum"], offline["maximum"]) == (7, True, 1, 30)
    assert offline["description"] == "柜台离线登录的最长天数"

    assert api.ok("GET", "/api/v1/auth/me")["offline_login_days"] == 7  # what a counter is told at sign-in
    assert api.ok("PUT", f"{PATH}/offline_login_days", json={"value": 14})["value"] == 14
    with api.sessions() as session:  # what a service reads on its next call
        assert service.parameter_value(session, key="offline_login_days") == 14
    assert api.ok("GET", "/api/v1/auth/me")["offline_login_days"] == 14
    detail = api.refused("PUT", f"{PATH}/offline_login_days", 400, json={"value": 31})
    assert detail == "参数 offline_login_days（柜台离线登录的最长天数）应在 1 到 30 之间"
    assert api.refused("PUT", f"{PATH}/offline_login_days", 400, json={"value": "7"}).endswith("应为整数")
    assert api.refused("PUT", f"{PATH}/offline_login_days", 400, json={"value": True}).endswith("应为整数")
    assert api.refused("PUT", f"{PATH}/sms_enabled", 400, json={"value": 1}).endswith("应为是或否（true/false）")
    assert api.ok("PUT", f"{PATH}/sms_enabled", json={"value": True})["value"] is True
    assert api.ok("PUT", f"{PATH}/bureau_phone", json={"value": "0477-8611234"})["value"] == "0477-8611234"
    control = api.call("PUT", f"{PATH}/bureau_phone", json={"value": "a\u0007b"})
    assert control.status_code in (400, 422)  # refused by the registry, or earlier by an app-wide input check
    assert "控制字符" in control.json()["detail"]
    assert api.refused("PUT", f"{PATH}/no_such_key", 404, json={"value": 1}) == "系统参数 no_such_key 不存在"
    assert api.refused("GET", f"{PATH}/no_such_key", 404) == "系统参数 no_such_key 不存在"
    assert "value" in api.refused("PUT", f"{PATH}/sms_enabled", 422, json={"value": None})
    assert "value" in api.refused("PUT", f"{PATH}/sms_enabled", 422, json={})

    rows = api.audit_rows("system_parameter", "offline_login_days")
    assert [(row.action, row.details) for row in rows] == [("update", {"offline_login_days": {"old": 7, "new": 14}})]


def test_stored_value_outside_the_registry_falls_back_to_the_default(api: AdminApi) -> None:
    with api.sessions() as session:
        session.add(SystemParameter(key="query_code_length", value="eight"))
        session.commit()
    current = api.ok("GET", f"{PATH}/query_code_length")
    assert (current["value"], current["is_default"]) == (8, True)
    with api.sessions() as session:
        assert service.parameter_value(session, key="query_code_length") == 8
