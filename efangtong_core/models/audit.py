"""Audit trail (审计日志): who read or changed which record, when, from where. Append-only, never replicated."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from efangtong_core.models.base import ID_LENGTH, Base, BigIntegerKey, UtcDateTime, utcnow
from efangtong_core.models.org import User


class AuditLog(Base):
    """One audited action (审计记录); rows are only ever inserted."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_entity", "entity", "entity_id", "at"),
        Index("ix_audit_log_user_at", "user_id", "at"),
    )

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True, comment="序号")
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True, comment="时间")
    user_id: Mapped[str | None] = mapped_column(String(ID_LENGTH), ForeignKey("user_account.id"), comment="用户")
    username: Mapped[str | None] = mapped_column(String(64), comment="用户名（冗余，便于查询已删除用户）")
    action: Mapped[str] = mapped_column(String(32), comment="动作：read/create/update/delete/login/export ...")
    entity: Mapped[str | None] = mapped_column(String(64), comment="对象类型（表名）")
    entity_id: Mapped[str | None] = mapped_column(String(ID_LENGTH), comment="对象标识")
    device_id: Mapped[str | None] = mapped_column(String(64), comment="设备")
    ip: Mapped[str | None] = mapped_column(String(45), comment="来源地址")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, comment="详情（JSON）")

    user: Mapped[User | None] = relationship()
