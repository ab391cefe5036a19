"""Creating the first administrator (`efangtong-server create-admin`)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from efangtong_core.models import OrgUnit, RoleGrant, User
from efangtong_core.vocabulary import BUREAU_NAME, OrgUnitKind, Role
from efangtong_server.auth.password_policy import check_password_policy
from efangtong_server.auth.passwords import hash_password


class AccountError(ValueError):
    """The account cannot be created; the message says why in Chinese."""


def bureau_unit(session: Session) -> OrgUnit:
    """The bureau's org unit, created when the database has none yet."""
    bureau = session.scalar(
        select(OrgUnit).where(OrgUnit.kind == OrgUnitKind.BUREAU, OrgUnit.deleted_at.is_(None)).limit(1)
    )
    if bureau is None:
        bureau = OrgUnit(name=BUREAU_NAME, short_name="信访局", kind=OrgUnitKind.BUREAU)
        session.add(bureau)
        session.flush()
    return bureau


def create_admin(session: Session, *, username: str, password: str, display_name: str = "系统管理员") -> User:
    """Create an administrator of the bureau; the password must meet the policy and need not be changed."""
    username = username.strip()
    if not username:
        raise AccountError("用户名不能为空")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise AccountError(f"用户名 {username} 已存在")
    check_password_policy(password, username=username)
    bureau = bureau_unit(session)
    user = User(
        username=username,
        display_name=display_name,
        password_hash=hash_password(password),
        must_change_password=False,
        org_unit_id=bureau.id,
    )
    session.add(user)
    session.flush()
    session.add(RoleGrant(user_id=user.id, role=Role.ADMIN, scope_unit_id=bureau.id))
    session.commit()
    return user
