"""Request and response bodies of the sign-in routes."""

from __future__ import annotations

from pydantic import BaseModel, Field


class LoginRequest(BaseModel):
    """Credentials and the device signing in."""

    username: str = Field(min_length=1, max_length=64, description="登录名")
    password: str = Field(min_length=1, max_length=128, description="密码")
    device_id: str = Field(min_length=1, max_length=36, pattern=r"^[A-Za-z0-9-]+$", description="设备标识")
    device_name: str | None = Field(default=None, max_length=100, description="设备名称（首次登录时登记）")


class RefreshRequest(BaseModel):
    """A refresh token to exchange for a new pair."""

    refresh_token: str = Field(min_length=16, max_length=128)


class ChangePasswordRequest(BaseModel):
    """The current password and the new one."""

    old_password: str = Field(min_length=1, max_length=128)
    new_password: str = Field(min_length=1, max_length=128)


class SignedInUser(BaseModel):
    """Who signed in."""

    id: str
    username: str
    display_name: str
    org_unit_id: str
    org_unit_name: str
    roles: list[str]
    must_change_password: bool
    offline_login_days: int = Field(description="在线登录后可在本机离线登录的天数（系统参数 offline_login_days）")


class TokenPair(BaseModel):
    """The tokens of a sign-in: a short-lived access token and a single-use refresh token."""

    access_token: str
    refresh_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="访问令牌有效秒数")
    user: SignedInUser
