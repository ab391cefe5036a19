"""Written-notice templates (文书模板), replicated to every counter.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create document_template."""
    op.create_table(
        "document_template",
        sa.Column("id", sa.String(length=36), nullable=False, comment="行标识（UUID，产生处生成）"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, comment="创建时间（UTC）"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, comment="最后修改时间（UTC）"),
        sa.Column("origin", sa.String(length=64), nullable=True, comment="写入该行的设备标识；NULL 表示服务器产生"),
        sa.Column("server_seq", sa.BigInteger(), nullable=True, comment="服务器接受变更时分配的序号；仅本地时为 NULL"),
        sa.Column(
            "deleted_at", sa.DateTime(timezone=True), nullable=True, comment="删除标记（墓碑），复制数据从不物理删除"
        ),
        sa.Column("code", sa.String(length=32), nullable=False, comment="文书种类代码（如 acceptance）"),
        sa.Column("name", sa.String(length=100), nullable=False, comment="文书名称（如 受理告知书）"),
        sa.Column("body", sa.Text(), nullable=False, comment="正文，含 {参数} 占位符"),
        sa.Column("active", sa.Boolean(), nullable=False, comment="是否启用"),
        sa.Column("version", sa.Integer(), nullable=False, comment="版本号（每次修改正文加一）"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_template")),
    )
    op.create_index(op.f("ix_document_template_code"), "document_template", ["code"], unique=True)
    op.create_index(op.f("ix_document_template_server_seq"), "document_template", ["server_seq"], unique=True)


def downgrade() -> None:
    """Drop document_template."""
    op.drop_index(op.f("ix_document_template_server_seq"), table_name="document_template")
    op.drop_index(op.f("ix_document_template_code"), table_name="document_template")
    op.drop_table("document_template")
