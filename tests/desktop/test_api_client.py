"""The API client against a real server on loopback: sign-in, errors in Chinese, refresh-and-retry, logout."""

from __future__ import annotations

import uuid

import pytest

from efangtong_desktop.services.api_client import ApiClient, ApiError, normalise_server_url
from efangtong_desktop.services.token_store import MemoryTokenStore
from tests.desktop.live_server import ADMIN, ADMIN_PASSWORD, LiveServer, live_server
from tests.support.server import free_loopback_port

__all__ = ["live_server"]


def new_client(server: LiveServer, store: MemoryTokenStore | None = None) -> ApiClient:
    return ApiClient(server.url, store or MemoryTokenStore())


def sign_in(client: ApiClient, username: str = ADMIN, password: str = ADMIN_PASSWORD) -> None:
    client.login(username, password, device_id=str(uuid.uuid4()), device_name="pytest")


def test_health_and_login(live_server: LiveServer) -> None:
    client = new_client(live_server)
    assert client.health()["status"] == "ok"
    store = MemoryTokenStore()
    client = new_client(live_server, store)
    sign_in(client)
    assert client.user is not None
    assert client.user.username == ADMIN
    assert client.user.has_role("admin")
    assert client.user.org_unit_name == "伊金霍洛旗信访局"
    assert store.load(live_server.url, ADMIN), "the refresh token goes to the store"
    assert client.me().display_name == "系统管理员"


def test_wrong_password_carries_the_servers_chinese_message(live_server: LiveServer) -> None:
    with pytest.raises(ApiError) as caught:
        sign_in(new_client(live_server), password="Wrong#pass1")
    assert caught.value.status == 401
    assert "用户名或密码错误" in caught.value.message


def test_server_down_says_it_cannot_connect(live_server: LiveServer) -> None:
    client = ApiClient(f"http://127.0.0.1:{free_loopback_port()}", MemoryTokenStore(), timeout=(2.0, 2.0))
    with pytest.raises(ApiError) as caught:
        client.health()
    assert caught.value.unreachable
    assert caught.value.message.startswith("无法连接服务器")


def test_a_401_is_refreshed_once_and_retried(live_server: LiveServer) -> None:
    store = MemoryTokenStore()
    client = new_client(live_server, store)
    sign_in(client)
    first_refresh = store.load(live_server.url, ADMIN)
    client._access_token = "not-a-valid-token"  # as if it had expired
    assert client.me().username == ADMIN
    second_refresh = store.load(live_server.url, ADMIN)
    assert second_refresh and second_refresh != first_refresh, "the refresh token rotated"


def test_logout_ends_the_session_and_forgets_the_token(live_server: LiveServer) -> None:
    store = MemoryTokenStore()
    client = new_client(live_server, store)
    sign_in(client)
    client.logout()
    assert store.load(live_server.url, ADMIN) is None
    assert not client.signed_in
    with pytest.raises(ApiError) as caught:
        client.me()
    assert caught.value.status == 401


def test_validation_errors_are_chinese(live_server: LiveServer) -> None:
    client = new_client(live_server)
    sign_in(client)
    with pytest.raises(ApiError) as caught:
        client.post("/admin/users", {"username": "x"})
    assert caught.value.status == 422
    assert "缺少必填项" in caught.value.message


def test_normalise_server_url() -> None:
    assert normalise_server_url(" 10.0.0.5:8000/ ") == "http://10.0.0.5:8000"
    assert normalise_server_url("https://eft.example/api/v1") == "https://eft.example"
    for bad in ("", "ftp://x", "http://", "http://host:port", "a b"):
        with pytest.raises(ValueError):
            normalise_server_url(bad)
