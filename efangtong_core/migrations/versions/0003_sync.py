"""Replication bookkeeping: the server's global sequence and change receipts, the replica's outbox and sync state.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REPLICATED = (
    "content_category",
    "deadline_rule",
    "holiday",
    "org_unit",
    "petitioner",
    "sms_template",
    "warning_rule",
    "petitioner_phone",
    "routing_rule",
    "user_account",
    "agent",
    "reception_session",
    "record_history",
    "role_grant",
    "warning",
    "petition",
    "agent_case",
    "agent_evaluation",
    "booking",
    "case_event",
    "petition_representative",
    "petition_unit",
    "attachment",
    "reception_record",
)


def upgrade() -> None:
    """Create the sync tables and start the global sequence after any server_seq already stored."""
    sequence = op.create_table(
        "sync_sequence",
        sa.Column("name", sa.String(length=32), nullable=False, comment="序列名称"),
        sa.Column("value", sa.BigInteger(), nullable=False, comment="最后分配的序号"),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_sync_sequence")),
    )
    op.create_table(
        "sync_receipt",
        sa.Column("change_id", sa.String(length=36), nullable=False, comment="变更编号（客户端生成）"),
        sa.Column("digest", sa.String(length=64), nullable=False, comment="变更内容散列（SHA-256）"),
        sa.Column("table_name", sa.String(length=64), nullable=False, comment="表名"),
        sa.Column("row_id", sa.String(length=36), nullable=False, comment="行标识"),
        sa.Column("outcome", sa.String(length=16), nullable=False, comment="accepted 已接受 / rejected 已拒绝"),
        sa.Column("server_seq", sa.BigInteger(), nullable=True, comment="接受时分配的序号"),
        sa.Column("code", sa.String(length=40), nullable=True, comment="拒绝原因代码"),
        sa.Column("reason", sa.Text(), nullable=True, comment="拒绝原因（中文）"),
        sa.Column("user_id", sa.String(length=36), nullable=True, comment="推送用户"),
        sa.Column("device_id", sa.String(length=64), nullable=True, comment="推送设备"),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False, comment="接收时间"),
        sa.PrimaryKeyConstraint("change_id", name=op.f("pk_sync_receipt")),
    )
    op.create_table(
        "sync_outbox",
        sa.Column(
            "position",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
            comment="写入顺序",
        ),
        sa.Column("change_id", sa.String(length=36), nullable=False, comment="变更编号（UUID）"),
        sa.Column("table_name", sa.String(length=64), nullable=False, comment="表名"),
        sa.Column("row_id", sa.String(length=36), nullable=False, comment="行标识"),
        sa.Column("op", sa.String(length=8), nullable=False, comment="upsert 写入 / delete 删除"),
        sa.Column("values", sa.JSON(), nullable=False, comment="变更的字段值"),
        sa.Column("base_server_seq", sa.BigInteger(), nullable=True, comment="修改所依据的服务器版本"),
        sa.Column("client_time", sa.DateTime(timezone=True), nullable=False, comment="本机时间（仅供参考）"),
        sa.Column(
            "state",
            sa.String(length=12),
            nullable=False,
            comment="pending 待发送 / sent 已接受 / rejected 被拒绝 / resolved 已处理",
        ),
        sa.Column("server_seq", sa.BigInteger(), nullable=True, comment="服务器接受时分配的序号"),
        sa.Column("code", sa.String(length=40), nullable=True, comment="拒绝原因代码"),
        sa.Column("reason", sa.Text(), nullable=True, comment="拒绝原因（中文）"),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True, comment="服务器答复时间"),
        sa.PrimaryKeyConstraint("position", name=op.f("pk_sync_outbox")),
        sa.UniqueConstraint("change_id", name=op.f("uq_sync_outbox_change_id")),
    )
    op.create_index("ix_sync_outbox_row", "sync_outbox", ["table_name", "row_id"], unique=False)
    op.create_index("ix_sync_outbox_state_position", "sync_outbox", ["state", "position"], unique=False)
    op.create_table(
        "sync_state",
        sa.Column("key", sa.String(length=32), nullable=False, comment="名称"),
        sa.Column("value", sa.Text(), nullable=True, comment="值"),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sync_state")),
    )
    connection = op.get_bind()
    start = max(
        (
            connection.execute(sa.text(f"SELECT COALESCE(MAX(server_seq), 0) FROM {name}")).scalar_one()
            for name in REPLICATED
        ),
        default=0,
    )
    op.bulk_insert(sequence, [{"name": "global", "value": int(start)}])


def downgrade() -> None:
    """Drop the sync tables."""
    op.drop_table("sync_state")
    op.drop_index("ix_sync_outbox_state_position", table_name="sync_outbox")
    op.drop_index("ix_sync_outbox_row", table_name="sync_outbox")
    op.drop_table("sync_outbox")
    op.drop_table("sync_receipt")
    op.drop_table("sync_sequence")
