"""Analytics rollups keyed by lead unit too (and the repeaters' by town and lead unit): scoped figures from them.

A town's or unit's user counts the petitions whose town or lead unit is one of their units, and a unit filter the
petitions of a lead unit: with both columns in the rollups' keys those figures are exact without reading the
petition rows. The rollups are derived data: they are recreated in the new shape and recounted with their triggers.
The rates' indexes and the open cases' index cover the scope and filter columns too (town, lead unit, category), so
a scoped rate or overdue count reads the index alone.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from efangtong_core.analytics.rollup import drop_triggers, install_rollup

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(length=36)
SCOPE_COVER = ["town_id", "lead_unit_id", "category_id"]
INDEXES = {
    "ix_petition_accepted_on": (["accepted_on", "deleted_at", "acceptance_due"], SCOPE_COVER),
    "ix_petition_replied_on": (["replied_on", "deleted_at", "handling_due", "satisfaction"], SCOPE_COVER),
    "ix_petition_open_lead": (["state", "lead_unit_id", "deadline", "deleted_at"], ["town_id", "category_id"]),
}


def _town() -> sa.Column[str]:
    return sa.Column("town_id", ID, nullable=False, comment="问题属地（无则为空串）")


def _lead() -> sa.Column[str]:
    return sa.Column("lead_unit_id", ID, nullable=False, comment="主办单位（无则为空串）")


def _create_tables(*, with_units: bool) -> None:
    """The two rollup tables, with the unit keys (this revision) or without (0009's shape)."""
    day_key = ["day", "town_id", *(["lead_unit_id"] if with_units else []), "category_id", "form", "is_group"]
    op.create_table(
        "petition_day_count",
        sa.Column("day", sa.Date(), nullable=False, comment="登记日（北京时间）"),
        _town(),
        *([_lead()] if with_units else []),
        sa.Column("category_id", ID, nullable=False, comment="内容分类（无则为空串）"),
        sa.Column("form", sa.String(length=16), nullable=False, comment="信访形式"),
        sa.Column("is_group", sa.SmallInteger(), nullable=False, comment="集体访（1/0）"),
        sa.Column("is_repeat", sa.SmallInteger(), nullable=False, comment="重复信访（1/0）"),
        sa.Column("batches", sa.Integer(), nullable=False, comment="批次"),
        sa.Column("persons", sa.Integer(), nullable=False, comment="人次"),
        sa.PrimaryKeyConstraint(*day_key, "is_repeat", name=op.f("pk_petition_day_count")),
        comment="每日信访件汇总（触发器维护）",
        sqlite_with_rowid=False,
    )
    places = [_town(), _lead()] if with_units else []
    place_key = ["town_id", "lead_unit_id"] if with_units else []
    op.create_table(
        "repeater_day_count",
        sa.Column("petitioner_id", ID, nullable=False, comment="信访人"),
        sa.Column("day", sa.Date(), nullable=False, comment="登记日（北京时间）"),
        *places,
        sa.Column("petitions", sa.Integer(), nullable=False, comment="件数"),
        sa.Column("repeats", sa.Integer(), nullable=False, comment="其中重复信访件数"),
        sa.PrimaryKeyConstraint("petitioner_id", "day", *place_key, name=op.f("pk_repeater_day_count")),
        comment="重复信访人每日件数（触发器维护）",
        sqlite_with_rowid=False,
    )
    op.create_index(
        "ix_repeater_day_count_day", "repeater_day_count", ["day", "petitioner_id", *place_key, "petitions", "repeats"]
    )


def _drop_tables() -> None:
    drop_triggers(op.get_bind())
    op.drop_index("ix_repeater_day_count_day", table_name="repeater_day_count")
    op.drop_table("repeater_day_count")
    op.drop_table("petition_day_count")


def upgrade() -> None:
    """Recreate both rollups with the unit keys, install the triggers and count the petitions into them."""
    _drop_tables()
    _create_tables(with_units=True)
    install_rollup(op.get_bind())
    for name, (columns, cover) in INDEXES.items():
        op.drop_index(name, table_name="petition")
        op.create_index(name, "petition", [*columns, *cover])


def downgrade() -> None:
    """Back to 0009's tables, empty and without triggers (the figures then read the petition rows)."""
    _drop_tables()
    _create_tables(with_units=False)
    for name, (columns, _) in INDEXES.items():
        op.drop_index(name, table_name="petition")
        op.create_index(name, "petition", columns)
