"""Sign-in state on the server: sessions (one per sign-in on a device), rotating refresh tokens, login attempts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from efangtong_core.models.base import ID_LENGTH, Base, LocalRecord, UtcDateTime, utcnow
from efangtong_core.models.org import Device, User


class AuthSession(LocalRecord, Base):
    """One sign-in of a user on a device (登录会话); revoking it ends every token issued in it."""

    __tablename__ = "auth_session"

    user_id: Mapped[str] = mapped_column(String(ID_LENGTH), ForeignKey("user_account.id"), index=True, comment="用户")
    device_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("device.id"), index=True, comment="设备"
    )
    ip: Mapped[str | None] = mapped_column(String(45), comment="登录地址")
    last_used_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, comment="最近使用时间")
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime(), comment="会话到期时间（绝对期限）")
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), comment="注销或吊销时间")
    revoked_reason: Mapped[str | None] = mapped_column(String(100), comment="注销或吊销原因")

    user: Mapped[User] = relationship()
    device: Mapped[Device | None] = relationship()


class RefreshToken(LocalRecord, Base):
    """A refresh token of a session, stored only as its SHA-256; each is used once and replaced (rotation)."""

    __tablename__ = "refresh_token"

    session_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("auth_session.id"), index=True, comment="登录会话"
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, comment="令牌散列（SHA-256）")
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime(), comment="到期时间")
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), comment="已使用（已轮换）时间")

    session: Mapped[AuthSession] = relationship()


class LoginAttempt(LocalRecord, Base):
    """A sign-in attempt (登录记录), successful or not; failures within a window lock the account."""

    __tablename__ = "login_attempt"
    __table_args__ = (Index("ix_login_attempt_username_at", "username", "created_at"),)

    username: Mapped[str] = mapped_column(String(64), comment="提交的登录名")
    user_id: Mapped[str | None] = mapped_column(String(ID_LENGTH), ForeignKey("user_account.id"), comment="用户")
    succeeded: Mapped[bool] = mapped_column(Boolean, comment="是否成功")
    reason: Mapped[str | None] = mapped_column(String(32), comment="失败原因代码")
    device_id: Mapped[str | None] = mapped_column(String(64), comment="设备")
    ip: Mapped[str | None] = mapped_column(String(45), comment="来源地址")

    user: Mapped[User | None] = relationship()
