"""Sign-in logic: login with lockout, refresh-token rotation, logout, password change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from efangtong_core.models import Device, OrgUnit, RoleGrant, User
from efangtong_core.models.auth import AuthSession, LoginAttempt, RefreshToken
from efangtong_server.admin.parameters.service import parameter_value
from efangtong_server.audit.service import Actor, record_audit
from efangtong_server.auth.password_policy import check_password_policy
from efangtong_server.auth.passwords import hash_password, verify_password
from efangtong_server.auth.schemas import SignedInUser, TokenPair
from efangtong_server.auth.tokens import (
    AccessClaims,
    hash_refresh_token,
    issue_access_token,
    new_refresh_token,
)
from efangtong_server.settings import Settings

LOCAL_TIME = ZoneInfo("Asia/Shanghai")
# A real hash to verify against when the user does not exist, so timing does not tell which usernames exist.
_DUMMY_HASH = hash_password("不存在的用户的口令")


class AuthError(Exception):
    """A sign-in failure: HTTP status and a Chinese message for the user."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers


@dataclass(frozen=True)
class Origin:
    """Where a request comes from."""

    ip: str | None
    device_id: str | None


def _locked_message(until: datetime) -> str:
    return f"登录失败次数过多，账号已锁定至 {until.astimezone(LOCAL_TIME):%Y-%m-%d %H:%M}（北京时间），请稍后再试"


def _locked_error(until: datetime, now: datetime) -> AuthError:
    retry_after = max(1, int((until - now).total_seconds()))
    return AuthError(423, _locked_message(until), {"Retry-After": str(retry_after)})


def _failures_in_window(session: Session, user: User, now: datetime, settings: Settings) -> int:
    window_start = now - timedelta(minutes=settings.lockout_window_minutes)
    last_success = session.scalar(
        select(func.max(LoginAttempt.created_at)).where(LoginAttempt.user_id == user.id, LoginAttempt.succeeded)
    )
    since = max(filter(None, [window_start, last_success, user.locked_until]))
    count = session.scalar(
        select(func.count())
        .select_from(LoginAttempt)
        .where(LoginAttempt.user_id == user.id, LoginAttempt.succeeded.is_(False), LoginAttempt.created_at > since)
    )
    return int(count or 0)


def _record_attempt(
    session: Session, *, username: str, user: User | None, ok: bool, reason: str | None, origin: Origin, now: datetime
) -> None:
    session.add(
        LoginAttempt(
            username=username,
            user_id=user.id if user else None,
            succeeded=ok,
            reason=reason,
            device_id=origin.device_id,
            ip=origin.ip,
            created_at=now,
        )
    )


def signed_in_user(session: Session, user: User) -> SignedInUser:
    """The description of `user` a client shows after sign-in."""
    unit = session.get(OrgUnit, user.org_unit_id)
    roles = session.scalars(select(RoleGrant.role).where(RoleGrant.user_id == user.id, RoleGrant.deleted_at.is_(None)))
    return SignedInUser(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        org_unit_id=user.org_unit_id,
        org_unit_name=unit.name if unit else "",
        roles=sorted(set(roles)),
        must_change_password=user.must_change_password,
        offline_login_days=int(parameter_value(session, key="offline_login_days")),
    )


def _issue_pair(
    session: Session, user: User, auth_session: AuthSession, settings: Settings, now: datetime
) -> TokenPair:
    refresh = new_refresh_token()
    session.add(
        RefreshToken(
            session_id=auth_session.id,
            token_hash=hash_refresh_token(refresh),
            expires_at=auth_session.expires_at,
            created_at=now,
        )
    )
    lifetime = timedelta(minutes=settings.access_token_minutes)
    claims = AccessClaims(
        user_id=user.id, session_id=auth_session.id, device_id=auth_session.device_id or "", expires_at=now + lifetime
    )
    access = issue_access_token(claims, secret=settings.token_secret())
    return TokenPair(
        access_token=access,
        refresh_token=refresh,
        expires_in=int(lifetime.total_seconds()),
        user=signed_in_user(session, user),
    )


def _device_for_login(
    session: Session, *, device_id: str, device_name: str | None, user: User, now: datetime
) -> Device:
    device = session.get(Device, device_id)
    if device is None:
        device = Device(
            id=device_id,
            name=device_name or "未命名设备",
            org_unit_id=user.org_unit_id,
            registered_by_id=user.id,
            created_at=now,
        )
        session.add(device)
    elif device.revoked_at is not None:
        raise AuthError(403, "该设备已被停用，请联系系统管理员")
    return device


def _password_matches(session: Session, *, username: str, password: str) -> bool:
    stored = session.scalar(select(User.password_hash).where(User.username == username, User.deleted_at.is_(None)))
    if not stored:
        verify_password(_DUMMY_HASH, password)  # same cost as for a real user: timing does not reveal usernames
        return False
    return verify_password(stored, password)


def login(
    session: Session,
    *,
    username: str,
    password: str,
    device_id: str,
    device_name: str | None,
    ip: str | None,
    settings: Settings,
    now: datetime | None = None,
    read_session: Session | None = None,
) -> TokenPair:
    """Check the credentials, apply the lockout policy, and open a session on the device.

    The slow password hash is checked in `read_session` when given, before `session` starts writing, so that
    concurrent sign-ins do not queue behind each other's hashing while holding the database's write lock.
    """
    now = now or datetime.now(UTC)
    origin = Origin(ip=ip, device_id=device_id)
    username = username.strip()
    password_ok = _password_matches(read_session or session, username=username, password=password)
    if read_session is not None:
        read_session.rollback()
    user = session.scalar(select(User).where(User.username == username, User.deleted_at.is_(None)))
    if user is not None and user.locked_until is not None and user.locked_until > now:
        _record_attempt(session, username=username, user=user, ok=False, reason="locked", origin=origin, now=now)
        session.commit()
        raise _locked_error(user.locked_until, now)
    if user is None or not password_ok:
        _record_attempt(session, username=username, user=user, ok=False, reason="credentials", origin=origin, now=now)
        session.flush()
        if user is not None:
            failures = _failures_in_window(session, user, now, settings)
            user.failed_logins = failures
            if failures >= settings.lockout_failures:
                user.locked_until = now + timedelta(minutes=settings.lockout_minutes)
                actor = Actor(user_id=user.id, username=user.username, device_id=device_id, ip=ip)
                record_audit(
                    session,
                    actor=actor,
                    action="lock",
                    entity="user_account",
                    entity_id=user.id,
                    details={"failures": failures},
                    at=now,
                )
                session.commit()
                raise _locked_error(user.locked_until, now)
        session.commit()
        raise AuthError(401, "用户名或密码错误")
    if user.disabled:
        _record_attempt(session, username=username, user=user, ok=False, reason="disabled", origin=origin, now=now)
        session.commit()
        raise AuthError(403, "账号已停用，请联系系统管理员")
    device = _device_for_login(session, device_id=device_id, device_name=device_name, user=user, now=now)
    device.last_seen_at, device.last_seen_ip = now, ip
    auth_session = AuthSession(
        user_id=user.id,
        device_id=device.id,
        ip=ip,
        created_at=now,
        last_used_at=now,
        expires_at=now + timedelta(days=settings.session_days),
    )
    session.add(auth_session)
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
    _record_attempt(session, username=username, user=user, ok=True, reason=None, origin=origin, now=now)
    actor = Actor(user_id=user.id, username=user.username, device_id=device_id, ip=ip)
    record_audit(session, actor=actor, action="login", entity="auth_session", entity_id=auth_session.id, at=now)
    session.flush()
    pair = _issue_pair(session, user, auth_session, settings, now)
    session.commit()
    return pair


def refresh(session: Session, *, refresh_token: str, settings: Settings, now: datetime | None = None) -> TokenPair:
    """Exchange a refresh token for a new pair; a token used twice ends its session (theft detection)."""
    now = now or datetime.now(UTC)
    stored = session.scalar(select(RefreshToken).where(RefreshToken.token_hash == hash_refresh_token(refresh_token)))
    if stored is None:
        raise AuthError(401, "登录凭证无效，请重新登录")
    auth_session = session.get(AuthSession, stored.session_id)
    if auth_session is None or auth_session.revoked_at is not None or auth_session.expires_at <= now:
        raise AuthError(401, "登录已失效，请重新登录")
    claimed = session.execute(
        update(RefreshToken).where(RefreshToken.id == stored.id, RefreshToken.used_at.is_(None)).values(used_at=now)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        revoke_sessions(session, [auth_session], reason="刷新令牌被重复使用", now=now)
        session.commit()
        raise AuthError(401, "登录凭证已被使用过，为安全起见已注销该会话，请重新登录")
    user = session.get(User, auth_session.user_id)
    if user is None or user.disabled or user.deleted_at is not None:
        raise AuthError(401, "账号已停用")
    device = session.get(Device, auth_session.device_id) if auth_session.device_id else None
    if device is not None and device.revoked_at is not None:
        raise AuthError(401, "该设备已被停用，请联系系统管理员")
    auth_session.last_used_at = now
    pair = _issue_pair(session, user, auth_session, settings, now)
    session.commit()
    return pair


def revoke_sessions(session: Session, sessions: list[AuthSession], *, reason: str, now: datetime | None = None) -> int:
    """End `sessions` (every token issued in them stops working); returns how many were still open."""
    now = now or datetime.now(UTC)
    count = 0
    for auth_session in sessions:
        if auth_session.revoked_at is None:
            auth_session.revoked_at, auth_session.revoked_reason = now, reason
            count += 1
    return count


def open_sessions(session: Session, *, user_id: str | None = None, device_id: str | None = None) -> list[AuthSession]:
    """The sessions not yet revoked of a user or of a device."""
    query = select(AuthSession).where(AuthSession.revoked_at.is_(None))
    if user_id is not None:
        query = query.where(AuthSession.user_id == user_id)
    if device_id is not None:
        query = query.where(AuthSession.device_id == device_id)
    return list(session.scalars(query))


def change_password(session: Session, *, actor: Actor, old_password: str, new_password: str, keep_session: str) -> None:
    """Set a new password after checking the old one and the policy; other sessions of the user end."""
    user = session.get(User, actor.user_id)
    if user is None or not user.password_hash or not verify_password(user.password_hash, old_password):
        raise AuthError(400, "原密码不正确")
    if old_password == new_password:
        raise AuthError(400, "新密码不能与原密码相同")
    try:
        check_password_policy(new_password, username=user.username)
    except ValueError as error:
        raise AuthError(400, str(error)) from error
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    others = [s for s in open_sessions(session, user_id=user.id) if s.id != keep_session]
    revoke_sessions(session, others, reason="已修改密码")
    record_audit(session, actor=actor, action="change_password", entity="user_account", entity_id=user.id)
    session.commit()
