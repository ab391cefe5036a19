"""Server-side merge of pushed changes (DESIGN.md §3): each change applied at most once, in server order.

- A change id is remembered with a digest of its content: an identical resend is answered as before, the same id
  with other content is a conflict and changes nothing.
- Case events are append-only and validated against the case's state with `efangtong_core.lifecycle`; an impossible
  event is rejected with the lifecycle's code and Chinese reason, and the petition's derived state follows the event.
- Plain records are last-writer-wins by server order, field by field; a value overwritten by a change that had not
  seen it (its base_server_seq is older than the row) is kept in `record_history`.
- A petition that becomes visible to more units (a handling unit added, town changed) is re-sequenced with its family,
  so that replicas whose cursor is past it receive it; so is a petitioner known before who joins a case.
Rows are planned in memory and written in bulk; if the database refuses the bulk write (a missing referenced row),
the batch is redone change by change, each in a savepoint, and the offending change alone is rejected.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from efangtong_core.models import utcnow
from efangtong_core.models.sync import SyncReceipt
from sync.merge_plan import Plan
from sync.merge_rows import chunk_size, one_of
from sync.protocol import REASONS, Change, ChangeResult, Outcome, RejectCode
from sync.rejection import Rejected
from sync.scope import Visibility
from sync.sequence import SequenceAllocator, lock_sequence

_RECEIPTS: Table = SyncReceipt.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class Actor:
    """Who pushes: the user, their device and what they may see and do."""

    user_id: str
    device_id: str | None
    visibility: Visibility


def _load_receipts(connection: Connection, change_ids: list[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    size = chunk_size(connection.dialect)
    for start in range(0, len(change_ids), size):
        chunk = change_ids[start : start + size]
        query = select(_RECEIPTS).where(one_of(_RECEIPTS.c.change_id, chunk, connection.dialect))
        for row in connection.execute(query):
            found[row.change_id] = dict(row._mapping)
    return found


_RECEIPT_COLUMNS = (
    "change_id",
    "digest",
    "table_name",
    "row_id",
    "outcome",
    "server_seq",
    "code",
    "reason",
    "user_id",
    "device_id",
    "received_at",
)
"""The columns of a receipt tuple, in order."""
_PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}


_COPY_RECEIPTS = f"COPY {_RECEIPTS.name} ({', '.join(_RECEIPT_COLUMNS)}) FROM STDIN"
"""On PostgreSQL: every receipt of a batch in one COPY (a quarter of the time of an `unnest` insert)."""


def _insert_receipts(connection: Connection, receipts: list[tuple[Any, ...]]) -> None:
    """Insert receipt tuples through the driver: COPY on PostgreSQL (psycopg), else executemany."""
    dialect = connection.dialect
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        _copy_receipts(connection, receipts)
        return
    placeholder = _PLACEHOLDERS.get(dialect.paramstyle)
    if placeholder is None:  # pragma: no cover - SQLite and psycopg use the two above
        connection.execute(insert(_RECEIPTS), [dict(zip(_RECEIPT_COLUMNS, row, strict=True)) for row in receipts])
        return
    columns = ", ".join(_RECEIPT_COLUMNS)
    values = ", ".join([placeholder] * len(_RECEIPT_COLUMNS))
    connection.exec_driver_sql(f"INSERT INTO {_RECEIPTS.name} ({columns}) VALUES ({values})", receipts)


def _copy_receipts(connection: Connection, receipts: list[tuple[Any, ...]]) -> None:
    """COPY the receipts in the connection's transaction; a refused row raises SQLAlchemy's IntegrityError."""
    driver = connection.connection.driver_connection
    assert driver is not None
    integrity_error = connection.dialect.dbapi.IntegrityError  # type: ignore[union-attr]
    try:
        with driver.cursor() as cursor, cursor.copy(_COPY_RECEIPTS) as copy:
            for receipt in receipts:
                copy.write_row(receipt)
    except integrity_error as error:
        raise IntegrityError(_COPY_RECEIPTS, None, error) from error


def _driver_value(connection: Connection, column: str, value: Any) -> Any:
    """`value` as SQLAlchemy would hand it to the driver for `column` (e.g. a time as SQLite's text)."""
    kind = _RECEIPTS.c[column].type
    process = kind.dialect_impl(connection.dialect).bind_processor(connection.dialect)
    return process(value) if process is not None else value


_ANSWER_FIELDS = frozenset(ChangeResult.model_fields)
_new_answer = ChangeResult.__new__
_set = object.__setattr__


def _answer(change_id: Any, outcome: Outcome, seq: int | None, code: str | None, reason: str | None) -> ChangeResult:
    """A `ChangeResult` of fields already valid, built as `model_construct` would (in half its time)."""
    answer = _new_answer(ChangeResult)
    values = {"change_id": change_id, "outcome": outcome, "server_seq": seq, "code": code, "reason": reason}
    _set(answer, "__dict__", values)
    _set(answer, "__pydantic_fields_set__", set(_ANSWER_FIELDS))
    _set(answer, "__pydantic_extra__", None)
    _set(answer, "__pydantic_private__", None)
    return answer


def _answer_from_receipt(change_id: Any, receipt: dict[str, Any]) -> ChangeResult:
    if receipt["outcome"] == Outcome.ACCEPTED:
        return ChangeResult(change_id=change_id, outcome=Outcome.ACCEPTED, server_seq=receipt["server_seq"])
    return ChangeResult(change_id=change_id, outcome=Outcome.REJECTED, code=receipt["code"], reason=receipt["reason"])


def _same_content(change: Change, row_id: str, digest: str, earlier: dict[str, Any]) -> bool:
    """True when an earlier receipt is of this content (its digest taken now, or as servers before orjson did)."""
    return earlier["digest"] == digest or earlier["digest"] == change.legacy_digest(row_id)


def merge_push(connection: Connection, changes: list[Change], actor: Actor) -> list[ChangeResult]:
    """Apply a batch of changes within the caller's transaction; one answer per change, in order."""
    # The sequence lock first: a concurrent delivery of the same changes then finds this one's receipts.
    lock_sequence(connection)
    keys = [str(change.change_id) for change in changes]
    receipts = _load_receipts(connection, keys)
    fast = connection.begin_nested()
    try:
        answers = _run(connection, changes, keys, actor, receipts, per_change_savepoints=False)
        fast.commit()
        return answers
    except IntegrityError:
        fast.rollback()
    return _run(connection, changes, keys, actor, receipts, per_change_savepoints=True)


def _run(
    connection: Connection,
    changes: list[Change],
    keys: list[str],
    actor: Actor,
    receipts: dict[str, dict[str, Any]],
    *,
    per_change_savepoints: bool,
) -> list[ChangeResult]:
    allocator = SequenceAllocator(connection)
    plan = Plan(connection, actor.visibility, actor.user_id, actor.device_id, allocator)
    row_ids = [str(change.row_id) for change in changes]
    plan.preload(changes, row_ids)
    received_at = _driver_value(connection, "received_at", utcnow())
    new_receipts: dict[str, tuple[Any, ...]] = {}
    answers: list[ChangeResult] = []
    accepted = Outcome.ACCEPTED
    user_id, device_id = actor.user_id, actor.device_id
    for change, key, row_id in zip(changes, keys, row_ids, strict=True):
        digest = change.digest(row_id)
        earlier = receipts.get(key) or _receipt_dict(new_receipts.get(key))
        if earlier is not None:
            if _same_content(change, row_id, digest, earlier):
                answers.append(_answer_from_receipt(change.change_id, earlier))
            else:
                conflict = RejectCode.CHANGE_ID_CONFLICT
                answers.append(
                    ChangeResult(
                        change_id=change.change_id, outcome=Outcome.CONFLICT, code=conflict, reason=REASONS[conflict]
                    )
                )
            continue
        code: str | None
        reason: str | None
        seq: int | None
        savepoint = connection.begin_nested() if per_change_savepoints else None
        try:
            seq = plan.apply(change, row_id)
            if savepoint is not None:
                plan.execute()
                savepoint.commit()
            outcome, code, reason = accepted, None, None

        except Rejected as rejected:
            if savepoint is not None:
                savepoint.rollback()
            plan.discard_change()
            seq, outcome, code, reason = None, Outcome.REJECTED, rejected.code, rejected.reason
        except IntegrityError:
            assert savepoint is not None, "bulk path integrity errors are handled by the caller"
            savepoint.rollback()
            plan.forget()
            seq, outcome, code, reason = (
                None,
                Outcome.REJECTED,
                RejectCode.INTEGRITY.value,
                REASONS[RejectCode.INTEGRITY],
            )
        new_receipts[key] = (
            key,
            digest,
            change.table[:64],
            row_id,
            outcome.value,
            seq,
            code,
            reason,
            user_id,
            device_id,
            received_at,
        )
        # Every field is already valid: skip pydantic's validation of thousands of answers.
        answers.append(_answer(change.change_id, outcome, seq, code, reason))
    plan.execute()
    plan.touch_families()
    allocator.store()
    if new_receipts:
        _insert_receipts(connection, list(new_receipts.values()))
    return answers


def _receipt_dict(receipt: tuple[Any, ...] | None) -> dict[str, Any] | None:
    return None if receipt is None else dict(zip(_RECEIPT_COLUMNS, receipt, strict=True))
