"""Early warnings (预警): the rules that raise them and the raised warnings with their acknowledgements."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from efangtong_core.models.base import ID_LENGTH, Base, Replicated, UtcDateTime, utcnow
from efangtong_core.models.org import OrgUnit, User


class WarningRule(Replicated, Base):
    """A configurable warning rule (预警规则): which check, at which level, with which parameters."""

    __tablename__ = "warning_rule"

    code: Mapped[str] = mapped_column(String(32), index=True, unique=True, comment="规则代码")
    name: Mapped[str] = mapped_column(String(100), comment="规则名称")
    level: Mapped[str] = mapped_column(String(8), comment="预警级别（vocabulary.WarningLevel 代码）")
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, comment="规则参数（JSON）")
    active: Mapped[bool] = mapped_column(Boolean, default=True, comment="是否启用")
    note: Mapped[str | None] = mapped_column(Text, comment="说明")


class EarlyWarning(Replicated, Base):
    """A raised warning (预警) about a subject (a petition, a petitioner, a town ...), until acknowledged."""

    __tablename__ = "warning"
    __table_args__ = (
        Index("ix_warning_subject", "subject_type", "subject_id"),
        Index("ix_warning_by_rule", "rule_code"),
        Index("ix_warning_open", "acknowledged_at", "level", "due_at"),
    )

    rule_code: Mapped[str] = mapped_column(String(32), comment="规则代码")
    level: Mapped[str] = mapped_column(String(8), comment="预警级别（vocabulary.WarningLevel 代码）")
    subject_type: Mapped[str] = mapped_column(String(32), comment="对象类型：petition/petitioner/org_unit/category")
    subject_id: Mapped[str] = mapped_column(String(ID_LENGTH), comment="对象标识")
    unit_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("org_unit.id"), index=True, comment="责任单位"
    )
    message: Mapped[str] = mapped_column(Text, default="", comment="预警内容")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, comment="依据（JSON）")
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), comment="到期时间")
    raised_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, comment="产生时间")
    acknowledged_by_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("user_account.id"), comment="确认人"
    )
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), comment="确认时间")
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), comment="解除时间（条件消失）")

    unit: Mapped[OrgUnit | None] = relationship()
    acknowledged_by: Mapped[User | None] = relationship()
