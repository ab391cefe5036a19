"""Sign-in routes: login, refresh, logout, who am I, change password."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, status

from efangtong_core.models import User
from efangtong_core.models.auth import AuthSession
from efangtong_server.access.dependencies import AppSettings, CurrentPrincipal
from efangtong_server.audit.service import Actor
from efangtong_server.auth import service
from efangtong_server.auth.schemas import (
    ChangePasswordRequest,
    LoginRequest,
    RefreshRequest,
    SignedInUser,
    TokenPair,
)
from efangtong_server.database import DbSession, ReadSession

router = APIRouter(prefix="/api/v1/auth", tags=["登录"])


def client_ip(request: Request) -> str | None:
    """The address the request came from."""
    return request.client.host if request.client else None


def _http_error(error: service.AuthError) -> HTTPException:
    return HTTPException(error.status, error.message, headers=error.headers)


@router.post("/login", summary="登录")
def login(
    body: LoginRequest, request: Request, session: DbSession, read_session: ReadSession, settings: AppSettings
) -> TokenPair:
    """Sign in with username and password on a device."""
    try:
        return service.login(
            session,
            username=body.username,
            password=body.password,
            device_id=body.device_id,
            device_name=body.device_name,
            ip=client_ip(request),
            settings=settings,
            read_session=read_session,
        )
    except service.AuthError as error:
        raise _http_error(error) from error


@router.post("/refresh", summary="刷新令牌")
def refresh(body: RefreshRequest, session: DbSession, settings: AppSettings) -> TokenPair:
    """Exchange a refresh token for a new token pair (the old refresh token stops working)."""
    try:
        return service.refresh(session, refresh_token=body.refresh_token, settings=settings)
    except service.AuthError as error:
        raise _http_error(error) from error


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, summary="退出登录")
def logout(principal: CurrentPrincipal, session: DbSession) -> None:
    """End the current session; its tokens stop working."""
    current = session.get(AuthSession, principal.session_id)
    service.revoke_sessions(session, [current] if current else [], reason="退出登录")
    session.commit()


@router.get("/me", summary="当前用户")
def me(principal: CurrentPrincipal, session: DbSession) -> SignedInUser:
    """The signed-in user, their unit and roles."""
    user = session.get(User, principal.user_id)
    assert user is not None  # the access dependency loaded this user in the same request
    return service.signed_in_user(session, user)


@router.post("/password", status_code=status.HTTP_204_NO_CONTENT, summary="修改密码")
def change_password(
    body: ChangePasswordRequest, request: Request, principal: CurrentPrincipal, session: DbSession
) -> None:
    """Change the signed-in user's password (required after an initial password)."""
    actor = Actor(
        user_id=principal.user_id, username=principal.username, device_id=principal.device_id, ip=client_ip(request)
    )
    try:
        service.change_password(
            session,
            actor=actor,
            old_password=body.old_password,
            new_password=body.new_password,
            keep_session=principal.session_id,
        )
    except service.AuthError as error:
        raise _http_error(error) from error
