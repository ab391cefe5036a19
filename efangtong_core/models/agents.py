"""Agents (代办员): the registry of village/community agents, the cases they carry, and their evaluations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from efangtong_core.models.base import ID_LENGTH, Base, Replicated, UtcDateTime, utcnow
from efangtong_core.models.org import OrgUnit, User
from efangtong_core.models.petitions import Petition


class Agent(Replicated, Base):
    """A 代办员 who carries petitions on a petitioner's behalf, attached to a town and a village or community."""

    __tablename__ = "agent"

    user_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("user_account.id"), index=True, comment="对应的系统用户"
    )
    name: Mapped[str] = mapped_column(String(50), comment="姓名")
    town_id: Mapped[str] = mapped_column(String(ID_LENGTH), ForeignKey("org_unit.id"), index=True, comment="所在镇")
    village: Mapped[str | None] = mapped_column(String(100), comment="嘎查村/社区")
    phone: Mapped[str | None] = mapped_column(String(20), index=True, comment="联系电话")
    active: Mapped[bool] = mapped_column(Boolean, default=True, comment="在岗")

    user: Mapped[User | None] = relationship()
    town: Mapped[OrgUnit] = relationship()


class AgentCase(Replicated, Base):
    """A petition an agent carries (代办事项), from taking it on to finishing."""

    __tablename__ = "agent_case"
    __table_args__ = (Index("ix_agent_case_agent_state", "agent_id", "state"),)

    agent_id: Mapped[str] = mapped_column(String(ID_LENGTH), ForeignKey("agent.id"), comment="代办员")
    petition_id: Mapped[str] = mapped_column(String(ID_LENGTH), ForeignKey("petition.id"), index=True, comment="信访件")
    state: Mapped[str] = mapped_column(String(16), default="open", comment="状态：open 代办中 / done 已办结 / dropped")
    taken_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, comment="接办时间")
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), comment="办结时间")
    note: Mapped[str | None] = mapped_column(Text, comment="代办情况")

    agent: Mapped[Agent] = relationship()
    petition: Mapped[Petition] = relationship()


class AgentEvaluation(Replicated, Base):
    """A petitioner's or the bureau's evaluation of an agent's work on a case (代办评价)."""

    __tablename__ = "agent_evaluation"

    agent_id: Mapped[str] = mapped_column(String(ID_LENGTH), ForeignKey("agent.id"), index=True, comment="代办员")
    petition_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("petition.id"), index=True, comment="信访件"
    )
    satisfaction: Mapped[str] = mapped_column(String(24), comment="评价（vocabulary.Satisfaction 代码）")
    score: Mapped[int | None] = mapped_column(Integer, comment="分数（0–100，可选）")
    comment_text: Mapped[str | None] = mapped_column(Text, comment="评价意见")
    evaluated_by_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("user_account.id"), comment="评价录入人"
    )
    evaluated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, comment="评价时间")

    agent: Mapped[Agent] = relationship()
    petition: Mapped[Petition | None] = relationship()
    evaluated_by: Mapped[User | None] = relationship()
