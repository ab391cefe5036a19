"""Covering indexes for the analytics aggregates: a registration period's figures, and open cases by lead unit.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REGISTERED_COVER = (
    "registered_at", "deleted_at", "form", "category_id", "town_id", "head_count", "repeat_of_id", "lead_unit_id",
    "petitioner_id",
)  # fmt: skip


def upgrade() -> None:
    """Create the two indexes."""
    op.create_index("ix_petition_registered_cover", "petition", list(REGISTERED_COVER))
    op.create_index("ix_petition_open_lead", "petition", ["state", "lead_unit_id", "deadline", "deleted_at"])


def downgrade() -> None:
    """Drop them."""
    op.drop_index("ix_petition_open_lead", table_name="petition")
    op.drop_index("ix_petition_registered_cover", table_name="petition")
