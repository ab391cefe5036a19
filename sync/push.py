"""The client side of a push: read the next batch of the outbox, and record the server's answers to a batch.

`SyncClient.push` sends one batch at a time, in outbox order, each once the answer to the one before has arrived;
while the server merges a batch, the client records the answer before it and reads the next batch.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Text, select, type_coerce
from sqlalchemy.engine import Connection

from efangtong_core.models.sync import SyncOutbox
from sync.outbox import PENDING, REJECTED, SENT
from sync.protocol import Outcome, PushResult

_OUTBOX = SyncOutbox.__table__
_READ = select(
    _OUTBOX.c.position,
    _OUTBOX.c.change_id,
    _OUTBOX.c.table_name,
    _OUTBOX.c.row_id,
    _OUTBOX.c.op,
    _OUTBOX.c.base_server_seq,
    type_coerce(_OUTBOX.c["values"], Text).label("values_json"),
    _OUTBOX.c.client_time,
).where(_OUTBOX.c.state == PENDING)
_MARK = (
    "UPDATE sync_outbox SET state = ?, server_seq = ?, code = ?, reason = ?, answered_at = ? "
    "WHERE change_id = ? AND state = 'pending'"
)
"""Record the server's answer to one change (executed for a whole batch at once, below SQLAlchemy's per-row work)."""


_ENVELOPE = json.JSONEncoder(ensure_ascii=False)


@dataclass(frozen=True)
class OutboxBatch:
    """Pending changes in outbox order, each as the JSON text of the wire `Change`; `last` is the last position."""

    changes: list[str]
    last: int

    def body(self, protocol: int) -> str:
        """The JSON text of the push request carrying these changes."""
        return f'{{"protocol": {int(protocol)}, "changes": [{", ".join(self.changes)}]}}'


def read_batch(connection: Connection, *, after: int, limit: int) -> OutboxBatch | None:
    """The next `limit` pending changes written after outbox position `after`; None when there are none.

    A change's values are stored as JSON already: their text goes into the request as it is, neither decoded nor
    encoded again.
    """
    rows = connection.execute(_READ.where(_OUTBOX.c.position > after).order_by(_OUTBOX.c.position).limit(limit)).all()
    if not rows:
        return None
    changes = []
    for row in rows:
        envelope = _ENVELOPE.encode(
            {
                "change_id": row.change_id,
                "table": row.table_name,
                "row_id": row.row_id,
                "op": row.op,
                "base_server_seq": row.base_server_seq,
                "client_time": row.client_time.isoformat(),
            }
        )
        values = row.values_json if row.values_json not in (None, "null") else "{}"
        changes.append(f'{envelope[:-1]}, "values": {values}}}')
    return OutboxBatch(changes=changes, last=rows[-1].position)


def record_answers(connection: Connection, result: PushResult, answered_at: datetime) -> tuple[int, int]:
    """Mark each answered change sent or rejected (with its server_seq or reason); returns (accepted, rejected)."""
    answered = _OUTBOX.c.answered_at.type.bind_processor(connection.dialect)
    stamp = answered(answered_at) if answered is not None else answered_at
    marks = [
        (
            SENT if item.outcome is Outcome.ACCEPTED else REJECTED,
            item.server_seq,
            item.code,
            item.reason,
            stamp,
            str(item.change_id),
        )
        for item in result.results
    ]
    if marks:
        connection.exec_driver_sql(_MARK, marks)
    accepted = sum(mark[0] == SENT for mark in marks)
    return accepted, len(marks) - accepted
