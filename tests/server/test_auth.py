"""Sign-in: credentials, lockout, token rotation and revocation, forced password change — on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from efangtong_core.models import AuditLog, Device, LoginAttempt, User
from efangtong_core.vocabulary import Role
from efangtong_server.auth import service
from efangtong_server.auth.tokens import AccessClaims, issue_access_token
from efangtong_server.settings import Settings
from tests.server.conftest import PASSWORD, TEST_SECRET, ServerUnderTest


def _me(server: ServerUnderTest, token: object) -> int:
    return server.client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code


def test_login_returns_tokens_and_the_user(server: ServerUnderTest) -> None:
    username = server.user(Role.HANDLER, unit="乌兰木伦镇")
    body = server.login(username)
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 15 * 60
    user = body["user"]
    assert isinstance(user, dict)
    assert user["roles"] == ["handler"]
    assert user["org_unit_name"] == "乌兰木伦镇"
    me = server.client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json()["username"] == username
    with server.sessions() as session:
        assert session.scalar(select(AuditLog.action).where(AuditLog.username == username)) == "login"


@pytest.mark.parametrize("username", ["known", "nobody-here"])
def test_wrong_credentials_answer_401_in_chinese_without_saying_which(server: ServerUnderTest, username: str) -> None:
    name = server.user(Role.CLERK) if username == "known" else username
    answer = server.client.post(
        "/api/v1/auth/login", json={"username": name, "password": "wrong", "device_id": str(uuid.uuid4())}
    )
    assert answer.status_code == 401
    assert answer.json() == {"detail": "用户名或密码错误"}


def test_five_failures_lock_the_account_for_fifteen_minutes(server: ServerUnderTest) -> None:
    username = server.user(Role.CLERK)
    device = str(uuid.uuid4())
    bad = {"username": username, "password": "wrong", "device_id": device}
    statuses = [server.client.post("/api/v1/auth/login", json=bad).status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 401, 423]
    locked = server.client.post(
        "/api/v1/auth/login", json={"username": username, "password": PASSWORD, "device_id": device}
    )
    assert locked.status_code == 423
    assert "账号已锁定至" in locked.json()["detail"]
    assert 14 * 60 < int(locked.headers["Retry-After"]) <= 15 * 60
    with server.sessions() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None and user.locked_until is not None
        settings = Settings(database_url="sqlite://", secret_key=TEST_SECRET)
        later = user.locked_until + timedelta(seconds=1)
        pair = service.login(
            session,
            username=username,
            password=PASSWORD,
            device_id=device,
            device_name=None,
            ip=None,
            settings=settings,
            now=later,
        )
        assert pair.user.username == username


def test_failures_spread_beyond_the_window_do_not_lock(server: ServerUnderTest) -> None:
    username = server.user(Role.CLERK)
    settings = Settings(database_url="sqlite://", secret_key=TEST_SECRET)
    start = datetime.now(UTC)
    with server.sessions() as session:
        for minute in range(0, 80, 16):  # five failures, each 16 minutes after the last
            with pytest.raises(service.AuthError) as failure:
                service.login(
                    session,
                    username=username,
                    password="wrong",
                    device_id="d1",
                    device_name=None,
                    ip=None,
                    settings=settings,
                    now=start + timedelta(minutes=minute),
                )
            assert failure.value.status == 401
        attempts = session.scalars(select(LoginAttempt.reason).where(LoginAttempt.username == username)).all()
    assert attempts == ["credentials"] * 5


def test_refresh_rotates_and_a_reused_refresh_token_ends_the_session(server: ServerUnderTest) -> None:
    first = server.login(server.user(Role.DISPATCHER))
    second = server.client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    assert second.json()["refresh_token"] != first["refresh_token"]
    assert _me(server, second.json()["access_token"]) == 200
    replay = server.client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert replay.status_code == 401
    assert "已注销该会话" in replay.json()["detail"]
    assert _me(server, second.json()["access_token"]) == 401
    third = server.client.post("/api/v1/auth/refresh", json={"refresh_token": second.json()["refresh_token"]})
    assert third.status_code == 401


def test_logout_revokes_the_session(server: ServerUnderTest) -> None:
    body = server.login(server.user(Role.LEADER))
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    assert server.client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert _me(server, body["access_token"]) == 401
    assert server.client.post("/api/v1/auth/refresh", json={"refresh_token": body["refresh_token"]}).status_code == 401


def test_missing_forged_and_expired_tokens_are_401(server: ServerUnderTest) -> None:
    body = server.login(server.user(Role.CLERK))
    assert server.client.get("/api/v1/auth/me").status_code == 401
    assert _me(server, "not-a-token") == 401
    user = body["user"]
    assert isinstance(user, dict)
    forged = issue_access_token(
        AccessClaims(
            user_id=user["id"],
            session_id=str(uuid.uuid4()),
            device_id="",
            expires_at=datetime.now(UTC) + timedelta(hours=1),
        ),
        secret="someone-else",
    )
    assert _me(server, forged) == 401
    with server.sessions() as session:
        sid = session.scalars(select(AuditLog.entity_id).where(AuditLog.user_id == user["id"])).first()
    expired = issue_access_token(
        AccessClaims(
            user_id=user["id"], session_id=str(sid), device_id="", expires_at=datetime.now(UTC) - timedelta(seconds=1)
        ),
        secret=TEST_SECRET,
    )
    answer = server.client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {expired}"})
    assert answer.status_code == 401
    assert answer.json() == {"detail": "登录已过期，请重新登录"}


def test_disabled_user_and_revoked_device_lose_access_at_once(server: ServerUnderTest) -> None:
    username = server.user(Role.HANDLER, unit="札萨克镇")
    device_id = str(uuid.uuid4())
    body = server.login(username, device_id=device_id)
    with server.sessions() as session:
        device = session.get(Device, device_id)
        assert device is not None
        device.revoked_at = datetime.now(UTC)
        session.commit()
    assert _me(server, body["access_token"]) == 401
    refused = server.client.post(
        "/api/v1/auth/login", json={"username": username, "password": PASSWORD, "device_id": device_id}
    )
    assert refused.status_code == 403
    assert refused.json() == {"detail": "该设备已被停用，请联系系统管理员"}
    other = server.login(username)
    with server.sessions() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        user.disabled = True
        session.commit()
    assert _me(server, other["access_token"]) == 401


def test_initial_password_must_be_changed_and_meet_the_policy(server: ServerUnderTest) -> None:
    username = server.user(Role.ADMIN, must_change_password=True)
    headers = server.headers(username)
    forced = server.client.get("/api/v1/audit", headers=headers)
    assert forced.status_code in (403, 404)  # 404 until the audit route exists; 403 once it does
    weak = server.client.post(
        "/api/v1/auth/password", headers=headers, json={"old_password": PASSWORD, "new_password": "abc"}
    )
    assert weak.status_code == 400
    assert weak.json() == {"detail": "密码长度至少 8 位"}
    wrong_old = server.client.post(
        "/api/v1/auth/password", headers=headers, json={"old_password": "nope", "new_password": "Better#Pass9"}
    )
    assert wrong_old.json() == {"detail": "原密码不正确"}
    changed = server.client.post(
        "/api/v1/auth/password", headers=headers, json={"old_password": PASSWORD, "new_password": "Better#Pass9"}
    )
    assert changed.status_code == 204
    assert server.client.get("/api/v1/auth/me", headers=headers).json()["must_change_password"] is False
    server.login(username, "Better#Pass9")


def test_login_input_is_validated_in_chinese(server: ServerUnderTest) -> None:
    answer = server.client.post("/api/v1/auth/login", json={"username": "", "password": "x", "device_id": "a b"})
    assert answer.status_code == 422
    assert "username：内容过短" in answer.json()["detail"]
    assert "device_id" in answer.json()["detail"]


@pytest.mark.parametrize("bad", ["a\x00b", "a\udabdb", "tab\x07"])
def test_text_no_database_can_store_is_refused_everywhere(server: ServerUnderTest, bad: str) -> None:
    body = f'{{"username": {json.dumps(bad)}, "password": "x", "device_id": "d"}}'
    answer = server.client.post("/api/v1/auth/login", content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 422
    assert answer.json()["detail"] == "提交的内容包含不允许的控制字符或无效字符"
    if bad.isascii():  # a lone surrogate cannot even be sent in a URL
        assert server.client.get("/api/v1/health", params={"x": bad}).status_code == 422
    with server.sessions() as session:
        assert session.scalar(select(func.count()).select_from(LoginAttempt)) == 0
