"""Server side of pull: pages of rows after a cursor, in server order, limited to what the user may see."""

from __future__ import annotations

import heapq
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from efangtong_core.models import replicated_tables
from sync.protocol import PulledRow, PullPage, PullRequest, encode_row, scope_fingerprint
from sync.scope import Visibility, pulled_columns, table, visible_filter, visible_petition_ids
from sync.sequence import committed_sequence

CASE_REFERENCES = ("petition", "case_event", "record_history")
"""Tables whose rows may name another case: a petition's original (repeat_of_id) or the case it was merged into, a
merge event's target, a registration correction of those fields, their history."""
REFERENCE_FIELDS = ("repeat_of_id", "merged_into_id")
HIDDEN_CASE = "（其他单位的案件）"
"""What a merge event names instead of a case the replica may not see (the event still replays on the counter)."""


def _references(values: dict[str, Any]) -> list[tuple[dict[str, Any], str]]:
    """(dict, key) of every case id a pulled row names besides its own case."""
    found = [(values, key) for key in REFERENCE_FIELDS if values.get(key)]
    payload = values.get("payload")
    if values.get("type") == "merged" and isinstance(payload, dict) and payload.get("into"):
        found.append((payload, "into"))
    corrected = payload.get("changes") if isinstance(payload, dict) else None
    if isinstance(corrected, dict):  # a registration correction lists each field's old and new value
        for field in REFERENCE_FIELDS:
            change = corrected.get(field)
            if isinstance(change, dict):
                found += [(change, key) for key in ("old", "new") if isinstance(change.get(key), str)]
    if values.get("table_name") == "petition" and values.get("field") in REFERENCE_FIELDS:
        found += [(values, key) for key in ("old_value", "new_value") if isinstance(values.get(key), str)]
    return found


def _hide_invisible_cases(connection: Connection, rows: list[dict[str, Any]], vis: Visibility) -> None:
    """Blank every case id in `rows` that `vis` may not see: not even another town's case ids leave the server."""
    places = [place for values in rows for place in _references(values)]
    named = sorted({str(holder[key]) for holder, key in places})
    if not named:
        return
    petition = table("petition")
    visible_ids = visible_petition_ids(vis).where(petition.c.id.in_(named))
    visible = set(connection.execute(visible_ids).scalars())
    for holder, key in places:
        if holder[key] not in visible:
            holder[key] = HIDDEN_CASE if key == "into" else None


def fingerprint(vis: Visibility) -> str:
    """The scope fingerprint of `vis` (what a replica compares to know its scope changed)."""
    return scope_fingerprint(vis.county, vis.unit_ids, vis.roles)


def pull_page(connection: Connection, request: PullRequest, vis: Visibility) -> PullPage:
    """The next page after `request.cursor`; a replica holding another scope is asked to reset."""
    scope = fingerprint(vis)
    if request.scope is not None and request.scope != scope:
        return PullPage(rows=[], next_cursor=0, has_more=True, scope=scope, reset=True)
    # Read the committed top first: every row at or below it is already committed (see sync.sequence).
    top = committed_sequence(connection)
    names = [t.name for t in replicated_tables()]
    seqs: list[int] = []
    for name in names:
        t = table(name)
        query = (
            select(t.c.server_seq)
            .where(t.c.server_seq > request.cursor, t.c.server_seq <= top, visible_filter(name, vis))
            .order_by(t.c.server_seq)
            .limit(request.limit + 1)
        )
        seqs.extend(connection.execute(query).scalars())
    smallest = heapq.nsmallest(request.limit + 1, seqs)
    has_more = len(smallest) > request.limit
    if not smallest:
        return PullPage(rows=[], next_cursor=max(top, request.cursor), has_more=False, scope=scope)
    bound = smallest[request.limit - 1] if has_more else top
    rows: list[tuple[int, str, dict[str, Any]]] = []
    for name in names:
        t = table(name)
        columns = [t.c[column] for column in pulled_columns(name)]
        query = select(*columns).where(
            t.c.server_seq > request.cursor, t.c.server_seq <= bound, visible_filter(name, vis)
        )
        rows.extend((row.server_seq, name, encode_row(dict(row._mapping))) for row in connection.execute(query))
    rows.sort(key=lambda item: item[0])
    if not vis.county:
        _hide_invisible_cases(connection, [values for _, name, values in rows if name in CASE_REFERENCES], vis)
    return PullPage(
        rows=[PulledRow(table=name, server_seq=seq, values=values) for seq, name, values in rows],
        next_cursor=max(bound, request.cursor),
        has_more=has_more,
        scope=scope,
    )
