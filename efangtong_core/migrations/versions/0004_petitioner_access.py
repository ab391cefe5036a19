"""Access log of personal records: each profile view or export on a counter, replicated to the server and audited there.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create petitioner_access."""
    op.create_table(
        "petitioner_access",
        sa.Column("id", sa.String(length=36), nullable=False, comment="行标识（UUID，产生处生成）"),
        sa.Column("petitioner_id", sa.String(length=36), nullable=True, comment="被查看的信访人；导出列表时为空"),
        sa.Column("action", sa.String(length=16), nullable=False, comment="view 查看档案 / export 导出"),
        sa.Column("user_id", sa.String(length=36), nullable=True, comment="查看人（用户标识）"),
        sa.Column("username", sa.String(length=64), nullable=True, comment="查看人用户名"),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, comment="查看时间（柜台时钟）"),
        sa.Column("online", sa.Boolean(), nullable=False, comment="查看时是否在线"),
        sa.Column("details", sa.JSON(), nullable=False, comment="详情（JSON，如导出行数）"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, comment="创建时间（UTC）"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, comment="最后修改时间（UTC）"),
        sa.Column("origin", sa.String(length=64), nullable=True, comment="写入该行的设备标识；NULL 表示服务器产生"),
        sa.Column("server_seq", sa.BigInteger(), nullable=True, comment="服务器接受变更时分配的序号；仅本地时为 NULL"),
        sa.Column(
            "deleted_at", sa.DateTime(timezone=True), nullable=True, comment="删除标记（墓碑），复制数据从不物理删除"
        ),
        sa.ForeignKeyConstraint(["petitioner_id"], ["petitioner.id"], name=op.f("fk_petitioner_access_petitioner_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_petitioner_access")),
    )
    op.create_index(op.f("ix_petitioner_access_petitioner_id"), "petitioner_access", ["petitioner_id"], unique=False)
    op.create_index(op.f("ix_petitioner_access_server_seq"), "petitioner_access", ["server_seq"], unique=True)


def downgrade() -> None:
    """Drop petitioner_access."""
    op.drop_index(op.f("ix_petitioner_access_server_seq"), table_name="petitioner_access")
    op.drop_index(op.f("ix_petitioner_access_petitioner_id"), table_name="petitioner_access")
    op.drop_table("petitioner_access")
