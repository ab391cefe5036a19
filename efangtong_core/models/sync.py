"""Bookkeeping of replication (DESIGN.md §3): the server's sequence and change receipts, the replica's outbox and state.

Both ends share one schema, so every table exists everywhere; the server uses `sync_sequence` and `sync_receipt`, a
counter replica uses `sync_outbox` and `sync_state`. None of them replicates.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from efangtong_core.models.base import ID_LENGTH, Base, BigIntegerKey, UtcDateTime, utcnow

GLOBAL_SEQUENCE = "global"
"""Name of the one row of `sync_sequence` every server_seq is drawn from."""


class SyncSequence(Base):
    """A named counter on the server; the row lock on it orders every accepted change (server_seq)."""

    __tablename__ = "sync_sequence"

    name: Mapped[str] = mapped_column(String(32), primary_key=True, comment="序列名称")
    value: Mapped[int] = mapped_column(BigInteger, default=0, comment="最后分配的序号")


class SyncReceipt(Base):
    """The server's answer to one change id, remembered so that each change is applied at most once."""

    __tablename__ = "sync_receipt"

    change_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True, comment="变更编号（客户端生成）")
    digest: Mapped[str] = mapped_column(String(64), comment="变更内容散列（SHA-256）")
    table_name: Mapped[str] = mapped_column(String(64), comment="表名")
    row_id: Mapped[str] = mapped_column(String(ID_LENGTH), comment="行标识")
    outcome: Mapped[str] = mapped_column(String(16), comment="accepted 已接受 / rejected 已拒绝")
    server_seq: Mapped[int | None] = mapped_column(BigInteger, comment="接受时分配的序号")
    code: Mapped[str | None] = mapped_column(String(40), comment="拒绝原因代码")
    reason: Mapped[str | None] = mapped_column(Text, comment="拒绝原因（中文）")
    user_id: Mapped[str | None] = mapped_column(String(ID_LENGTH), comment="推送用户")
    device_id: Mapped[str | None] = mapped_column(String(64), comment="推送设备")
    received_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, comment="接收时间")


class SyncOutbox(Base):
    """A local change waiting to be sent (or answered) on a counter replica, in the order it was written."""

    __tablename__ = "sync_outbox"
    __table_args__ = (
        Index("ix_sync_outbox_state_position", "state", "position"),
        Index("ix_sync_outbox_row", "table_name", "row_id"),
    )

    position: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True, comment="写入顺序")
    change_id: Mapped[str] = mapped_column(String(ID_LENGTH), unique=True, comment="变更编号（UUID）")
    table_name: Mapped[str] = mapped_column(String(64), comment="表名")
    row_id: Mapped[str] = mapped_column(String(ID_LENGTH), comment="行标识")
    op: Mapped[str] = mapped_column(String(8), comment="upsert 写入 / delete 删除")
    values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, comment="变更的字段值")
    base_server_seq: Mapped[int | None] = mapped_column(BigInteger, comment="修改所依据的服务器版本")
    client_time: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, comment="本机时间（仅供参考）")
    state: Mapped[str] = mapped_column(
        String(12), default="pending", comment="pending 待发送 / sent 已接受 / rejected 被拒绝 / resolved 已处理"
    )
    server_seq: Mapped[int | None] = mapped_column(BigInteger, comment="服务器接受时分配的序号")
    code: Mapped[str | None] = mapped_column(String(40), comment="拒绝原因代码")
    reason: Mapped[str | None] = mapped_column(Text, comment="拒绝原因（中文）")
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), comment="服务器答复时间")


class SyncState(Base):
    """A named value of the replica's sync state (pull cursor, scope fingerprint, last successful sync)."""

    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(String(32), primary_key=True, comment="名称")
    value: Mapped[str | None] = mapped_column(Text, comment="值")
