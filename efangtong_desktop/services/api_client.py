"""A typed HTTP client for the central server's JSON API, over one `requests.Session`.

The access token stays in memory; the refresh token goes to a token store (the OS keyring). A request answered
401 is retried once after a refresh. Every failure is raised as `ApiError` with a Chinese message: the server's
own `detail`, or a sentence about the connection. Tokens and passwords are never logged.

The client is called from worker threads (see `efangtong_desktop.tasks`); the refresh is serialised by a lock
because refresh tokens are single-use: two threads refreshing with the same token would end the session.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests

from efangtong_desktop import texts
from efangtong_desktop.services.token_store import RefreshTokenStore

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = (5.0, 30.0)  # (connect, read) seconds
API_PREFIX = "/api/v1"
_NO_REFRESH_PATHS = frozenset({"/auth/login", "/auth/refresh"})


class ApiError(Exception):
    """A failed call: the HTTP status (None when the server was not reached) and a Chinese message."""

    def __init__(self, status: int | None, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message

    @property
    def unreachable(self) -> bool:
        """True when the server could not be reached at all (offline, wrong address, timeout, TLS)."""
        return self.status is None


DEFAULT_OFFLINE_LOGIN_DAYS = 7
"""The server's default of `offline_login_days`, for a server that does not say."""


@dataclass(frozen=True)
class SignedInUser:
    """Who is signed in, as the server describes them."""

    id: str
    username: str
    display_name: str
    org_unit_id: str
    org_unit_name: str
    roles: tuple[str, ...]
    must_change_password: bool
    offline_login_days: int = DEFAULT_OFFLINE_LOGIN_DAYS
    """Days after this online sign-in during which the user may sign in offline on this PC (the administrator sets)."""

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SignedInUser:
        """Build from the server's `user` object."""
        return cls(
            id=str(data["id"]),
            username=str(data["username"]),
            display_name=str(data["display_name"]),
            org_unit_id=str(data["org_unit_id"]),
            org_unit_name=str(data.get("org_unit_name") or ""),
            roles=tuple(str(role) for role in data.get("roles", ())),
            must_change_password=bool(data.get("must_change_password", False)),
            offline_login_days=int(data.get("offline_login_days", DEFAULT_OFFLINE_LOGIN_DAYS)),
        )

    def has_role(self, role: str) -> bool:
        """True when the user holds `role` (a vocabulary.Role code) in some scope."""
        return role in self.roles


def normalise_server_url(text: str) -> str:
    """A server address as typed ("10.0.0.5:8000", "https://x/") made into a base URL; ValueError when empty."""
    typed = text.strip()
    if not typed:
        raise ValueError(texts.SERVER_URL_EMPTY)
    url = typed if "://" in typed else f"http://{typed}"
    parts = urlsplit(url)
    try:
        valid = parts.scheme.lower() in ("http", "https") and bool(parts.hostname) and (parts.port or 1) > 0
    except ValueError:  # a port that is not a number
        valid = False
    if not valid or parts.query or parts.fragment or any(c.isspace() for c in url):
        raise ValueError(texts.SERVER_URL_BAD.format(url=typed))
    path = parts.path.rstrip("/")
    if path.endswith(API_PREFIX):
        path = path[: -len(API_PREFIX)]
    return f"{parts.scheme.lower()}://{parts.netloc}{path}"


def _error_from_response(response: requests.Response) -> ApiError:
    detail: object = None
    try:
        body = response.json()
        detail = body.get("detail") if isinstance(body, dict) else None
    except ValueError:
        pass
    if isinstance(detail, str) and detail:
        return ApiError(response.status_code, detail)
    return ApiError(response.status_code, texts.API_HTTP_ERROR.format(status=response.status_code))


def _error_from_exception(error: requests.RequestException, base_url: str) -> ApiError:
    if isinstance(error, requests.exceptions.SSLError):
        return ApiError(None, texts.API_TLS_ERROR.format(url=base_url))
    if isinstance(error, requests.exceptions.ConnectTimeout | requests.exceptions.ReadTimeout):
        return ApiError(None, texts.API_TIMEOUT.format(url=base_url))
    if isinstance(error, requests.exceptions.ConnectionError):
        return ApiError(None, texts.API_UNREACHABLE.format(url=base_url))
    return ApiError(None, texts.API_REQUEST_FAILED.format(url=base_url))


class ApiClient:
    """The central server's API for one base URL and (after `login`) one signed-in user."""

    def __init__(
        self,
        base_url: str,
        token_store: RefreshTokenStore,
        *,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = normalise_server_url(base_url)
        self.token_store = token_store
        self.timeout = timeout
        self._http = session or requests.Session()
        self._http.headers.update({"Accept": "application/json", "User-Agent": "efangtong-desktop"})
        self._access_token: str | None = None
        self._username: str | None = None
        self._refresh_lock = threading.Lock()
        self.user: SignedInUser | None = None

    # -- plumbing ---------------------------------------------------------------------------------------------------

    @property
    def signed_in(self) -> bool:
        """True while the client holds an access token."""
        return self._access_token is not None

    def auth_headers(self) -> dict[str, str]:
        """The Authorization header of the current access token (for transfers that do not go through `request`)."""
        return {"Authorization": f"Bearer {self._access_token}"} if self._access_token else {}

    def _send(self, method: str, path: str, *, json: Any, params: Mapping[str, Any] | None) -> requests.Response:
        headers = self.auth_headers()
        url = f"{self.base_url}{API_PREFIX}{path}"
        try:
            response = self._http.request(method, url, json=json, params=params, headers=headers, timeout=self.timeout)
        except requests.RequestException as error:
            log.info("%s %s failed: %s", method, path, type(error).__name__)
            raise _error_from_exception(error, self.base_url) from None
        log.debug("%s %s -> %s", method, path, response.status_code)
        return response

    def request(self, method: str, path: str, *, json: Any = None, params: Mapping[str, Any] | None = None) -> Any:
        """Call `path` (below /api/v1); the decoded JSON answer, None for an empty one; ApiError on failure."""
        used_token = self._access_token
        response = self._send(method, path, json=json, params=params)
        if response.status_code == 401 and self._username is not None and path not in _NO_REFRESH_PATHS:
            self._refresh_after_401(used_token)
            response = self._send(method, path, json=json, params=params)
        if not response.ok:
            raise _error_from_response(response)
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise ApiError(response.status_code, texts.API_BAD_ANSWER) from None

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        """GET `path` with query `params`."""
        return self.request("GET", path, params=params)

    def post(self, path: str, json: Any = None) -> Any:
        """POST a JSON body to `path`."""
        return self.request("POST", path, json=json)

    def patch(self, path: str, json: Any) -> Any:
        """PATCH `path` with a JSON body."""
        return self.request("PATCH", path, json=json)

    def put(self, path: str, json: Any) -> Any:
        """PUT a JSON body to `path`."""
        return self.request("PUT", path, json=json)

    def delete(self, path: str) -> Any:
        """DELETE `path`."""
        return self.request("DELETE", path)

    # -- tokens -----------------------------------------------------------------------------------------------------

    def _accept_pair(self, body: Any) -> SignedInUser:
        if not isinstance(body, dict) or "access_token" not in body or "refresh_token" not in body:
            raise ApiError(200, texts.API_BAD_ANSWER)
        user = SignedInUser.from_json(body["user"])
        self.token_store.save(self.base_url, user.username, str(body["refresh_token"]))
        self._access_token = str(body["access_token"])
        self._username = user.username
        self.user = user
        return user

    def _refresh_after_401(self, used_token: str | None) -> None:
        with self._refresh_lock:
            if self._access_token != used_token:
                return  # another thread refreshed while this request was out
            self.refresh()

    def resume(self, user: SignedInUser) -> None:
        """Act for `user`, signed in offline: a request the server refuses (401) uses their stored refresh token."""
        self._username = user.username
        self.user = user

    def refresh(self) -> SignedInUser:
        """Exchange the stored refresh token for a new pair; ApiError 401 when the session has ended."""
        if self._username is None:
            raise ApiError(401, texts.API_NOT_SIGNED_IN)
        token = self.token_store.load(self.base_url, self._username)
        if not token:
            self._access_token = None
            raise ApiError(401, texts.API_SESSION_ENDED)
        response = self._send("POST", "/auth/refresh", json={"refresh_token": token}, params=None)
        if not response.ok:
            error = _error_from_response(response)
            if response.status_code in (401, 403):
                self._access_token = None
                self.token_store.delete(self.base_url, self._username)
            raise error
        try:
            body = response.json()
        except ValueError:
            raise ApiError(response.status_code, texts.API_BAD_ANSWER) from None
        return self._accept_pair(body)

    # -- the sign-in routes -----------------------------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        """GET /health: the server's status, version and schema revision."""
        body = self.get("/health")
        if not isinstance(body, dict) or body.get("status") != "ok":
            raise ApiError(200, texts.API_NOT_EFANGTONG.format(url=self.base_url))
        return body

    def login(self, username: str, password: str, *, device_id: str, device_name: str) -> SignedInUser:
        """Sign in; keeps the access token, hands the refresh token to the store, returns the user."""
        body = self.post(
            "/auth/login",
            {"username": username, "password": password, "device_id": device_id, "device_name": device_name},
        )
        return self._accept_pair(body)

    def me(self) -> SignedInUser:
        """GET /auth/me: the signed-in user as the server sees them now."""
        self.user = SignedInUser.from_json(self.get("/auth/me"))
        return self.user

    def change_password(self, old_password: str, new_password: str) -> SignedInUser:
        """Change the signed-in user's password; returns the refreshed user (no longer forced to change)."""
        self.post("/auth/password", {"old_password": old_password, "new_password": new_password})
        return self.me()

    def logout(self) -> None:
        """End the session on the server (best effort) and forget both tokens."""
        try:
            if self._access_token is not None:
                self._send("POST", "/auth/logout", json=None, params=None)
        except ApiError:
            pass  # offline: the session expires on its own
        finally:
            if self._username is not None:
                self.token_store.delete(self.base_url, self._username)
            self._access_token = None
            self.user = None

    def close(self) -> None:
        """Close the pooled connections."""
        self._http.close()
