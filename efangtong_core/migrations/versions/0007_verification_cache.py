"""Identity verification cache (联网核验): the last definitive answer per name + ID number, keyed by an HMAC.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create verification_cache."""
    op.create_table(
        "verification_cache",
        sa.Column("id", sa.String(length=36), nullable=False, comment="行标识（UUID）"),
        sa.Column(
            "subject_hash", sa.String(length=64), nullable=False, comment="姓名与证件号码的 HMAC-SHA256（不存号码本身）"
        ),
        sa.Column(
            "result",
            sa.String(length=16),
            nullable=False,
            comment="核验结果：match 一致 / mismatch 不一致 / not_found 查无",
        ),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False, comment="核验时间"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, comment="创建时间（UTC）"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verification_cache")),
    )
    op.create_index(op.f("ix_verification_cache_subject_hash"), "verification_cache", ["subject_hash"], unique=True)


def downgrade() -> None:
    """Drop verification_cache."""
    op.drop_index(op.f("ix_verification_cache_subject_hash"), table_name="verification_cache")
    op.drop_table("verification_cache")
