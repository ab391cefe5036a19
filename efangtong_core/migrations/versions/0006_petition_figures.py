"""Analytics columns on petition (受理日/期限, 答复日/办理期限, 延期, 评价) and their indexes, backfilled from events.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from efangtong_core.analytics.derived import backfill_figures

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the columns and indexes, then derive the values of every accepted petition from its events."""
    with op.batch_alter_table("petition") as batch:
        batch.add_column(sa.Column("accepted_on", sa.Date(), nullable=True, comment="受理日（由事件推导）"))
        batch.add_column(
            sa.Column("acceptance_due", sa.Date(), nullable=True, comment="受理时的告知受理期限（由事件推导）")
        )
        batch.add_column(sa.Column("replied_on", sa.Date(), nullable=True, comment="出具处理意见书日（由事件推导）"))
        batch.add_column(
            sa.Column("handling_due", sa.Date(), nullable=True, comment="答复时的办理期限，含延期（由事件推导）")
        )
        batch.add_column(
            sa.Column("extension_days", sa.Integer(), server_default="0", nullable=False, comment="批准延期天数")
        )
        batch.add_column(
            sa.Column("satisfaction", sa.String(length=32), nullable=True, comment="评价结果（由事件推导）")
        )
    backfill_figures(op.get_bind())
    op.create_index("ix_petition_accepted_on", "petition", ["accepted_on", "deleted_at", "acceptance_due"])
    op.create_index("ix_petition_replied_on", "petition", ["replied_on", "deleted_at", "handling_due", "satisfaction"])


def downgrade() -> None:
    """Drop the indexes and columns."""
    op.drop_index("ix_petition_replied_on", table_name="petition")
    op.drop_index("ix_petition_accepted_on", table_name="petition")
    with op.batch_alter_table("petition") as batch:
        for name in ("satisfaction", "extension_days", "handling_due", "replied_on", "acceptance_due", "accepted_on"):
            batch.drop_column(name)
