"""Analytics rollups: daily petition counts and repeat petitioners' daily counts, kept by triggers, backfilled.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from efangtong_core.analytics.rollup import drop_triggers

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the two tables (0009's shape). Their triggers and counts are installed by 0010, which recreates them
    keyed by unit too: `install_rollup` makes the current shape's triggers, which these tables lack."""
    op.create_table(
        "petition_day_count",
        sa.Column("day", sa.Date(), nullable=False, comment="登记日（北京时间）"),
        sa.Column("town_id", sa.String(length=36), nullable=False, comment="问题属地（无则为空串）"),
        sa.Column("category_id", sa.String(length=36), nullable=False, comment="内容分类（无则为空串）"),
        sa.Column("form", sa.String(length=16), nullable=False, comment="信访形式"),
        sa.Column("is_group", sa.SmallInteger(), nullable=False, comment="集体访（1/0）"),
        sa.Column("is_repeat", sa.SmallInteger(), nullable=False, comment="重复信访（1/0）"),
        sa.Column("batches", sa.Integer(), nullable=False, comment="批次"),
        sa.Column("persons", sa.Integer(), nullable=False, comment="人次"),
        sa.PrimaryKeyConstraint(
            "day", "town_id", "category_id", "form", "is_group", "is_repeat", name=op.f("pk_petition_day_count")
        ),
        comment="每日信访件汇总（触发器维护）",
        sqlite_with_rowid=False,
    )
    op.create_table(
        "repeater_day_count",
        sa.Column("petitioner_id", sa.String(length=36), nullable=False, comment="信访人"),
        sa.Column("day", sa.Date(), nullable=False, comment="登记日（北京时间）"),
        sa.Column("petitions", sa.Integer(), nullable=False, comment="件数"),
        sa.Column("repeats", sa.Integer(), nullable=False, comment="其中重复信访件数"),
        sa.PrimaryKeyConstraint("petitioner_id", "day", name=op.f("pk_repeater_day_count")),
        comment="重复信访人每日件数（触发器维护）",
        sqlite_with_rowid=False,
    )
    op.create_index("ix_repeater_day_count_day", "repeater_day_count", ["day", "petitioner_id", "petitions", "repeats"])


def downgrade() -> None:
    """Drop the triggers and the tables."""
    drop_triggers(op.get_bind())
    op.drop_index("ix_repeater_day_count_day", table_name="repeater_day_count")
    op.drop_table("repeater_day_count")
    op.drop_table("petition_day_count")
