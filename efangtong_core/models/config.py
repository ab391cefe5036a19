"""Configuration as data: deadline rules with their article, the holiday calendar, routing rules, parameters."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from efangtong_core.models.base import ID_LENGTH, Base, Replicated, UtcDateTime
from efangtong_core.models.org import OrgUnit
from efangtong_core.models.petitions import ContentCategory


class DeadlineRule(Replicated, Base):
    """A regulation deadline (期限规则): N calendar or working days from an event, with its article."""

    __tablename__ = "deadline_rule"
    __table_args__ = (CheckConstraint("day_kind IN ('calendar', 'working')", name="day_kind"),)

    code: Mapped[str] = mapped_column(String(32), index=True, unique=True, comment="规则代码")
    name: Mapped[str] = mapped_column(String(100), comment="名称")
    article: Mapped[str] = mapped_column(String(100), default="", comment="依据条款（如《信访工作条例》第三十二条）")
    days: Mapped[int] = mapped_column(Integer, comment="天数")
    day_kind: Mapped[str] = mapped_column(String(8), default="calendar", comment="calendar 自然日 / working 工作日")
    starts_at: Mapped[str] = mapped_column(String(32), comment="起算事件类型（lifecycle 代码）")
    note: Mapped[str | None] = mapped_column(Text, comment="说明")
    active: Mapped[bool] = mapped_column(Boolean, default=True, comment="是否启用")


class Holiday(Replicated, Base):
    """A day of the holiday calendar (节假日): a holiday, or a weekend day that is a working day (调休)."""

    __tablename__ = "holiday"
    __table_args__ = (CheckConstraint("kind IN ('holiday', 'workday')", name="kind"),)

    day: Mapped[date] = mapped_column(index=True, unique=True, comment="日期")
    kind: Mapped[str] = mapped_column(String(8), comment="holiday 放假 / workday 调休上班")
    name: Mapped[str | None] = mapped_column(String(50), comment="名称（如 春节）")


class RoutingRule(Replicated, Base):
    """A routing rule (分办规则): matters of this category (and town) go to this unit."""

    __tablename__ = "routing_rule"
    __table_args__ = (Index("ix_routing_rule_category_town", "category_id", "town_id"),)

    category_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("content_category.id"), comment="内容分类（空为任意）"
    )
    town_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("org_unit.id"), comment="问题属地（空为任意）"
    )
    unit_id: Mapped[str] = mapped_column(String(ID_LENGTH), ForeignKey("org_unit.id"), comment="承办单位")
    priority: Mapped[int] = mapped_column(Integer, default=0, comment="优先级（大者优先）")
    active: Mapped[bool] = mapped_column(Boolean, default=True, comment="是否启用")

    category: Mapped[ContentCategory | None] = relationship()
    town: Mapped[OrgUnit | None] = relationship(foreign_keys=[town_id])
    unit: Mapped[OrgUnit] = relationship(foreign_keys=[unit_id])


class SystemParameter(Base):
    """A system parameter (系统参数): a key and a JSON value; server-side, read by the services at run time."""

    __tablename__ = "system_parameter"

    key: Mapped[str] = mapped_column(String(64), primary_key=True, comment="参数名")
    value: Mapped[Any] = mapped_column(JSON, nullable=True, comment="参数值（JSON）")
    note: Mapped[str | None] = mapped_column(Text, comment="说明")
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), comment="修改时间（UTC）")
