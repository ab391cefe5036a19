"""Sign-in state on the server: sessions, rotating refresh tokens, login attempts.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the sign-in tables."""
    op.create_table(
        "auth_session",
        sa.Column("id", sa.String(length=36), nullable=False, comment="行标识（UUID）"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, comment="创建时间（UTC）"),
        sa.Column("user_id", sa.String(length=36), nullable=False, comment="用户"),
        sa.Column("device_id", sa.String(length=36), nullable=True, comment="设备"),
        sa.Column("ip", sa.String(length=45), nullable=True, comment="登录地址"),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=False, comment="最近使用时间"),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False, comment="会话到期时间（绝对期限）"),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True, comment="注销或吊销时间"),
        sa.Column("revoked_reason", sa.String(length=100), nullable=True, comment="注销或吊销原因"),
        sa.ForeignKeyConstraint(["device_id"], ["device.id"], name=op.f("fk_auth_session_device_id")),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_auth_session_user_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_session")),
    )
    op.create_index(op.f("ix_auth_session_device_id"), "auth_session", ["device_id"], unique=False)
    op.create_index(op.f("ix_auth_session_user_id"), "auth_session", ["user_id"], unique=False)
    op.create_table(
        "refresh_token",
        sa.Column("id", sa.String(length=36), nullable=False, comment="行标识（UUID）"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, comment="创建时间（UTC）"),
        sa.Column("session_id", sa.String(length=36), nullable=False, comment="登录会话"),
        sa.Column("token_hash", sa.String(length=64), nullable=False, comment="令牌散列（SHA-256）"),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False, comment="到期时间"),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True, comment="已使用（已轮换）时间"),
        sa.ForeignKeyConstraint(["session_id"], ["auth_session.id"], name=op.f("fk_refresh_token_session_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refresh_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_refresh_token_token_hash")),
    )
    op.create_index(op.f("ix_refresh_token_session_id"), "refresh_token", ["session_id"], unique=False)
    op.create_table(
        "login_attempt",
        sa.Column("id", sa.String(length=36), nullable=False, comment="行标识（UUID）"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, comment="创建时间（UTC）"),
        sa.Column("username", sa.String(length=64), nullable=False, comment="提交的登录名"),
        sa.Column("user_id", sa.String(length=36), nullable=True, comment="用户"),
        sa.Column("succeeded", sa.Boolean(), nullable=False, comment="是否成功"),
        sa.Column("reason", sa.String(length=32), nullable=True, comment="失败原因代码"),
        sa.Column("device_id", sa.String(length=64), nullable=True, comment="设备"),
        sa.Column("ip", sa.String(length=45), nullable=True, comment="来源地址"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_login_attempt_user_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempt")),
    )
    op.create_index("ix_login_attempt_username_at", "login_attempt", ["username", "created_at"], unique=False)


def downgrade() -> None:
    """Drop the sign-in tables."""
    op.drop_index("ix_login_attempt_username_at", table_name="login_attempt")
    op.drop_table("login_attempt")
    op.drop_index(op.f("ix_refresh_token_session_id"), table_name="refresh_token")
    op.drop_table("refresh_token")
    op.drop_index(op.f("ix_auth_session_user_id"), table_name="auth_session")
    op.drop_index(op.f("ix_auth_session_device_id"), table_name="auth_session")
    op.drop_table("auth_session")
