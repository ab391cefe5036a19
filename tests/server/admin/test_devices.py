"""Device administration: the registry, revoking (tokens stop at once) and restoring."""

from __future__ import annotations

import uuid

from efangtong_core.vocabulary import Role
from tests.server.admin.conftest import AdminApi


def test_revoking_a_device_ends_its_sessions_and_restoring_allows_sign_in(api: AdminApi) -> None:
    username, _ = api.user(Role.CLERK)
    device_id = str(uuid.uuid4())
    token = api.login(username, device_id=device_id)
    listed = {device["id"]: device for device in api.ok("GET", "/api/v1/admin/devices")}
    device = listed[device_id]
    assert device["registered_by_name"] == "测试登记员"
    assert device["last_seen_at"] is not None and device["revoked_at"] is None and device["open_sessions"] == 1
    assert device["org_unit_name"] == "伊金霍洛旗信访局"

    revoked = api.ok("POST", f"/api/v1/admin/devices/{device_id}/revoke")
    assert revoked["revoked_at"] is not None and revoked["open_sessions"] == 0
    answer = api.call("GET", "/api/v1/auth/me", token=token)
    assert answer.status_code == 401
    assert answer.json()["detail"] in {"登录已失效，请重新登录", "该设备已被停用，请联系系统管理员"}
    again = api.client.post(
        "/api/v1/auth/login", json={"username": username, "password": "Counter#2026", "device_id": device_id}
    )
    assert again.status_code == 403
    assert api.refused("POST", f"/api/v1/admin/devices/{device_id}/revoke", 409) == "该设备已停用"
    assert [d["id"] for d in api.ok("GET", "/api/v1/admin/devices", params={"revoked": "true"})] == [device_id]

    api.ok("POST", f"/api/v1/admin/devices/{device_id}/restore")
    assert api.refused("POST", f"/api/v1/admin/devices/{device_id}/restore", 409) == "该设备未停用"
    assert api.call("GET", "/api/v1/auth/me", token=api.login(username, device_id=device_id)).status_code == 200
    rows = api.audit_rows("device", device_id)
    assert [row.action for row in rows] == ["revoke", "restore"]
    assert rows[0].details["sessions_revoked"] == 1

    assert api.refused("POST", f"/api/v1/admin/devices/{api.device_id}/revoke", 400) == "不能停用当前正在使用的设备"
    assert api.refused("GET", f"/api/v1/admin/devices/{uuid.uuid4()}", 404) == "设备不存在"
    assert "device_id" in api.refused("POST", "/api/v1/admin/devices/bad%20id/revoke", 422)
