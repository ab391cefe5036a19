"""Data exchange (数据交换) with the region's petition database: batches sent and received, with their status."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from efangtong_core.models.base import ID_LENGTH, Base, LocalRecord, UtcDateTime
from efangtong_core.models.org import User

EXCHANGE_STATUSES: tuple[str, ...] = ("pending", "sending", "sent", "acknowledged", "received", "applied", "failed")
"""Codes of exchange_batch.status."""


class ExchangeBatch(LocalRecord, Base):
    """A batch exchanged with the region's database (交换批次); server-only."""

    __tablename__ = "exchange_batch"
    __table_args__ = (Index("ix_exchange_batch_direction_status", "direction", "status"),)

    direction: Mapped[str] = mapped_column(String(4), comment="方向：out 上报 / in 接收")
    status: Mapped[str] = mapped_column(String(16), default="pending", comment="状态")
    external_id: Mapped[str | None] = mapped_column(String(64), index=True, comment="对方批次号")
    record_count: Mapped[int] = mapped_column(Integer, default=0, comment="记录数")
    accepted_count: Mapped[int] = mapped_column(Integer, default=0, comment="对方接受数")
    rejected_count: Mapped[int] = mapped_column(Integer, default=0, comment="对方拒收数")
    cursor_from: Mapped[int | None] = mapped_column(comment="本批起始 server_seq（含）")
    cursor_to: Mapped[int | None] = mapped_column(comment="本批结束 server_seq（含）")
    payload_ref: Mapped[str | None] = mapped_column(String(255), comment="报文存储位置（附件散列或文件名）")
    error: Mapped[str | None] = mapped_column(Text, comment="错误信息")
    attempts: Mapped[int] = mapped_column(Integer, default=0, comment="尝试次数")
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), comment="开始时间")
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), comment="完成时间")
    created_by_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("user_account.id"), comment="发起人"
    )

    created_by: Mapped[User | None] = relationship()
