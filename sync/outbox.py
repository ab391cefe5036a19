"""The replica's outbox: every local write of a replicated row records its change in the same SQLite transaction.

`enable_outbox(factory)` makes the sessions of a session factory capture their own writes: inserted rows send every
column, updated rows send the fields that changed, a tombstone (`mark_deleted`) is sent as a delete. The entries go
into `sync_outbox` during the flush, so they commit (or roll back) together with the rows. Nothing replicated may
be hard-deleted. Rows written by the sync engine itself (pulled from the server) do not pass through the ORM and
so never enter the outbox.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import event, func, insert, inspect, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from efangtong_core.models import Replicated, utcnow
from efangtong_core.models.sync import SyncOutbox
from sync.protocol import ChangeOp, encode_value

PENDING, SENT, REJECTED, RESOLVED = "pending", "sent", "rejected", "resolved"
_CAPTURED = "eft_outbox_captured"
_ENABLED = "eft_outbox"
_WROTE = "eft_outbox_wrote"


class HardDeleteRefused(RuntimeError):
    """A replicated row was deleted from the session; replicated rows only take a tombstone."""


def _columns(obj: Replicated) -> list[str]:
    local = set(getattr(type(obj), "__local_columns__", ()))
    return [column.key for column in inspect(obj).mapper.column_attrs if column.key not in local]


def _changed_columns(obj: Replicated) -> list[str]:
    state = inspect(obj)
    local = set(getattr(type(obj), "__local_columns__", ()))
    return [
        attr.key
        for attr in state.attrs
        if attr.key in state.mapper.column_attrs
        and attr.key not in local
        and attr.key != "server_seq"
        and attr.history.has_changes()
    ]


def _before_flush(session: Session, flush_context: Any, instances: Any) -> None:
    if not session.info.get(_ENABLED):
        return
    for obj in session.deleted:
        if isinstance(obj, Replicated):
            raise HardDeleteRefused(f"{type(obj).__name__} 只能标记删除，不能物理删除")
    captured: list[tuple[Replicated, ChangeOp, list[str] | None, int | None]] = session.info.setdefault(_CAPTURED, [])
    for obj in session.new:
        if isinstance(obj, Replicated):
            captured.append((obj, ChangeOp.UPSERT, None, None))
    for obj in session.dirty:
        if isinstance(obj, Replicated):
            changed = _changed_columns(obj)
            if not changed:
                continue
            deleting = "deleted_at" in changed and obj.deleted_at is not None
            base = inspect(obj).attrs.server_seq.loaded_value
            captured.append((obj, ChangeOp.DELETE if deleting else ChangeOp.UPSERT, changed, base))


def _after_flush(session: Session, flush_context: Any) -> None:
    captured = session.info.pop(_CAPTURED, [])
    if not captured:
        return
    now = utcnow()
    entries = []
    for obj, op, changed, base in captured:
        names = _columns(obj) if changed is None else sorted(changed)
        values = {} if op is ChangeOp.DELETE else {name: encode_value(getattr(obj, name)) for name in names}
        values.pop("server_seq", None)
        entries.append(
            {
                "change_id": str(uuid.uuid4()),
                "table_name": inspect(obj).mapper.local_table.name,
                "row_id": obj.id,
                "op": op.value,
                "values": values,
                "base_server_seq": base if isinstance(base, int) else None,
                "client_time": now,
                "state": PENDING,
            }
        )
    session.connection().execute(insert(SyncOutbox), entries)
    session.info[_WROTE] = True


def enable_outbox(factory: sessionmaker[Session]) -> None:
    """Sessions of `factory` record an outbox entry for every replicated row they write, in the same transaction."""
    factory.configure(info={_ENABLED: True})
    event.listen(factory, "before_flush", _before_flush)
    event.listen(factory, "after_flush", _after_flush)


def on_local_changes(factory: sessionmaker[Session], callback: Callable[[], None]) -> Callable[[], None]:
    """Call `callback` (in the committing thread) after each commit that queued changes; returns the way to stop."""

    def after_commit(session: Session) -> None:
        if session.info.pop(_WROTE, False):
            callback()

    def after_rollback(session: Session) -> None:
        session.info.pop(_WROTE, None)

    event.listen(factory, "after_commit", after_commit)
    event.listen(factory, "after_rollback", after_rollback)

    def stop() -> None:
        event.remove(factory, "after_commit", after_commit)
        event.remove(factory, "after_rollback", after_rollback)

    return stop


@dataclass(frozen=True)
class RejectedChange:
    """A change the server refused, kept until the user deals with it."""

    position: int
    change_id: str
    table: str
    row_id: str
    op: str
    values: dict[str, Any]
    code: str | None
    reason: str | None
    client_time: datetime
    answered_at: datetime | None


def pending_count(connection: Connection) -> int:
    """How many local changes wait to be sent."""
    return int(connection.execute(select(func.count()).where(SyncOutbox.state == PENDING)).scalar_one())


def rejected_count(connection: Connection) -> int:
    """How many refused changes wait for the user."""
    return int(connection.execute(select(func.count()).where(SyncOutbox.state == REJECTED)).scalar_one())


def rejected_changes(connection: Connection) -> list[RejectedChange]:
    """The refused changes, oldest first."""
    rows = connection.execute(select(SyncOutbox).where(SyncOutbox.state == REJECTED).order_by(SyncOutbox.position))
    return [
        RejectedChange(
            position=row.position,
            change_id=row.change_id,
            table=row.table_name,
            row_id=row.row_id,
            op=row.op,
            values=dict(row.values or {}),
            code=row.code,
            reason=row.reason,
            client_time=row.client_time,
            answered_at=row.answered_at,
        )
        for row in rows.all()
    ]


def retry_rejected(connection: Connection, position: int) -> str:
    """Send a refused change again as a new change (after the case or the data changed); returns its change id."""
    row = connection.execute(select(SyncOutbox).where(SyncOutbox.position == position)).one()
    change_id = str(uuid.uuid4())
    connection.execute(update(SyncOutbox).where(SyncOutbox.position == position).values(state=RESOLVED))
    connection.execute(
        insert(SyncOutbox).values(
            change_id=change_id,
            table_name=row.table_name,
            row_id=row.row_id,
            op=row.op,
            values=row.values,
            base_server_seq=row.base_server_seq,
            client_time=utcnow(),
            state=PENDING,
        )
    )
    return change_id


def mark_resolved(connection: Connection, position: int) -> None:
    """The user accepted that a refused change stays unapplied."""
    connection.execute(update(SyncOutbox).where(SyncOutbox.position == position).values(state=RESOLVED))


def discard_rejected(connection: Connection, position: int) -> None:
    """Give up a refused change: the replica goes back to the server's version of the row.

    A row the server never accepted (e.g. a refused case event) is removed from the replica; a refused edit of a row
    the server has is undone by pulling that row again (the pull cursor moves back to just before its version). That
    row is removed meanwhile (unless other local rows refer to it): one the user may no longer see (their scope
    changed, e.g. moved to another town) never comes back.
    """
    from efangtong_core.models import Base
    from sync.client import CURSOR, read_state, write_state

    row = connection.execute(select(SyncOutbox).where(SyncOutbox.position == position)).one()
    mark_resolved(connection, position)
    table = Base.metadata.tables[row.table_name]
    version = connection.execute(select(table.c.server_seq).where(table.c.id == row.row_id)).scalar_one_or_none()
    others = connection.execute(
        select(func.count()).where(
            SyncOutbox.row_id == row.row_id, SyncOutbox.state.in_((PENDING, REJECTED)), SyncOutbox.position != position
        )
    ).scalar_one()
    if others:
        return  # later changes of the same row are still to be sent or dealt with
    savepoint = connection.begin_nested()
    try:
        connection.execute(table.delete().where(table.c.id == row.row_id))
        savepoint.commit()
    except IntegrityError:
        savepoint.rollback()  # other local rows still refer to it: it stays (unsent, or until pulled again)
    if version is None:
        return
    cursor = int(read_state(connection, CURSOR) or 0)
    write_state(connection, CURSOR, str(min(cursor, int(version) - 1)))
