"""Analytics rollups (统计汇总): petition counts kept exact by database triggers, never replicated or edited by code.

Both tables are derived from `petition` alone by the triggers of `efangtong_core.analytics.rollup` (on SQLite and
PostgreSQL alike, so the server, the counter's replica, the demo seeder and sync all keep them current), and the
year-long figures read them instead of every petition row. Keys use "" for a missing town, lead unit or category.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Index, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from efangtong_core.models.base import ID_LENGTH, Base


class PetitionDayCount(Base):
    """Live petitions registered on one local (China) day, per town × lead unit × category × form × group-visit ×
    repeat (the lead unit makes a unit-scoped user's and a unit filter's figures exact from the rollup)."""

    __tablename__ = "petition_day_count"
    __table_args__ = ({"sqlite_with_rowid": False, "comment": "每日信访件汇总（触发器维护）"},)

    day: Mapped[date] = mapped_column(Date, primary_key=True, comment="登记日（北京时间）")
    town_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True, comment="问题属地（无则为空串）")
    lead_unit_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True, comment="主办单位（无则为空串）")
    category_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True, comment="内容分类（无则为空串）")
    form: Mapped[str] = mapped_column(String(16), primary_key=True, comment="信访形式")
    is_group: Mapped[int] = mapped_column(SmallInteger, primary_key=True, comment="集体访（1/0）")
    is_repeat: Mapped[int] = mapped_column(SmallInteger, primary_key=True, comment="重复信访（1/0）")
    batches: Mapped[int] = mapped_column(Integer, comment="批次")
    persons: Mapped[int] = mapped_column(Integer, comment="人次")


class RepeaterDayCount(Base):
    """Live petitions per day × town × lead unit of each petitioner who has at least one live repeat petition."""

    __tablename__ = "repeater_day_count"
    __table_args__ = (
        Index("ix_repeater_day_count_day", "day", "petitioner_id", "town_id", "lead_unit_id", "petitions", "repeats"),
        {"sqlite_with_rowid": False, "comment": "重复信访人每日件数（触发器维护）"},
    )

    petitioner_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True, comment="信访人")
    day: Mapped[date] = mapped_column(Date, primary_key=True, comment="登记日（北京时间）")
    town_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True, comment="问题属地（无则为空串）")
    lead_unit_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True, comment="主办单位（无则为空串）")
    petitions: Mapped[int] = mapped_column(Integer, comment="件数")
    repeats: Mapped[int] = mapped_column(Integer, comment="其中重复信访件数")
