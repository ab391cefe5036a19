"""People: petitioners (信访人), their phones, and the history of overwritten values of plain records.

A petitioner's history is their petitions (`Petition.petitioner_id`, representatives, agents) plus `record_history`,
which keeps the losing value of every last-writer-wins update (DESIGN.md §3: nothing is dropped silently).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from efangtong_core.models.base import ID_LENGTH, Base, Replicated, UtcDateTime, utcnow
from efangtong_core.models.org import User


class Petitioner(Replicated, Base):
    """A petitioner (信访人): identity from the ID card or typed in, contact details, verification status."""

    __tablename__ = "petitioner"

    id_type: Mapped[str] = mapped_column(
        String(16),
        default="resident",
        comment="证件类型：resident 居民身份证 / hmt 港澳台居住证 / foreign 永居证 / other 其他",
    )
    id_number: Mapped[str | None] = mapped_column(
        String(18), index=True, comment="证件号码（规范化）；匿名或无证件时为空"
    )
    name: Mapped[str] = mapped_column(String(100), comment="姓名")
    name_initials: Mapped[str | None] = mapped_column(String(50), index=True, comment="姓名拼音首字母（小写）")
    sex: Mapped[str] = mapped_column(String(8), default="unknown", comment="性别（vocabulary.Sex 代码）")
    nation: Mapped[str | None] = mapped_column(String(20), comment="民族（如 汉、蒙古）")
    birth_date: Mapped[date | None] = mapped_column(Date, comment="出生日期")
    address: Mapped[str | None] = mapped_column(String(200), comment="住址")
    home_division_code: Mapped[str | None] = mapped_column(String(12), comment="户籍区划代码（由证件号码得出）")
    card_photo_sha256: Mapped[str | None] = mapped_column(
        String(64), comment="证件照（附件内容散列，见 attachment.sha256）"
    )
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False, comment="匿名信访")
    verification_status: Mapped[str] = mapped_column(
        String(16),
        default="unverified",
        comment="联网核验：unverified 未核验/pending 待核验/match 一致/mismatch 不一致/not_found 查无/error",
    )
    verified_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), comment="核验时间")
    note: Mapped[str | None] = mapped_column(Text, comment="备注")

    phones: Mapped[list[PetitionerPhone]] = relationship(
        back_populates="petitioner", order_by="PetitionerPhone.position"
    )


class PetitionerPhone(Replicated, Base):
    """One phone number of a petitioner (联系电话); indexed for lookup by number."""

    __tablename__ = "petitioner_phone"

    petitioner_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("petitioner.id"), index=True, comment="信访人"
    )
    phone: Mapped[str] = mapped_column(String(20), index=True, comment="电话号码（仅数字）")
    position: Mapped[int] = mapped_column(default=0, comment="顺序，0 为首选")
    label: Mapped[str | None] = mapped_column(String(20), comment="说明（本人、家属……）")

    petitioner: Mapped[Petitioner] = relationship(back_populates="phones")


class RecordHistory(Replicated, Base):
    """A value overwritten by a last-writer-wins update, kept so that nothing is lost (修改历史)."""

    __tablename__ = "record_history"
    __table_args__ = (Index("ix_record_history_row", "table_name", "row_id"),)

    table_name: Mapped[str] = mapped_column(String(64), comment="表名")
    row_id: Mapped[str] = mapped_column(String(ID_LENGTH), comment="行标识")
    field: Mapped[str] = mapped_column(String(64), comment="字段")
    old_value: Mapped[Any] = mapped_column(JSON, nullable=True, comment="被覆盖的值")
    new_value: Mapped[Any] = mapped_column(JSON, nullable=True, comment="新值")
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, comment="变更时间")
    changed_by_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("user_account.id"), comment="变更人"
    )
    change_origin: Mapped[str | None] = mapped_column(String(64), comment="胜出的变更来自哪台设备")
    losing_origin: Mapped[str | None] = mapped_column(String(64), comment="被覆盖的值来自哪台设备")

    changed_by: Mapped[User | None] = relationship()
