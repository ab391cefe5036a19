"""User administration: accounts, the password policy, disabling (tokens stop at once), resets and role grants."""

from __future__ import annotations

from sqlalchemy import select

from efangtong_core.models import RoleGrant, User
from efangtong_core.vocabulary import Role
from tests.server.admin.conftest import ADMIN_PASSWORD, AdminApi

NEW_PASSWORD = "Initial#2026x"


def _me(api: AdminApi, token: str) -> int:
    return api.call("GET", "/api/v1/auth/me", token=token).status_code


def test_create_update_and_list_users(api: AdminApi) -> None:
    town = api.town("乌兰木伦镇")
    body = {"username": "zhangsan", "display_name": "张三", "org_unit_id": town, "password": "short"}
    assert api.refused("POST", "/api/v1/admin/users", 400, json=body) == "密码长度至少 8 位"
    body["password"] = "zhangsan#2026X"
    assert api.refused("POST", "/api/v1/admin/users", 400, json=body) == "密码不能包含用户名"
    body["password"] = NEW_PASSWORD
    created = api.ok("POST", "/api/v1/admin/users", 201, json=body | {"phone": "13800000000"})
    assert created["must_change_password"] is True and created["org_unit_name"] == "乌兰木伦镇"
    assert "password_hash" not in created and NEW_PASSWORD not in str(created) and created["grants"] == []
    assert (
        api.refused("POST", "/api/v1/admin/users", 409, json=body | {"username": "ZhangSan"})
        == "登录名 ZhangSan 已存在"
    )
    assert "username" in api.refused("POST", "/api/v1/admin/users", 422, json=body | {"username": "张三"})
    assert "phone" in api.refused("POST", "/api/v1/admin/users", 422, json=body | {"username": "lisi", "phone": "abc"})
    detail = api.refused("POST", "/api/v1/admin/users", 400, json=body | {"username": "lisi", "org_unit_id": "nope"})
    assert detail == "所属单位不存在"

    user_id = created["id"]
    changed = api.ok("PATCH", f"/api/v1/admin/users/{user_id}", json={"display_name": "张三丰", "phone": None})
    assert changed["display_name"] == "张三丰" and changed["phone"] is None
    assert api.refused("PATCH", f"/api/v1/admin/users/{user_id}", 422, json={"password": "x"})
    rows = api.audit_rows("user_account", user_id)
    assert [row.action for row in rows] == ["create", "update"]
    assert rows[1].details == {
        "display_name": {"old": "张三", "new": "张三丰"},
        "phone": {"old": "13800000000", "new": None},
    }
    assert all(NEW_PASSWORD not in str(row.details) and "password_hash" not in row.details for row in rows)

    api.user(Role.HANDLER, town)
    by_unit = api.ok("GET", "/api/v1/admin/users", params={"org_unit_id": town})
    assert {user["username"] for user in by_unit} == {"zhangsan", "handler1"}
    by_role = api.ok("GET", "/api/v1/admin/users", params={"role": "handler"})
    assert [user["username"] for user in by_role] == ["handler1"]
    assert by_role[0]["grants"][0]["role_label"] == "承办员"
    assert [u["username"] for u in api.ok("GET", "/api/v1/admin/users", params={"q": "张三"})] == ["zhangsan"]
    assert api.ok("GET", "/api/v1/admin/users", params={"q": "%"}) == []
    assert api.ok("GET", "/api/v1/admin/users", params={"disabled": "true"}) == []
    assert "limit" in api.refused("GET", "/api/v1/admin/users", 422, params={"limit": 501})
    assert api.refused("GET", "/api/v1/admin/users/no-such-user", 404) == "用户不存在"


def test_disabling_a_user_ends_their_sessions_at_once(api: AdminApi) -> None:
    username, user_id = api.user(Role.CLERK)
    token = api.login(username)
    assert _me(api, token) == 200
    assert api.ok("POST", f"/api/v1/admin/users/{user_id}/disable")["disabled"] is True
    answer = api.call("GET", "/api/v1/auth/me", token=token)
    assert answer.status_code == 401
    assert answer.json()["detail"] in {"登录已失效，请重新登录", "账号已停用"}
    assert api.refused("POST", f"/api/v1/admin/users/{user_id}/disable", 409) == "该账号已停用"
    rows = api.audit_rows("user_account", user_id)
    assert rows[-1].action == "disable"
    assert rows[-1].details == {"disabled": {"old": False, "new": True}, "sessions_revoked": 1}
    assert api.refused("POST", f"/api/v1/admin/users/{api.admin_id}/disable", 400) == "不能停用自己的账号"
    api.ok("POST", f"/api/v1/admin/users/{user_id}/enable")
    assert _me(api, api.login(username)) == 200


def test_reset_password_forces_a_change_and_ends_sessions(api: AdminApi) -> None:
    username, user_id = api.user(Role.HANDLER)
    token = api.login(username)
    assert api.refused("POST", f"/api/v1/admin/users/{user_id}/password", 400, json={"password": "abcdefgh"}) == (
        "密码须包含大写字母、小写字母、数字、符号中的至少三类"
    )
    reset = api.ok("POST", f"/api/v1/admin/users/{user_id}/password", json={"password": NEW_PASSWORD})
    assert reset["must_change_password"] is True
    assert _me(api, token) == 401
    fresh = api.login(username, NEW_PASSWORD)
    assert api.call("GET", "/api/v1/reference/org-units", token=fresh).json() == {"detail": "请先修改初始密码"}
    detail = api.refused("POST", f"/api/v1/admin/users/{api.admin_id}/password", 400, json={"password": NEW_PASSWORD})
    assert detail == "不能重置自己的密码，请使用“修改密码”"
    assert api.audit_rows("user_account", user_id)[-1].action == "reset_password"


def test_role_grants(api: AdminApi) -> None:
    town = api.town("札萨克镇")
    username, user_id = api.user(Role.CLERK)
    token = api.login(username)
    assert api.call("GET", "/api/v1/admin/users", token=token).status_code == 403
    grant = api.ok(
        "POST", f"/api/v1/admin/users/{user_id}/grants", 201, json={"role": "admin", "scope_unit_id": api.bureau_id}
    )
    assert grant["role_label"] == "系统管理员" and grant["scope_unit_name"] == "伊金霍洛旗信访局"
    assert api.call("GET", "/api/v1/admin/users", token=token).status_code == 200  # no restart, no new sign-in
    detail = api.refused(
        "POST", f"/api/v1/admin/users/{user_id}/grants", 409, json={"role": "admin", "scope_unit_id": api.bureau_id}
    )
    assert detail == "该用户已在「伊金霍洛旗信访局」范围内拥有“系统管理员”角色"
    assert "role" in api.refused(
        "POST", f"/api/v1/admin/users/{user_id}/grants", 422, json={"role": "boss", "scope_unit_id": town}
    )
    api.ok("POST", f"/api/v1/admin/users/{user_id}/grants", 201, json={"role": "handler", "scope_unit_id": town})
    assert len(api.ok("GET", f"/api/v1/admin/users/{user_id}")["grants"]) == 3

    api.ok("DELETE", f"/api/v1/admin/users/{user_id}/grants/{grant['id']}")
    assert api.call("GET", "/api/v1/admin/users", token=token).status_code == 403
    assert api.refused("DELETE", f"/api/v1/admin/users/{user_id}/grants/{grant['id']}", 404) == "授权不存在"
    with api.sessions() as session:
        row = session.get(RoleGrant, grant["id"])
        assert row is not None and row.deleted_at is not None  # tombstone, not a hard delete
    actions = [row.action for row in api.audit_rows("role_grant", grant["id"])]
    assert actions == ["grant", "revoke"]

    with api.sessions() as session:
        own = session.scalar(select(RoleGrant.id).where(RoleGrant.user_id == api.admin_id))
    detail = api.refused("DELETE", f"/api/v1/admin/users/{api.admin_id}/grants/{own}", 400)
    assert detail == "不能撤销自己最后一个系统管理员授权"
    second = api.ok(
        "POST", f"/api/v1/admin/users/{api.admin_id}/grants", 201, json={"role": "admin", "scope_unit_id": town}
    )
    api.ok("DELETE", f"/api/v1/admin/users/{api.admin_id}/grants/{own}")
    assert api.refused("DELETE", f"/api/v1/admin/users/{api.admin_id}/grants/{second['id']}", 400)
    with api.sessions() as session:
        admin = session.get(User, api.admin_id)
        assert admin is not None and not admin.disabled
    assert ADMIN_PASSWORD
