"""What the server adds to a pushed batch, in its transaction: case numbers for new petitions, SMS notices for events.

`without_server_owned` runs before the merge: a counter never sets a case number nor the columns derived from the
case's events (the server owns them), so values it sends are dropped — the same way on every delivery, so an identical
resend keeps its digest.
`after_merge` runs after it, still under the merge's sequence lock: every accepted petition still without a case
number gets one (and a new server_seq, so the counters pull it), then the accepted case events queue their notices.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.engine import Connection

from efangtong_server.cases.notifications import queue_case_notices
from efangtong_server.cases.numbers import assign_case_numbers
from sync.protocol import Change, ChangeOp, ChangeResult, Outcome

SERVER_OWNED = {
    "petition": frozenset(
        {
            "case_number",
            "state",
            "deadline",
            "lead_unit_id",
            "accepted_at",
            "closed_at",
            "merged_into_id",
            "event_count",
        }
    )
}
"""Columns of replicated tables only the server writes: the case number, and what it derives from the case's events
(a counter pushing a lead unit of its own would otherwise make itself the case's handler)."""


@dataclass(frozen=True)
class CaseEffects:
    """What `after_merge` wrote: petition id → case number given, and the ids of the SMS messages queued."""

    case_numbers: dict[str, str] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)


def without_server_owned(changes: Sequence[Change]) -> list[Change]:
    """The changes with the values of server-owned columns removed."""
    cleaned = []
    for change in changes:
        owned = SERVER_OWNED.get(change.table)
        if owned and owned & change.values.keys():
            values = {key: value for key, value in change.values.items() if key not in owned}
            change = change.model_copy(update={"values": values})
        cleaned.append(change)
    return cleaned


def after_merge(connection: Connection, *, changes: Sequence[Change], results: Sequence[ChangeResult]) -> CaseEffects:
    """Number the accepted petitions and queue the accepted events' notices (the caller commits)."""
    petitions: list[str] = []
    events: list[str] = []
    for change, result in zip(changes, results, strict=True):
        if result.outcome != Outcome.ACCEPTED or change.op is not ChangeOp.UPSERT:
            continue
        if change.table == "petition":
            petitions.append(str(change.row_id))
        elif change.table == "case_event":
            events.append(str(change.row_id))
    numbers = assign_case_numbers(connection, petitions)
    return CaseEffects(case_numbers=numbers, messages=queue_case_notices(connection, events))
