"""User logic: accounts with policy-checked initial passwords, disabling (sessions end at once), role grants."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from efangtong_core.models import OrgUnit, RoleGrant, User
from efangtong_core.vocabulary import Role
from efangtong_server.admin.common import (
    Conflict,
    NotFound,
    Refused,
    apply_changes,
    audit,
    commit,
    create_audited,
    created_fields,
    refuse_nulls,
    update_audited,
)
from efangtong_server.audit.service import Actor
from efangtong_server.auth.password_policy import WeakPassword, check_password_policy
from efangtong_server.auth.passwords import hash_password
from efangtong_server.auth.service import open_sessions, revoke_sessions

USER_ENTITY = "user_account"
GRANT_ENTITY = "role_grant"
USER_FIELDS = ("username", "display_name", "phone", "org_unit_id", "must_change_password", "disabled")


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def list_users(
    session: Session,
    *,
    org_unit_id: str | None = None,
    role: str | None = None,
    disabled: bool | None = None,
    text: str | None = None,
    offset: int = 0,
    limit: int = 100,
) -> list[User]:
    """Users without a tombstone matching every given filter, by username."""
    query = select(User).where(User.deleted_at.is_(None))
    if org_unit_id is not None:
        query = query.where(User.org_unit_id == org_unit_id)
    if disabled is not None:
        query = query.where(User.disabled.is_(disabled))
    if role is not None:
        holders = select(RoleGrant.user_id).where(RoleGrant.role == role, RoleGrant.deleted_at.is_(None))
        query = query.where(User.id.in_(holders))
    if text:
        pattern = _like(text)
        query = query.where(
            or_(
                User.username.ilike(pattern, escape="\\"),
                User.display_name.ilike(pattern, escape="\\"),
                User.phone.ilike(pattern, escape="\\"),
            )
        )
    return list(session.scalars(query.order_by(User.username).offset(offset).limit(limit)))


def active_grants(session: Session, *, user_ids: list[str]) -> dict[str, list[RoleGrant]]:
    """The grants without a tombstone of each user, oldest first."""
    grants: dict[str, list[RoleGrant]] = {user_id: [] for user_id in user_ids}
    if user_ids:
        query = select(RoleGrant).where(RoleGrant.user_id.in_(user_ids), RoleGrant.deleted_at.is_(None))
        for grant in session.scalars(query.order_by(RoleGrant.created_at, RoleGrant.id)):
            grants[grant.user_id].append(grant)
    return grants


def get_user(session: Session, *, user_id: str) -> User:
    """The user `user_id`; NotFound when missing or tombstoned."""
    user = session.get(User, user_id)
    if user is None or user.deleted_at is not None:
        raise NotFound("用户不存在")
    return user


def _active_unit(session: Session, unit_id: str, what: str) -> OrgUnit:
    unit = session.get(OrgUnit, unit_id)
    if unit is None or unit.deleted_at is not None:
        raise Refused(f"{what}不存在")
    if not unit.active:
        raise Refused(f"{what}「{unit.name}」已停用")
    return unit


def _checked_hash(password: str, username: str) -> str:
    try:
        check_password_policy(password, username=username)
    except WeakPassword as error:
        raise Refused(str(error)) from error
    return hash_password(password)


def create_user(session: Session, *, actor: Actor, values: dict[str, Any]) -> User:
    """Create a user whose initial password meets the policy and must be changed at first sign-in."""
    username = values["username"]
    if session.scalar(select(User.id).where(func.lower(User.username) == username.lower())) is not None:
        raise Conflict(f"登录名 {username} 已存在")
    _active_unit(session, values["org_unit_id"], "所属单位")
    user = User(
        username=username,
        display_name=values["display_name"],
        phone=values.get("phone"),
        org_unit_id=values["org_unit_id"],
        password_hash=_checked_hash(values["password"], username),
        must_change_password=True,
        disabled=False,
        failed_logins=0,
    )
    create_audited(session, actor=actor, entity=USER_ENTITY, row=user, fields=USER_FIELDS)
    return user


def update_user(session: Session, *, actor: Actor, user_id: str, values: dict[str, Any]) -> User:
    """Change a user's display name, phone or org unit."""
    refuse_nulls(values, {"display_name": "姓名", "org_unit_id": "所属单位"})
    user = get_user(session, user_id=user_id)
    if "org_unit_id" in values and values["org_unit_id"] != user.org_unit_id:
        _active_unit(session, values["org_unit_id"], "所属单位")
    update_audited(session, actor=actor, entity=USER_ENTITY, row=user, values=values)
    return user


def set_user_disabled(session: Session, *, actor: Actor, user_id: str, disabled: bool) -> User:
    """Disable a user (every open session of theirs ends at once) or enable them again."""
    user = get_user(session, user_id=user_id)
    if disabled and user.id == actor.user_id:
        raise Refused("不能停用自己的账号")
    if user.disabled == disabled:
        raise Conflict("该账号已停用" if disabled else "该账号未停用")
    details: dict[str, Any] = apply_changes(user, {"disabled": disabled})
    if disabled:
        details["sessions_revoked"] = revoke_sessions(
            session, open_sessions(session, user_id=user.id), reason="账号已停用"
        )
    action = "disable" if disabled else "enable"
    audit(session, actor=actor, action=action, entity=USER_ENTITY, entity_id=user.id, details=details)
    commit(session)
    return user


def reset_password(session: Session, *, actor: Actor, user_id: str, password: str) -> User:
    """Give a user a new initial password (to be changed at sign-in); their sessions end and any lockout lifts."""
    user = get_user(session, user_id=user_id)
    if user.id == actor.user_id:
        raise Refused("不能重置自己的密码，请使用“修改密码”")
    user.password_hash = _checked_hash(password, user.username)
    details: dict[str, Any] = apply_changes(
        user, {"must_change_password": True, "failed_logins": 0, "locked_until": None}
    )
    details["sessions_revoked"] = revoke_sessions(session, open_sessions(session, user_id=user.id), reason="密码已重置")
    audit(session, actor=actor, action="reset_password", entity=USER_ENTITY, entity_id=user.id, details=details)
    commit(session)
    return user


def grant_role(session: Session, *, actor: Actor, user_id: str, role: str, scope_unit_id: str) -> RoleGrant:
    """Grant `role` to a user within an org unit's scope; the same grant twice is refused."""
    user = get_user(session, user_id=user_id)
    unit = _active_unit(session, scope_unit_id, "授权范围单位")
    duplicate = session.scalar(
        select(RoleGrant.id).where(
            RoleGrant.user_id == user.id,
            RoleGrant.role == role,
            RoleGrant.scope_unit_id == unit.id,
            RoleGrant.deleted_at.is_(None),
        )
    )
    if duplicate is not None:
        raise Conflict(f"该用户已在「{unit.name}」范围内拥有“{Role.from_code(role).label}”角色")
    grant = RoleGrant(user_id=user.id, role=role, scope_unit_id=unit.id, granted_by_id=actor.user_id)
    session.add(grant)
    session.flush()
    details = {"user_id": user.id, **created_fields(grant, ("role", "scope_unit_id"))}
    audit(session, actor=actor, action="grant", entity=GRANT_ENTITY, entity_id=grant.id, details=details)
    commit(session)
    return grant


def revoke_grant(session: Session, *, actor: Actor, user_id: str, grant_id: str) -> RoleGrant:
    """Revoke a grant (tombstone); an administrator cannot remove their own last administrator grant."""
    grant = session.get(RoleGrant, grant_id)
    if grant is None or grant.deleted_at is not None or grant.user_id != user_id:
        raise NotFound("授权不存在")
    if grant.user_id == actor.user_id and grant.role == Role.ADMIN:
        others = session.scalar(
            select(func.count())
            .select_from(RoleGrant)
            .where(
                RoleGrant.user_id == grant.user_id,
                RoleGrant.role == Role.ADMIN,
                RoleGrant.deleted_at.is_(None),
                RoleGrant.id != grant.id,
            )
        )
        if not others:
            raise Refused("不能撤销自己最后一个系统管理员授权")
    grant.mark_deleted()
    details = {"user_id": grant.user_id, "role": grant.role, "scope_unit_id": grant.scope_unit_id}
    audit(session, actor=actor, action="revoke", entity=GRANT_ENTITY, entity_id=grant.id, details=details)
    commit(session)
    return grant
