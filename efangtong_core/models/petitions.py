"""Petitions (信访件): content categories, the petition, its representatives and units, and its event log.

A case's current state and deadline are derived from its events in server order (`efangtong_core.lifecycle` says which
event may follow which); they are stored on the petition only so that lists and warnings can query them. State and event
type codes are the string codes of `efangtong_core.lifecycle`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, BigInteger, Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from efangtong_core.models.base import ID_LENGTH, Base, Replicated, UtcDateTime, utcnow
from efangtong_core.models.org import OrgUnit, User
from efangtong_core.models.people import Petitioner

if TYPE_CHECKING:
    from efangtong_core.models.agents import Agent

REGISTERED_COVER = (
    "registered_at", "deleted_at", "form", "category_id", "town_id", "head_count", "repeat_of_id", "lead_unit_id",
    "petitioner_id",
)  # fmt: skip
"""Columns of the covering index that the analytics figures of a registration period read."""
SCOPE_COVER = ("town_id", "lead_unit_id", "category_id")
"""The columns the analytics scope and filters read, covered by the rates' indexes."""

UNIT_ROLE_LEAD = "lead"
"""petition_unit.role of the lead handling unit (主办)."""
UNIT_ROLE_CO = "co"
"""petition_unit.role of a co-handling unit (协办)."""


class ContentCategory(Replicated, Base):
    """A content category (内容分类), two levels: a first-level row has no parent."""

    __tablename__ = "content_category"

    parent_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("content_category.id"), index=True, comment="上级分类"
    )
    code: Mapped[str] = mapped_column(String(16), index=True, unique=True, comment="分类代码（一级 2 位，二级 4 位）")
    name: Mapped[str] = mapped_column(String(100), comment="分类名称")
    sort_order: Mapped[int] = mapped_column(Integer, default=0, comment="排序")
    active: Mapped[bool] = mapped_column(Boolean, default=True, comment="是否启用")

    parent: Mapped[ContentCategory | None] = relationship(remote_side="ContentCategory.id", back_populates="children")
    children: Mapped[list[ContentCategory]] = relationship(back_populates="parent")


class Petition(Replicated, Base):
    """A petition (信访件) as registered, with the derived current state and deadline of its case."""

    __tablename__ = "petition"
    __table_args__ = (
        Index("ix_petition_state_deadline", "state", "deadline"),
        Index("ix_petition_town_category_registered", "town_id", "category_id", "registered_at"),
        Index("ix_petition_registered_at", "registered_at"),
        Index("ix_petition_lead_unit_state", "lead_unit_id", "state"),
        # The rates' cohorts with the scope and filter columns (migration 0010): a town's user reads the index alone.
        Index("ix_petition_accepted_on", "accepted_on", "deleted_at", "acceptance_due", *SCOPE_COVER),
        Index("ix_petition_replied_on", "replied_on", "deleted_at", "handling_due", "satisfaction", *SCOPE_COVER),
        # Covering indexes of the analytics aggregates (migration 0008): the volume figures, trends, surges and
        # repeaters of a period, and the open cases by lead unit, read the index alone.
        Index("ix_petition_registered_cover", *REGISTERED_COVER),
        Index("ix_petition_open_lead", "state", "lead_unit_id", "deadline", "deleted_at", "town_id", "category_id"),
        CheckConstraint("head_count >= 1", name="head_count_positive"),
    )

    case_number: Mapped[str | None] = mapped_column(
        String(32), index=True, unique=True, comment="案件编号（服务器分配，按年唯一）"
    )
    provisional_number: Mapped[str | None] = mapped_column(String(40), comment="临时编号（柜台离线登记时）")
    query_code: Mapped[str] = mapped_column(String(16), index=True, unique=True, comment="查询码")
    form: Mapped[str] = mapped_column(String(16), comment="信访形式（vocabulary.PetitionForm 代码）")
    purpose: Mapped[str] = mapped_column(String(16), comment="信访目的（vocabulary.PetitionPurpose 代码）")
    category_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("content_category.id"), index=True, comment="内容分类（二级）"
    )
    town_id: Mapped[str | None] = mapped_column(String(ID_LENGTH), ForeignKey("org_unit.id"), comment="问题属地（镇）")
    head_count: Mapped[int] = mapped_column(Integer, default=1, comment="来访人数")
    title: Mapped[str | None] = mapped_column(String(200), comment="标题/概要")
    content: Mapped[str] = mapped_column(Text, default="", comment="信访内容")
    registering_unit_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("org_unit.id"), index=True, comment="登记单位"
    )
    registered_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, comment="登记时间")
    registered_by_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("user_account.id"), comment="登记人"
    )
    petitioner_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("petitioner.id"), index=True, comment="信访人（第一信访人）"
    )
    agent_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("agent.id"), index=True, comment="代办员"
    )
    repeat_of_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("petition.id"), index=True, comment="重复信访的原件"
    )
    merged_into_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("petition.id"), comment="并入的案件"
    )
    state: Mapped[str] = mapped_column(String(32), comment="当前状态（lifecycle 代码，由事件推导）")
    deadline: Mapped[date | None] = mapped_column(comment="当前期限（由事件推导）")
    lead_unit_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("org_unit.id"), comment="主办单位（由事件推导）"
    )
    accepted_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), comment="受理时间（由事件推导）")
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), comment="办结时间（由事件推导）")
    event_count: Mapped[int] = mapped_column(Integer, default=0, comment="已应用的事件数（由事件推导）")
    # Analytics columns (efangtong_core.analytics.derived): local days and deadlines fixed by the events.
    accepted_on: Mapped[date | None] = mapped_column(comment="受理日（由事件推导）")
    acceptance_due: Mapped[date | None] = mapped_column(comment="受理时的告知受理期限（由事件推导）")
    replied_on: Mapped[date | None] = mapped_column(comment="出具处理意见书日（由事件推导）")
    handling_due: Mapped[date | None] = mapped_column(comment="答复时的办理期限，含延期（由事件推导）")
    extension_days: Mapped[int] = mapped_column(Integer, default=0, server_default="0", comment="批准延期天数")
    satisfaction: Mapped[str | None] = mapped_column(String(32), comment="评价结果（由事件推导）")

    category: Mapped[ContentCategory | None] = relationship()
    town: Mapped[OrgUnit | None] = relationship(foreign_keys=[town_id])
    registering_unit: Mapped[OrgUnit] = relationship(foreign_keys=[registering_unit_id])
    lead_unit: Mapped[OrgUnit | None] = relationship(foreign_keys=[lead_unit_id])
    registered_by: Mapped[User | None] = relationship()
    petitioner: Mapped[Petitioner | None] = relationship()
    agent: Mapped[Agent | None] = relationship()
    repeat_of: Mapped[Petition | None] = relationship(remote_side="Petition.id", foreign_keys=[repeat_of_id])
    merged_into: Mapped[Petition | None] = relationship(remote_side="Petition.id", foreign_keys=[merged_into_id])
    representatives: Mapped[list[PetitionRepresentative]] = relationship(
        back_populates="petition", order_by="PetitionRepresentative.position"
    )
    units: Mapped[list[PetitionUnit]] = relationship(back_populates="petition")
    events: Mapped[list[CaseEvent]] = relationship(back_populates="petition", order_by="CaseEvent.seq")


class PetitionRepresentative(Replicated, Base):
    """A representative of a group visit (集体访代表); positions 1..5 enforce the regulation's limit of five."""

    __tablename__ = "petition_representative"
    __table_args__ = (
        Index("ix_petition_representative_position", "petition_id", "position", unique=True),
        CheckConstraint("position BETWEEN 1 AND 5", name="position_range"),
    )

    petition_id: Mapped[str] = mapped_column(String(ID_LENGTH), ForeignKey("petition.id"), comment="信访件")
    petitioner_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("petitioner.id"), index=True, comment="代表（信访人）"
    )
    position: Mapped[int] = mapped_column(Integer, comment="代表序号 1..5")

    petition: Mapped[Petition] = relationship(back_populates="representatives")
    petitioner: Mapped[Petitioner] = relationship()


class PetitionUnit(Replicated, Base):
    """A unit handling a petition: the lead unit (主办) or a co-handling unit (协办)."""

    __tablename__ = "petition_unit"
    __table_args__ = (Index("ix_petition_unit_unit_role", "unit_id", "role"),)

    petition_id: Mapped[str] = mapped_column(String(ID_LENGTH), ForeignKey("petition.id"), index=True, comment="信访件")
    unit_id: Mapped[str] = mapped_column(String(ID_LENGTH), ForeignKey("org_unit.id"), comment="单位")
    role: Mapped[str] = mapped_column(String(8), comment="lead 主办 / co 协办")
    assigned_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, comment="交办/转送时间")
    signed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), comment="签收时间")

    petition: Mapped[Petition] = relationship(back_populates="units")
    unit: Mapped[OrgUnit] = relationship()


class CaseEvent(Replicated, Base):
    """One event of a case's log (案件事件), append-only: never updated, never deleted."""

    __tablename__ = "case_event"
    __table_args__ = (
        Index("ix_case_event_petition_seq", "petition_id", "seq"),
        Index("ix_case_event_type_at", "type", "at"),
    )

    petition_id: Mapped[str] = mapped_column(String(ID_LENGTH), ForeignKey("petition.id"), comment="信访件")
    type: Mapped[str] = mapped_column(String(32), comment="事件类型（lifecycle 代码）")
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, comment="发生时间（产生处时钟）")
    actor_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("user_account.id"), index=True, comment="操作人"
    )
    actor_unit_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("org_unit.id"), comment="操作人单位"
    )
    role: Mapped[str | None] = mapped_column(String(16), comment="操作时的角色（vocabulary.Role 代码）")
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, comment="事件内容（JSON）")
    # The order the origin wrote the case's events in; two offline counters may both write seq n, so it is not unique.
    # The authoritative order is server_seq.
    seq: Mapped[int] = mapped_column(BigInteger, comment="该案件内的顺序号（产生处）")

    petition: Mapped[Petition] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()
    actor_unit: Mapped[OrgUnit | None] = relationship()
