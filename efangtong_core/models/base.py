"""Declarative base, shared column types and the replication mixin of every e访通 table.

Every replicated row carries the columns of DESIGN.md §2: a UUID born where the row is born (a counter PC offline
can create rows), `created_at`/`updated_at` in UTC, `origin` (the device that wrote it), `server_seq` (assigned by
the server when it accepts the change; NULL while the row is only local) and `deleted_at` (a tombstone: nothing
replicated is ever hard-deleted). Whether a table replicates is a property of its class: `__replicated__`, set by
the `Replicated` mixin.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import BigInteger, DateTime, Integer, MetaData, String, Table, event
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.types import TypeDecorator

# Constraint names must be deterministic so that Alembic (batch mode on SQLite) can find them again. Foreign-key names
# leave out the referred table to stay under PostgreSQL's 63-character identifier limit.
NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s",
    "pk": "pk_%(table_name)s",
}

ID_LENGTH = 36
"""Length of a textual UUID (`str(uuid.uuid4())`)."""

# Auto-incrementing 64-bit key: SQLite only auto-increments a column declared exactly INTEGER PRIMARY KEY.
BigIntegerKey = BigInteger().with_variant(Integer(), "sqlite")


def new_id() -> str:
    """A fresh row id: a random UUID as text, generated where the row is born."""
    return str(uuid.uuid4())


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp always returned timezone-aware in UTC, on SQLite (which stores no zone) and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Store UTC; a naive value is taken to be UTC already."""
        if value is None:
            return None
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Give back an aware UTC datetime."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base of every e访通 model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    __replicated__: ClassVar[bool] = False
    """True for tables whose rows replicate between the server and the counter replicas (see `sync/`)."""

    __local_columns__: ClassVar[tuple[str, ...]] = ()
    """Columns of a replicated table that never leave the server (e.g. a password hash)."""


class Replicated:
    """Mixin of every replicated table: UUID id, UTC timestamps, origin device, server sequence and tombstone."""

    __replicated__: ClassVar[bool] = True

    id: Mapped[str] = mapped_column(
        String(ID_LENGTH), primary_key=True, default=new_id, sort_order=-1, comment="行标识（UUID，产生处生成）"
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, comment="创建时间（UTC）")
    updated_at: Mapped[datetime] = mapped_column(
        UtcDateTime(), default=utcnow, onupdate=utcnow, comment="最后修改时间（UTC）"
    )
    origin: Mapped[str | None] = mapped_column(String(64), comment="写入该行的设备标识；NULL 表示服务器产生")
    server_seq: Mapped[int | None] = mapped_column(
        BigInteger(), index=True, unique=True, comment="服务器接受变更时分配的序号；仅本地时为 NULL"
    )
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), comment="删除标记（墓碑），复制数据从不物理删除")

    @property
    def is_deleted(self) -> bool:
        """True when the row carries a tombstone."""
        return self.deleted_at is not None

    def mark_deleted(self, when: datetime | None = None) -> None:
        """Set the tombstone (soft delete); the row stays and replicates."""
        self.deleted_at = when or utcnow()


class LocalRecord:
    """Mixin of a table that stays where it is (server-only or replica-only): UUID id and creation time."""

    id: Mapped[str] = mapped_column(
        String(ID_LENGTH), primary_key=True, default=new_id, sort_order=-1, comment="行标识（UUID）"
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, comment="创建时间（UTC）")


def replicated_tables() -> Iterator[Table]:
    """The tables whose rows replicate, in dependency order (parents before children)."""
    names = {mapper.class_.__table__.name for mapper in Base.registry.mappers if mapper.class_.__replicated__}
    for table in Base.metadata.sorted_tables:
        if table.name in names:
            yield table


def model_for_table(name: str) -> type[Base]:
    """The mapped class of table `name`."""
    for mapper in Base.registry.mappers:
        if mapper.class_.__table__.name == name:
            cls: type[Base] = mapper.class_
            return cls
    raise KeyError(name)


@event.listens_for(Base, "init", propagate=True)
def _assign_id_at_birth(target: Any, args: Any, kwargs: dict[str, Any]) -> None:
    # The id exists from construction on, before any flush, so an offline counter can reference the row at once.
    if isinstance(target, Replicated | LocalRecord) and kwargs.get("id") is None:
        kwargs["id"] = new_id()


ORIGIN_KEY = "origin"
"""`Session.info` key: the device id stamped on new replicated rows that do not name their origin."""


@event.listens_for(Session, "before_flush")
def _stamp_origin(session: Session, flush_context: Any, instances: Any) -> None:
    origin = session.info.get(ORIGIN_KEY)
    if origin is None:
        return
    for obj in session.new:
        if isinstance(obj, Replicated) and obj.origin is None:
            obj.origin = origin
