"""User routes under /api/v1/admin/users: accounts, disabling, password reset, role grants."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, status
from sqlalchemy.orm import Session

from efangtong_core.models import RoleGrant, User
from efangtong_core.vocabulary import Role
from efangtong_server.access.dependencies import AdminAccess
from efangtong_server.admin.common import AdminRoute, actor_of
from efangtong_server.admin.fields import ID_PATTERN, SINGLE_LINE, IdPath
from efangtong_server.admin.users import service
from efangtong_server.admin.users.schemas import (
    GrantCreate,
    GrantOut,
    PasswordReset,
    UserCreate,
    UserOut,
    UserUpdate,
)
from efangtong_server.database import DbSession

router = APIRouter(prefix="/api/v1/admin/users", tags=["系统设置：用户与授权"], route_class=AdminRoute)


def _grant_out(grant: RoleGrant) -> GrantOut:
    label = Role.from_code(grant.role).label if Role.has_code(grant.role) else grant.role
    return GrantOut(
        id=grant.id,
        role=grant.role,
        role_label=label,
        scope_unit_id=grant.scope_unit_id,
        scope_unit_name=grant.scope_unit.name,
        granted_by_id=grant.granted_by_id,
        created_at=grant.created_at,
    )


def _user_out(user: User, grants: list[RoleGrant]) -> UserOut:
    return UserOut(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        phone=user.phone,
        org_unit_id=user.org_unit_id,
        org_unit_name=user.org_unit.name,
        disabled=user.disabled,
        must_change_password=user.must_change_password,
        locked_until=user.locked_until,
        last_login_at=user.last_login_at,
        created_at=user.created_at,
        grants=[_grant_out(grant) for grant in grants],
    )


def _one(session: Session, user: User) -> UserOut:
    return _user_out(user, service.active_grants(session, user_ids=[user.id])[user.id])


@router.get("", summary="用户列表")
def list_users(
    access: AdminAccess,
    session: DbSession,
    org_unit_id: Annotated[str | None, Query(pattern=ID_PATTERN, description="所属单位")] = None,
    role: Annotated[Role | None, Query(description="持有的角色")] = None,
    disabled: Annotated[bool | None, Query(description="是否已停用")] = None,
    q: Annotated[str | None, Query(max_length=50, pattern=SINGLE_LINE, description="登录名、姓名或电话包含")] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[UserOut]:
    """Users matching the filters, by username, with their grants."""
    users = service.list_users(
        session,
        org_unit_id=org_unit_id,
        role=role.value if role else None,
        disabled=disabled,
        text=q.strip() if q else None,
        offset=offset,
        limit=limit,
    )
    grants = service.active_grants(session, user_ids=[user.id for user in users])
    return [_user_out(user, grants[user.id]) for user in users]


@router.get("/{user_id}", summary="用户详情")
def get_user(user_id: IdPath, access: AdminAccess, session: DbSession) -> UserOut:
    """One user with their role grants."""
    return _one(session, service.get_user(session, user_id=user_id))


@router.post("", status_code=status.HTTP_201_CREATED, summary="新增用户")
def create_user(body: UserCreate, request: Request, access: AdminAccess, session: DbSession) -> UserOut:
    """Create a user with an initial password they must change at first sign-in."""
    user = service.create_user(session, actor=actor_of(access, request), values=body.model_dump())
    return _one(session, user)


@router.patch("/{user_id}", summary="修改用户")
def update_user(
    user_id: IdPath, body: UserUpdate, request: Request, access: AdminAccess, session: DbSession
) -> UserOut:
    """Change a user's display name, phone or org unit."""
    values = body.model_dump(exclude_unset=True)
    user = service.update_user(session, actor=actor_of(access, request), user_id=user_id, values=values)
    return _one(session, user)


@router.post("/{user_id}/disable", summary="停用用户")
def disable_user(user_id: IdPath, request: Request, access: AdminAccess, session: DbSession) -> UserOut:
    """Disable a user; every session of theirs ends at once."""
    user = service.set_user_disabled(session, actor=actor_of(access, request), user_id=user_id, disabled=True)
    return _one(session, user)


@router.post("/{user_id}/enable", summary="启用用户")
def enable_user(user_id: IdPath, request: Request, access: AdminAccess, session: DbSession) -> UserOut:
    """Enable a disabled user again."""
    user = service.set_user_disabled(session, actor=actor_of(access, request), user_id=user_id, disabled=False)
    return _one(session, user)


@router.post("/{user_id}/password", summary="重置密码")
def reset_password(
    user_id: IdPath, body: PasswordReset, request: Request, access: AdminAccess, session: DbSession
) -> UserOut:
    """Set a new initial password the user must change; their sessions end."""
    actor = actor_of(access, request)
    user = service.reset_password(session, actor=actor, user_id=user_id, password=body.password)
    return _one(session, user)


@router.post("/{user_id}/grants", status_code=status.HTTP_201_CREATED, summary="授予角色")
def grant_role(
    user_id: IdPath, body: GrantCreate, request: Request, access: AdminAccess, session: DbSession
) -> GrantOut:
    """Grant a role to the user within an org unit's scope."""
    grant = service.grant_role(
        session,
        actor=actor_of(access, request),
        user_id=user_id,
        role=body.role.value,
        scope_unit_id=body.scope_unit_id,
    )
    return _grant_out(grant)


@router.delete("/{user_id}/grants/{grant_id}", summary="撤销授权")
def revoke_grant(
    user_id: IdPath, grant_id: IdPath, request: Request, access: AdminAccess, session: DbSession
) -> GrantOut:
    """Revoke one of the user's role grants."""
    grant = service.revoke_grant(session, actor=actor_of(access, request), user_id=user_id, grant_id=grant_id)
    return _grant_out(grant)
