"""The one dependency that decides every route's access: bearer token → session → user → grants → permission."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.orm import Session

from efangtong_core.models import Device, OrgUnit, RoleGrant, User
from efangtong_core.models.auth import AuthSession
from efangtong_core.vocabulary import Role
from efangtong_server.access.permissions import Permission
from efangtong_server.access.principal import Access, Grant, Principal
from efangtong_server.access.scope import UnitNode
from efangtong_server.auth.tokens import InvalidToken, read_access_token
from efangtong_server.database import DbSession
from efangtong_server.settings import Settings

_bearer = HTTPBearer(auto_error=False, description="登录后获得的访问令牌")


def _unauthorized(message: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, message, headers={"WWW-Authenticate": "Bearer"})


def get_app_settings(request: Request) -> Settings:
    """The settings the application was built with."""
    settings: Settings = request.app.state.settings
    return settings


AppSettings = Annotated[Settings, Depends(get_app_settings)]


def load_units(session: Session) -> dict[str, UnitNode]:
    """The org tree as scope expansion needs it."""
    rows = session.execute(select(OrgUnit.id, OrgUnit.kind, OrgUnit.parent_id).where(OrgUnit.deleted_at.is_(None)))
    return {row.id: UnitNode(id=row.id, kind=row.kind, parent_id=row.parent_id) for row in rows}


def current_principal(
    session: DbSession,
    settings: AppSettings,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The signed-in user of this request; 401 with a Chinese reason when there is none."""
    if credentials is None:
        raise _unauthorized("请先登录")
    now = datetime.now(UTC)
    try:
        claims = read_access_token(credentials.credentials, secret=settings.token_secret(), now=now)
    except InvalidToken as error:
        raise _unauthorized(str(error)) from error
    auth_session = session.get(AuthSession, claims.session_id)
    if auth_session is None or auth_session.user_id != claims.user_id:
        raise _unauthorized("登录凭证无效，请重新登录")
    if auth_session.revoked_at is not None or auth_session.expires_at <= now:
        raise _unauthorized("登录已失效，请重新登录")
    user = session.get(User, claims.user_id)
    if user is None or user.disabled or user.deleted_at is not None:
        raise _unauthorized("账号已停用")
    device = session.get(Device, auth_session.device_id) if auth_session.device_id else None
    if device is not None and device.revoked_at is not None:
        raise _unauthorized("该设备已被停用，请联系系统管理员")
    grant_rows = session.scalars(select(RoleGrant).where(RoleGrant.user_id == user.id, RoleGrant.deleted_at.is_(None)))
    grants = tuple(
        Grant(role=Role.from_code(g.role), scope_unit_id=g.scope_unit_id) for g in grant_rows if Role.has_code(g.role)
    )
    return Principal(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        org_unit_id=user.org_unit_id,
        session_id=auth_session.id,
        device_id=auth_session.device_id,
        grants=grants,
        must_change_password=user.must_change_password,
    )


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


class Authorize:
    """Dependency factory: the route needs `permission`; answers 403 with a Chinese reason otherwise."""

    def __init__(self, permission: Permission) -> None:
        self.permission = permission

    def __call__(self, principal: CurrentPrincipal, session: DbSession) -> Access:
        """Check the principal holds the permission and compute their scope for it."""
        if principal.must_change_password:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "请先修改初始密码")
        if not principal.may(self.permission):
            raise HTTPException(status.HTTP_403_FORBIDDEN, "没有权限执行此操作")
        scope = principal.scope_for(self.permission, load_units(session))
        return Access(principal=principal, permission=self.permission, scope=scope)


AdminAccess = Annotated[Access, Depends(Authorize(Permission.ADMINISTER))]
AuditAccess = Annotated[Access, Depends(Authorize(Permission.READ_AUDIT))]
ReferenceAccess = Annotated[Access, Depends(Authorize(Permission.READ_REFERENCE))]
