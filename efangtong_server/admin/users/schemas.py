"""Request and response bodies of the user and role-grant routes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from efangtong_core.vocabulary import Role
from efangtong_server.admin.fields import RowId, line

Username = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.@-]{1,63}$")]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9][0-9-]{4,19}$")]
Password = Annotated[str, Field(min_length=1, max_length=128, description="初始密码（须符合密码策略）")]


class UserCreate(BaseModel):
    """A new user account; the initial password must be changed at first sign-in."""

    model_config = ConfigDict(extra="forbid")

    username: Username = Field(description="登录名（字母或数字开头，2–64 位字母、数字、_.@-）")
    display_name: Annotated[str, line(50)] = Field(description="姓名")
    phone: Phone | None = Field(default=None, description="手机号")
    org_unit_id: RowId = Field(description="所属单位")
    password: Password


class UserUpdate(BaseModel):
    """Changes to a user; only the fields sent are changed (send null to clear the phone)."""

    model_config = ConfigDict(extra="forbid")

    display_name: Annotated[str, line(50)] | None = None
    phone: Phone | None = None
    org_unit_id: RowId | None = None


class PasswordReset(BaseModel):
    """A new initial password for a user."""

    model_config = ConfigDict(extra="forbid")

    password: Password


class GrantCreate(BaseModel):
    """A role to grant within an org unit's scope."""

    model_config = ConfigDict(extra="forbid")

    role: Role = Field(description="角色代码")
    scope_unit_id: RowId = Field(description="授权范围（单位）")


class GrantOut(BaseModel):
    """A role grant of a user."""

    id: str
    role: str
    role_label: str
    scope_unit_id: str
    scope_unit_name: str
    granted_by_id: str | None
    created_at: datetime


class UserOut(BaseModel):
    """A user account as the administrator sees it (never the password hash)."""

    id: str
    username: str
    display_name: str
    phone: str | None
    org_unit_id: str
    org_unit_name: str
    disabled: bool
    must_change_password: bool
    locked_until: datetime | None
    last_login_at: datetime | None
    created_at: datetime
    grants: list[GrantOut]
