"""The server's one global sequence of server_seq values, safe under concurrent writers on SQLite and PostgreSQL.

Every server_seq comes from the single row of `sync_sequence`, updated in the writing transaction: the row lock (on
SQLite, the database write lock) is held until commit, so sequence numbers become visible in the order they were
given out — a pull that reads the committed sequence value first never skips a row that commits later.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, bindparam, event, insert, inspect, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker

from efangtong_core.models import Replicated, replicated_tables
from efangtong_core.models.sync import GLOBAL_SEQUENCE, SyncSequence

_SEQ: Table = SyncSequence.__table__  # type: ignore[assignment]


def lock_sequence(connection: Connection) -> int:
    """Lock the global sequence for this transaction and return its current value."""
    locked = connection.execute(
        update(_SEQ).where(_SEQ.c.name == GLOBAL_SEQUENCE).values(value=_SEQ.c.value).returning(_SEQ.c.value)
    ).scalar_one_or_none()
    if locked is not None:
        return int(locked)
    connection.execute(insert(_SEQ).values(name=GLOBAL_SEQUENCE, value=0))
    return 0


def committed_sequence(connection: Connection) -> int:
    """The highest server_seq committed so far (read without locking)."""
    value = connection.execute(select(_SEQ.c.value).where(_SEQ.c.name == GLOBAL_SEQUENCE)).scalar_one_or_none()
    return int(value or 0)


class SequenceAllocator:
    """Hands out server_seq values within one transaction; `store()` writes the last one back."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.last = lock_sequence(connection)
        self._stored = self.last

    def take(self) -> int:
        """The next server_seq."""
        self.last += 1
        return self.last

    def store(self) -> None:
        """Write the last value handed out back to the sequence row."""
        if self.last != self._stored:
            self.connection.execute(update(_SEQ).where(_SEQ.c.name == GLOBAL_SEQUENCE).values(value=self.last))
            self._stored = self.last


def stamp_unsequenced(connection: Connection) -> int:
    """Give a server_seq to every replicated row written without one (seeding, tools); returns how many."""
    allocator: SequenceAllocator | None = None
    stamped = 0
    for table in replicated_tables():
        ids = connection.execute(select(table.c.id).where(table.c.server_seq.is_(None))).scalars().all()
        if not ids:
            continue
        allocator = allocator or SequenceAllocator(connection)
        params = [{"_id": row_id, "_seq": allocator.take()} for row_id in ids]
        connection.execute(
            update(table).where(table.c.id == bindparam("_id")).values(server_seq=bindparam("_seq")), params
        )
        stamped += len(params)
    if allocator is not None:
        allocator.store()
    return stamped


def has_unsequenced(connection: Connection) -> bool:
    """True when some replicated row has no server_seq yet."""
    return any(
        connection.execute(select(table.c.id).where(table.c.server_seq.is_(None)).limit(1)).first() is not None
        for table in replicated_tables()
    )


def _changes_replicated_columns(session: Session, obj: Replicated) -> bool:
    local = set(getattr(type(obj), "__local_columns__", ()))
    state = inspect(obj)
    return any(
        attr.history.has_changes()
        for attr in state.attrs
        if attr.key not in local and attr.key not in ("server_seq", "updated_at") and attr.key in state.mapper.columns
    )


def install_server_sequencing(factory: sessionmaker[Session]) -> None:
    """Sessions of `factory` stamp every replicated row they insert or change with the next server_seq."""

    def before_flush(session: Session, flush_context: Any, instances: Any) -> None:
        touched = [obj for obj in session.new if isinstance(obj, Replicated)]
        touched += [
            obj for obj in session.dirty if isinstance(obj, Replicated) and _changes_replicated_columns(session, obj)
        ]
        if not touched:
            return
        allocator = SequenceAllocator(session.connection())
        for obj in touched:
            obj.server_seq = allocator.take()
        allocator.store()

    event.listen(factory, "before_flush", before_flush)
